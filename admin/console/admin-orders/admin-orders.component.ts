import { html, LitElement, nothing } from 'lit';
import type { OrderStatus } from '../../../shared/api.ts';
import { answer, download } from '../../client.ts';
import { problemText, type ConsoleContext } from '../context.ts';
import { consoleStyles } from '../styles.ts';

type OrderList = Awaited<ReturnType<typeof listOrders>>;
type Filters = { q?: string; status?: OrderStatus; from?: string; to?: string };

const PAGE = 20;
const statuses: readonly OrderStatus[] = ['paid', 'needs_attention', 'partially_refunded', 'refunded'];

function listOrders(context: ConsoleContext, filters: Filters, offset: number) {
  return answer(() => context.api.admin.orders.$get({ query: { ...filters, limit: String(PAGE), offset: String(offset) } }));
}

/** Only the filters the merchant filled in. */
function filtersOf(form: HTMLFormElement): Filters {
  const data = new FormData(form);
  const value = (name: string) => String(data.get(name) ?? '').trim() || undefined;
  const status = statuses.find((s) => s === value('status'));
  return Object.fromEntries(Object.entries({ q: value('q'), status, from: value('from'), to: value('to') })
    .filter(([, v]) => v !== undefined));
}

/**
 * @summary Orders: search by number or email, filter by status and days, page through, download
 * the selection as CSV, and open one (its detail, refunds, resend and resolve).
 */
export class AdminOrders extends LitElement {
  static override styles = consoleStyles;

  static override properties = {
    _list: { state: true },
    _filters: { state: true },
    _offset: { state: true },
    _openId: { state: true },
    _problem: { state: true },
    context: { attribute: false },
  };

  declare private _list: OrderList | null;
  declare private _filters: Filters;
  declare private _offset: number;
  declare private _openId: string | null;
  declare private _problem: string | null;
  /** The signed-in console's API and formats. */
  declare context: ConsoleContext;

  constructor() {
    super();
    this._list = null;
    this._filters = {};
    this._offset = 0;
    this._openId = null;
    this._problem = null;
  }

  override connectedCallback(): void {
    super.connectedCallback();
    void this._load();
  }

  private async _load(): Promise<void> {
    try {
      this._list = await listOrders(this.context, this._filters, this._offset);
      this._problem = null;
    } catch (err) {
      this._problem = problemText(err);
    }
  }

  private _onSearch(event: SubmitEvent): void {
    event.preventDefault();
    this._filters = filtersOf(event.target as HTMLFormElement);
    this._offset = 0;
    void this._load();
  }

  private _page(delta: number): void {
    this._offset = Math.max(0, this._offset + delta * PAGE);
    void this._load();
  }

  /** The CSV comes with the token in a header, so it is fetched here and handed to the browser as a file. */
  private async _download(): Promise<void> {
    try {
      const csv = await download(() => this.context.api.admin['orders.csv'].$get({ query: this._filters }));
      const url = URL.createObjectURL(csv);
      const link = Object.assign(document.createElement('a'), { href: url, download: 'orders.csv' });
      link.click();
      setTimeout(() => URL.revokeObjectURL(url), 10_000);
    } catch (err) {
      this._problem = problemText(err);
    }
  }

  private _open(id: string | null): void {
    this._openId = id;
    if (id === null) void this._load();
  }

  private _renderList(list: OrderList) {
    const { formats } = this.context;
    if (list.orders.length === 0) return html`<p class="muted">No orders match.</p>`;
    return html`
      <table>
        <thead><tr><th>Order</th><th>Date</th><th>Email</th><th>Status</th><th class="num">Total</th><th class="num">Refunded</th></tr></thead>
        <tbody>
          ${list.orders.map((o) => html`
            <tr data-clickable data-order=${o.number} @click=${() => this._open(o.id)}>
              <td><a href="#orders" @click=${(e: Event) => { e.preventDefault(); this._open(o.id); }}>${o.number}</a></td>
              <td>${formats.date(o.createdAt)}</td>
              <td>${o.email}</td>
              <td><span class="badge" data-status=${o.status}>${o.status.replace('_', ' ')}</span></td>
              <td class="num">${formats.money(o.totals.total)}</td>
              <td class="num">${o.amountRefunded ? formats.money(o.amountRefunded) : ''}</td>
            </tr>`)}
        </tbody>
      </table>
      <div class="row" role="group" aria-label="Pages">
        <button ?disabled=${this._offset === 0} @click=${() => this._page(-1)}>Previous</button>
        <span class="muted">${this._offset + 1}–${this._offset + list.orders.length} of ${list.total}</span>
        <button ?disabled=${this._offset + PAGE >= list.total} @click=${() => this._page(1)}>Next</button>
      </div>`;
  }

  override render() {
    if (this._openId) {
      return html`<admin-order-detail .context=${this.context} .orderId=${this._openId} @admin-back=${() => this._open(null)}></admin-order-detail>`;
    }
    const f = this._filters;
    return html`
      <h2>Orders</h2>
      <form role="search" @submit=${this._onSearch}>
        <label>Number or email <input name="q" type="search" .value=${f.q ?? ''} placeholder="CO-1001 or ada@"></label>
        <label>Status
          <select name="status">
            <option value="">Any</option>
            ${statuses.map((s) => html`<option value=${s} ?selected=${f.status === s}>${s.replace('_', ' ')}</option>`)}
          </select>
        </label>
        <label>From <input name="from" type="date" .value=${f.from ?? ''}></label>
        <label>To <input name="to" type="date" .value=${f.to ?? ''}></label>
        <button class="primary">Search</button>
        <button type="button" @click=${this._download}>Download CSV</button>
      </form>
      <p class="error" role="alert">${this._problem ?? nothing}</p>
      ${this._list ? this._renderList(this._list) : html`<p class="muted">Loading…</p>`}`;
  }
}
