import { html, LitElement, nothing } from 'lit';
import { answer, enc } from '../../client.ts';
import { ActionController } from '../action-controller.ts';
import type { ConsoleContext } from '../context.ts';
import { consoleStyles } from '../styles.ts';

type Product = Awaited<ReturnType<typeof listProducts>>['products'][number];
type Movement = Awaited<ReturnType<typeof stockHistory>>['movements'][number];

function listProducts(context: ConsoleContext) {
  return answer(() => context.api.admin.products.$get());
}

function stockHistory(context: ConsoleContext, id: string) {
  return answer(() => context.api.admin.products[':id']['stock-movements'].$get({ param: { id: enc(id) }, query: { limit: '20' } }));
}

/**
 * @summary Products: create, edit (name, price, image, description, shippable), deactivate and
 * reactivate; adjust stock with a reason and see its history (sales included, never overwritten).
 * The buttons that write are disabled while an answer is awaited: an adjustment is no idempotent
 * request, so a double click would add the units twice.
 */
export class AdminProducts extends LitElement {
  static override styles = consoleStyles;

  static override properties = {
    _products: { state: true },
    _editing: { state: true },
    _stockOf: { state: true },
    _history: { state: true },
    context: { attribute: false },
  };

  declare private _products: Product[] | null;
  /** The product being edited, 'new' for the create form, or null. */
  declare private _editing: string | null;
  declare private _stockOf: string | null;
  declare private _history: Movement[];
  /** The signed-in console's API and formats. */
  declare context: ConsoleContext;

  private readonly _action = new ActionController(this, async () => {
    this._products = (await listProducts(this.context)).products;
    this._history = this._stockOf ? (await stockHistory(this.context, this._stockOf)).movements : [];
  });

  constructor() {
    super();
    this._products = null;
    this._editing = null;
    this._stockOf = null;
    this._history = [];
  }

  /** The form's fields as the API takes them; the price typed in major units. */
  private _fields(form: HTMLFormElement) {
    const data = new FormData(form);
    const text = (name: string) => String(data.get(name) ?? '').trim();
    const price = this.context.formats.parseMoney(text('price'));
    if (price === null) throw new Error('Enter the price like 25.00.');
    return { name: text('name'), description: text('description'), image: text('image'), price, shippable: data.get('shippable') === 'on' };
  }

  private _onSave(event: SubmitEvent): void {
    event.preventDefault();
    const form = event.target as HTMLFormElement;
    const editing = this._editing;
    void this._action.run(async () => {
      const fields = this._fields(form);
      if (editing === 'new') {
        const data = new FormData(form);
        const stock = Number(data.get('stock') || 0);
        const { product } = await answer(() => this.context.api.admin.products.$post({ json: { ...fields, id: String(data.get('id') ?? '').trim(), stock } }));
        return `Created ${product.name}.`;
      }
      if (!editing) return null;
      const { product } = await answer(() => this.context.api.admin.products[':id'].$patch({ param: { id: enc(editing) }, json: fields }));
      return `Saved ${product.name}.`;
    }).then((ok) => { if (ok) this._editing = null; });
  }

  private _setActive(p: Product, active: boolean): void {
    void this._action.run(async () => {
      await answer(() => this.context.api.admin.products[':id'].$patch({ param: { id: enc(p.id) }, json: { active } }));
      return `${p.name} is ${active ? 'on sale again' : 'deactivated: no longer sold'}.`;
    });
  }

  private _openStock(id: string): void {
    this._stockOf = this._stockOf === id ? null : id;
    void this._action.run(async () => null);
  }

  private _onStock(event: SubmitEvent): void {
    event.preventDefault();
    const form = event.target as HTMLFormElement;
    const data = new FormData(form);
    const id = this._stockOf;
    const adjust = Number(data.get('adjust'));
    const reason = String(data.get('reason') ?? '').trim();
    if (!id) return;
    void this._action.run(async () => {
      if (!Number.isSafeInteger(adjust) || adjust === 0) throw new Error('Enter a whole number of units to add (or, negative, to take away).');
      const { movement } = await answer(() => this.context.api.admin.products[':id'].stock.$post({ param: { id: enc(id) }, json: { adjust, reason } }));
      form.reset();
      return `Stock of ${id} is now ${movement.stockAfter}.`;
    });
  }

