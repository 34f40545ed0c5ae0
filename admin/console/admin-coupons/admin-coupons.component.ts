import { html, LitElement, nothing } from 'lit';
import { answer, enc } from '../../client.ts';
import { ActionController } from '../action-controller.ts';
import type { ConsoleContext } from '../context.ts';
import { consoleStyles } from '../styles.ts';

type Coupon = Awaited<ReturnType<typeof listCoupons>>['coupons'][number];

function listCoupons(context: ConsoleContext) {
  return answer(() => context.api.admin.coupons.$get());
}

/** A local date-time input's value as an instant (ISO with offset), or null when left empty. */
function expiryOf(value: string): string | null {
  return value ? new Date(value).toISOString() : null;
}

/** An instant as a local date-time input shows it. */
function expiryInput(iso: string | null): string {
  if (!iso) return '';
  const d = new Date(iso);
  return new Date(d.getTime() - d.getTimezoneOffset() * 60_000).toISOString().slice(0, 16);
}

/**
 * @summary Coupons: create, edit and deactivate; type, value, expiry, max uses, minimum subtotal,
 * first order only and once per customer. Uses count paid orders and are shown, never edited.
 */
export class AdminCoupons extends LitElement {
  static override styles = consoleStyles;

  static override properties = {
    _coupons: { state: true },
    _editing: { state: true },
    context: { attribute: false },
  };

  declare private _coupons: Coupon[] | null;
  /** The code being edited, 'new' for the create form, or null. */
  declare private _editing: string | null;
  /** The signed-in console's API and formats. */
  declare context: ConsoleContext;

  private readonly _action = new ActionController(this, async () => {
    this._coupons = (await listCoupons(this.context)).coupons;
  });

  constructor() {
    super();
    this._coupons = null;
    this._editing = null;
  }

  /** The form's rules as the API takes them: a fixed value and the minimum typed as money. */
  private _rules(form: HTMLFormElement) {
    const data = new FormData(form);
    const text = (name: string) => String(data.get(name) ?? '').trim();
    const type = text('type') === 'fixed' ? 'fixed' as const : 'percentage' as const;
    const { parseMoney } = this.context.formats;
    const value = type === 'fixed' ? parseMoney(text('value')) : Number(text('value'));
    if (value === null || !Number.isSafeInteger(value) || value < 1) throw new Error(type === 'fixed' ? 'Enter the discount like 10.00.' : 'Enter a whole percentage from 1 to 100.');
    const minSubtotal = text('minSubtotal') ? parseMoney(text('minSubtotal')) : 0;
    if (minSubtotal === null) throw new Error('Enter the minimum subtotal like 20.00, or leave it empty.');
    return {
      type, value, minSubtotal, expiresAt: expiryOf(text('expiresAt')), maxUses: text('maxUses') ? Number(text('maxUses')) : null,
      firstOrderOnly: data.get('firstOrderOnly') === 'on', oncePerCustomer: data.get('oncePerCustomer') === 'on',
    };
  }

  private _onSave(event: SubmitEvent): void {
    event.preventDefault();
    const form = event.target as HTMLFormElement;
    const editing = this._editing;
    void this._action.run(async () => {
      const rules = this._rules(form);
      if (editing === 'new') {
        const code = String(new FormData(form).get('code') ?? '').trim();
        const { coupon } = await answer(() => this.context.api.admin.coupons.$post({ json: { ...rules, code } }));
        return `Created ${coupon.code}.`;
      }
      if (!editing) return null;
      const { coupon } = await answer(() => this.context.api.admin.coupons[':code'].$patch({ param: { code: enc(editing) }, json: rules }));
      return `Saved ${coupon.code}.`;
    }).then((ok) => { if (ok) this._editing = null; });
  }

  private _setActive(c: Coupon, active: boolean): void {
    void this._action.run(async () => {
      await answer(() => this.context.api.admin.coupons[':code'].$patch({ param: { code: enc(c.code) }, json: { active } }));
      return `${c.code} is ${active ? 'active again' : 'deactivated'}.`;
    });
  }

