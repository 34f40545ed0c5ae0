import { html, LitElement, nothing } from 'lit';
import { answer, enc } from '../../client.ts';
import { ActionController } from '../action-controller.ts';
import type { ConsoleContext } from '../context.ts';
import { consoleStyles } from '../styles.ts';

type Detail = Awaited<ReturnType<typeof loadOrder>>;

function loadOrder(context: ConsoleContext, id: string) {
  return answer(() => context.api.admin.orders[':id'].$get({ param: { id: enc(id) } }));
}

/** 128 random bits, hex: works where crypto.randomUUID does not (a plain-http address). */
function newKey(): string {
  return `console-${Array.from(crypto.getRandomValues(new Uint8Array(16)), (b) => b.toString(16).padStart(2, '0')).join('')}`;
}

/**
 * @summary One order: items, totals, address, payment attempts, refunds, disputes and its history;
 * refund all or part of it with a reason, resend its confirmation, resolve it when it needs attention.
 *
 * @event admin-back - The merchant went back to the list.
 */
export class AdminOrderDetail extends LitElement {
  static override styles = consoleStyles;

  static override properties = {
    _detail: { state: true },
    context: { attribute: false },
    orderId: { attribute: false },
  };

  declare private _detail: Detail | null;
  /** The signed-in console's API and formats. */
  declare context: ConsoleContext;
  /** The order shown. */
  declare orderId: string;

  /** One key per refund the merchant means: a retry of the same amount and reason reuses it, so it refunds once. */
  private _refundAttempt: { key: string; amount: number; reason: string } | null = null;

  private readonly _action = new ActionController(this, async () => {
    this._detail = await loadOrder(this.context, this.orderId);
  });

  constructor() {
    super();
    this._detail = null;
  }

  private _onRefund(event: SubmitEvent): void {
    event.preventDefault();
    const form = event.target as HTMLFormElement;
    const data = new FormData(form);
    const amount = this.context.formats.parseMoney(String(data.get('amount') ?? ''));
    const reason = String(data.get('reason') ?? '').trim();
    void this._action.run(async () => {
      if (amount === null || amount === 0) throw new Error('Enter the amount to refund, like 12.50.');
      const last = this._refundAttempt;
      const attempt = last && last.amount === amount && last.reason === reason ? last : { key: newKey(), amount, reason };
      this._refundAttempt = attempt;
      const { refund } = await answer(() => this.context.api.admin.orders[':id'].refunds.$post({
        param: { id: enc(this.orderId) }, json: { amount, reason, idempotencyKey: attempt.key, by: this.context.actor },
      }));
      this._refundAttempt = null;
      form.reset();
      return `Refunded ${this.context.formats.money(refund.amount)}.`;
    });
  }

  private _onResend(): void {
    void this._action.run(async () => {
      await answer(() => this.context.api.admin.orders[':id']['resend-confirmation'].$post({ param: { id: enc(this.orderId) } }));
      return 'The confirmation email is on its way again.';
    });
  }

  private _onResolve(event: SubmitEvent): void {
    event.preventDefault();
    const note = String(new FormData(event.target as HTMLFormElement).get('note') ?? '').trim();
    void this._action.run(async () => {
      await answer(() => this.context.api.admin.orders[':id'].resolve.$post({ param: { id: enc(this.orderId) }, json: { note, by: this.context.actor } }));
      return 'Marked resolved.';
    });
  }

  private _back(): void {
    this.dispatchEvent(new Event('admin-back', { bubbles: true, composed: true }));
  }

  private _renderActions(d: Detail) {
    const { formats } = this.context;
    return html`
      <div class="card">
        <h3>Refund</h3>
        ${d.refundable > 0 ? html`
          <form @submit=${this._onRefund} aria-label="Refund">
            <label>Amount (up to ${formats.money(d.refundable)}) <input name="amount" inputmode="decimal" required placeholder=${formats.moneyInput(d.refundable)}></label>
            <label>Reason <input name="reason" required maxlength="500" placeholder="Damaged in transit"></label>
            <button class="danger" ?disabled=${this._action.busy}>Refund</button>
          </form>` : html`<p class="muted">Nothing is left to refund.</p>`}
      </div>
      <div class="card row">
        <button @click=${this._onResend} ?disabled=${this._action.busy}>Resend confirmation</button>
      </div>
      ${d.order.status === 'needs_attention' ? html`
        <div class="card">
          <h3>Needs attention: ${d.order.attentionReason ?? 'see history'}</h3>
          <form @submit=${this._onResolve} aria-label="Resolve">
            <label>What was done <textarea name="note" required maxlength="2000"></textarea></label>
            <button class="primary" ?disabled=${this._action.busy}>Mark resolved</button>
          </form>
        </div>` : nothing}`;
  }