  private _renderForm(p: Product | null) {
    const { formats } = this.context;
    return html`
      <form class="card" @submit=${this._onSave} aria-label=${p ? `Edit ${p.name}` : 'New product'}>
        ${p ? nothing : html`
          <label>Id <input name="id" required pattern="[A-Za-z0-9_\\-]{1,64}" placeholder="tee-green"></label>
          <label>Opening stock <input name="stock" type="number" min="0" step="1" value="0"></label>`}
        <label>Name <input name="name" required maxlength="200" .value=${p?.name ?? ''}></label>
        <label>Price <input name="price" inputmode="decimal" required .value=${p ? formats.moneyInput(p.price) : ''} placeholder="25.00"></label>
        <label>Image URL <input name="image" maxlength="2000" .value=${p?.image ?? ''} placeholder="/images/tee.svg"></label>
        <label>Description <input name="description" maxlength="2000" .value=${p?.description ?? ''}></label>
        <label class="check"><input name="shippable" type="checkbox" ?checked=${p?.shippable ?? true}> Shipped</label>
        <button class="primary" ?disabled=${this._action.busy}>${p ? 'Save' : 'Create product'}</button>
        <button type="button" @click=${() => { this._editing = null; }}>Cancel</button>
      </form>`;
  }

  private _renderStock(p: Product) {
    const { formats } = this.context;
    return html`
      <tr><td colspan="7">
        <form @submit=${this._onStock} aria-label="Adjust stock of ${p.name}">
          <label>Units to add (negative to take away) <input name="adjust" type="number" step="1" required></label>
          <label>Reason <input name="reason" required maxlength="500" placeholder="Delivery from the printer"></label>
          <button class="primary" ?disabled=${this._action.busy}>Adjust stock</button>
        </form>
        <table aria-label="Stock history of ${p.name}">
          <thead><tr><th>When</th><th class="num">Change</th><th class="num">Stock after</th><th>By</th><th>Reason</th></tr></thead>
          <tbody>${this._history.map((m) => html`<tr><td>${formats.date(new Date(m.createdAt).toISOString())}</td>
            <td class="num">${m.delta > 0 ? `+${m.delta}` : m.delta}</td><td class="num">${m.stockAfter}</td><td>${m.actor}</td><td>${m.reason}</td></tr>`)}</tbody>
        </table>
      </td></tr>`;
  }

  override render() {
    const { formats } = this.context;
    const editing = this._products?.find((p) => p.id === this._editing) ?? null;
    return html`
      <h2>Products</h2>
      <div class="row"><button @click=${() => { this._editing = 'new'; }}>New product</button></div>
      ${this._editing === 'new' ? this._renderForm(null) : editing ? this._renderForm(editing) : nothing}
      <p class="error" role="alert">${this._action.problem ?? nothing}</p>
      <p class="ok" role="status">${this._action.notice ?? nothing}</p>
      ${this._products ? html`
        <table>
          <thead><tr><th>Product</th><th>Id</th><th class="num">Price</th><th class="num">Stock</th><th>Shipped</th><th>On sale</th><th><span class="sr-only">Actions</span></th></tr></thead>
          <tbody>${this._products.map((p) => html`
            <tr data-product=${p.id}>
              <td>${p.name}</td><td class="muted">${p.id}</td><td class="num">${formats.money(p.price)}</td>
              <td class="num" data-testid="stock">${p.stock}</td><td>${p.shippable ? 'yes' : 'no'}</td><td>${p.active ? 'yes' : 'no'}</td>
              <td><div class="row">
                <button @click=${() => { this._editing = p.id; }}>Edit</button>
                <button @click=${() => this._openStock(p.id)} aria-expanded=${this._stockOf === p.id ? 'true' : 'false'}>Stock</button>
                ${p.active ? html`<button class="danger" @click=${() => this._setActive(p, false)}>Deactivate</button>`
                  : html`<button @click=${() => this._setActive(p, true)}>Activate</button>`}
              </div></td>
            </tr>
            ${this._stockOf === p.id ? this._renderStock(p) : nothing}`)}
          </tbody>
        </table>` : html`<p class="muted">Loading…</p>`}`;
  }
}