  private _describe(c: Coupon): string {
    return c.type === 'percentage' ? `${c.value} %` : this.context.formats.money(c.value);
  }

  private _renderForm(c: Coupon | null) {
    const { formats } = this.context;
    return html`
      <form class="card" @submit=${this._onSave} aria-label=${c ? `Edit ${c.code}` : 'New coupon'}>
        ${c ? html`<p><strong>${c.code}</strong> <span class="muted">used ${c.uses} times</span></p>`
          : html`<label>Code <input name="code" required maxlength="64" pattern="[A-Za-z0-9_\\-]+" placeholder="SPRING10"></label>`}
        <label>Type
          <select name="type">
            <option value="percentage" ?selected=${c?.type !== 'fixed'}>Percentage</option>
            <option value="fixed" ?selected=${c?.type === 'fixed'}>Fixed amount</option>
          </select>
        </label>
        <label>Value (% or amount) <input name="value" required inputmode="decimal" .value=${c ? (c.type === 'fixed' ? formats.moneyInput(c.value) : String(c.value)) : ''}></label>
        <label>Expires <input name="expiresAt" type="datetime-local" .value=${expiryInput(c?.expiresAt ?? null)}></label>
        <label>Max uses <input name="maxUses" type="number" min=${c?.uses ?? 0} step="1" .value=${c?.maxUses === null || !c ? '' : String(c.maxUses)}></label>
        <label>Minimum subtotal <input name="minSubtotal" inputmode="decimal" .value=${c?.minSubtotal ? formats.moneyInput(c.minSubtotal) : ''}></label>
        <label class="check"><input name="firstOrderOnly" type="checkbox" ?checked=${c?.firstOrderOnly ?? false}> First order only</label>
        <label class="check"><input name="oncePerCustomer" type="checkbox" ?checked=${c?.oncePerCustomer ?? false}> Once per customer</label>
        <button class="primary" ?disabled=${this._action.busy}>${c ? 'Save' : 'Create coupon'}</button>
        <button type="button" @click=${() => { this._editing = null; }}>Cancel</button>
      </form>`;
  }

  private _renderRow(c: Coupon) {
    const { formats } = this.context;
    const limits = [c.firstOrderOnly ? 'first order only' : '', c.oncePerCustomer ? 'once per customer' : '',
      c.minSubtotal ? `from ${formats.money(c.minSubtotal)}` : ''].filter(Boolean).join(', ');
    return html`
      <tr data-coupon=${c.code}>
        <td><strong>${c.code}</strong></td><td>${this._describe(c)}</td>
        <td class="num" data-testid="uses">${c.uses}${c.maxUses === null ? '' : ` / ${c.maxUses}`}</td>
        <td>${c.expiresAt ? formats.date(c.expiresAt) : 'never'}</td><td>${limits || html`<span class="muted">none</span>`}</td>
        <td>${c.active ? 'yes' : 'no'}</td>
        <td><div class="row">
          <button @click=${() => { this._editing = c.code; }}>Edit</button>
          ${c.active ? html`<button class="danger" @click=${() => this._setActive(c, false)}>Deactivate</button>`
            : html`<button @click=${() => this._setActive(c, true)}>Activate</button>`}
        </div></td>
      </tr>`;
  }

  override render() {
    const editing = this._coupons?.find((c) => c.code === this._editing) ?? null;
    return html`
      <h2>Coupons</h2>
      <div class="row"><button @click=${() => { this._editing = 'new'; }}>New coupon</button></div>
      ${this._editing === 'new' ? this._renderForm(null) : editing ? this._renderForm(editing) : nothing}
      <p class="error" role="alert">${this._action.problem ?? nothing}</p>
      <p class="ok" role="status">${this._action.notice ?? nothing}</p>
      ${this._coupons ? html`
        <table>
          <thead><tr><th>Code</th><th>Discount</th><th class="num">Uses</th><th>Expires</th><th>Limits</th><th>Active</th><th><span class="sr-only">Actions</span></th></tr></thead>
          <tbody>${this._coupons.map((c) => this._renderRow(c))}</tbody>
        </table>` : html`<p class="muted">Loading…</p>`}`;
  }
}
