import { html } from 'lit';
import type { Order } from '../../../shared/api.ts';
import type { PartContext } from '../../checkout-cart/parts/context.ts';
import { orderSummary } from './order-summary.ts';

/** After the server reported the order: its number, what was bought and what was paid. */
export function confirmation(c: PartContext, order: Order, on: { done(): void }) {
  const { t } = c;
  return html`
    <div class="status-view" part="confirmation">
      <p><strong>${t('thanks')}</strong></p>
      <p class="order-number" part="order-number">${t('orderNumber', { number: order.number })}</p>
      <p class="muted">${t('receiptSent', { email: order.email })}</p>
    </div>
    ${orderSummary(c, order.items, order.totals, order.currency)}
    <button type="button" class="button primary" @click=${on.done}>${t('done')}</button>`;
}