  private _renderDetail(d: Detail) {
    const { formats } = this.context;
    const o = d.order;
    return html`
      <h2>Order ${o.number} <span class="badge" data-status=${o.status} data-testid="order-status">${o.status.replace('_', ' ')}</span></h2>
      <p>${o.email} · ${formats.date(o.createdAt)}${o.couponCode ? html` · coupon ${o.couponCode}` : nothing}</p>
      <table>
        <thead><tr><th>Item</th><th class="num">Qty</th><th class="num">Price</th><th class="num">Total</th></tr></thead>
        <tbody>${o.items.map((i) => html`<tr><td>${i.name}</td><td class="num">${i.quantity}</td><td class="num">${formats.money(i.unitPrice)}</td><td class="num">${formats.money(i.lineTotal)}</td></tr>`)}</tbody>
        <tfoot>
          <tr><td colspan="3">Subtotal</td><td class="num">${formats.money(o.totals.subtotal)}</td></tr>
          ${o.totals.discount ? html`<tr><td colspan="3">Discount</td><td class="num">${formats.money(-o.totals.discount)}</td></tr>` : nothing}
          ${o.totals.shipping !== undefined ? html`<tr><td colspan="3">Shipping${o.shipping ? ` (${o.shipping.rate.label})` : ''}</td><td class="num">${formats.money(o.totals.shipping)}</td></tr>` : nothing}
          <tr><td colspan="3">Tax</td><td class="num">${formats.money(o.totals.tax)}</td></tr>
          <tr><td colspan="3"><strong>Paid</strong></td><td class="num">${formats.money(o.amountPaid)}</td></tr>
          <tr><td colspan="3">Refunded</td><td class="num" data-testid="amount-refunded">${formats.money(o.amountRefunded)}</td></tr>
        </tfoot>
      </table>
      ${d.address ? html`<h3>${d.address.kind === 'shipping' ? 'Shipping address' : 'Billing address'}</h3>
        <address>${d.address.name ? html`${d.address.name}<br>` : nothing}${d.address.lines.map((l) => html`${l}<br>`)}</address>` : nothing}
      ${this._renderActions(d)}
      <p role="status" class="ok">${this._action.notice ?? nothing}</p>
      ${d.attempts.length ? html`<h3>Failed payment attempts</h3>
        <ul>${d.attempts.map((a) => html`<li>${a.declineCode ?? a.code ?? 'failed'}: ${a.message ?? ''}</li>`)}</ul>` : nothing}
      ${d.refunds.length ? html`<h3>Refunds</h3>
        <table><thead><tr><th>When</th><th>By</th><th>Reason</th><th>Status</th><th class="num">Amount</th></tr></thead>
        <tbody>${d.refunds.map((r) => html`<tr><td>${formats.date(r.createdAt)}</td><td>${r.actor}</td><td>${r.reason}</td><td>${r.status}</td><td class="num">${formats.money(r.amount)}</td></tr>`)}</tbody></table>` : nothing}
      ${d.automaticRefunds.length ? html`<h3>Automatic refunds</h3>
        <ul>${d.automaticRefunds.map((r) => html`<li>${formats.money(r.amount)}, ${r.reason}: ${r.status}${r.status === 'refused' || r.status === 'failed' ? ` (${r.lastError})` : ''}</li>`)}</ul>` : nothing}
      ${d.disputes.length ? html`<h3>Disputes</h3>
        <ul>${d.disputes.map((x) => html`<li>${formats.money(x.amount)}, ${x.reason} (${x.status})</li>`)}</ul>` : nothing}
      <h3>History</h3>
      <ol class="history">${d.events.map((e) => html`<li><span class="muted">${formats.date(e.at)}</span> ${e.text}${e.amount === undefined ? nothing : html` · ${formats.money(e.amount)}`}</li>`)}</ol>`;
  }

  override render() {
    return html`
      <button @click=${this._back}>← All orders</button>
      <p class="error" role="alert">${this._action.problem ?? nothing}</p>
      ${this._detail ? this._renderDetail(this._detail) : html`<p class="muted">Loading…</p>`}`;
  }
}
