import { html, nothing, svg } from 'lit';
import type { Order } from '../../../shared/api.ts';
import type { PartContext } from '../../checkout-cart/parts/context.ts';
import { orderSummary } from './order-summary.ts';
import { shipToLine } from './shipping-fields.ts';

const SUCCESS_MARK = svg`<svg class="success-mark" viewBox="0 0 48 48" width="48" height="48" aria-hidden="true" focusable="false"><circle cx="24" cy="24" r="22" fill="currentColor"/><path d="M14 25l7 7 13-15" fill="none" stroke="#fff" stroke-width="4" stroke-linecap="round" stroke-linejoin="round"/></svg>`;

/**
 * After the server reported the order: a success mark, its number, where it ships, what happens
 * next, what was bought and paid, and the way back. `shopUrl` (a page that is the checkout alone,
 * such as a retry link's) makes "Continue shopping" a link to the shop instead of closing the panel.
 */
export function confirmation(c: PartContext, order: Order, on: { done(): void; shopUrl: string | null }) {
  const { t } = c;
  return html`
    <div class="status-view" part="confirmation">
      ${SUCCESS_MARK}
      <p class="thanks"><strong>${t('thanks')}</strong></p>
      <p class="order-number" part="order-number">${t('orderNumber', { number: order.number })}</p>
      <p>${t('receiptSent', { email: order.email })}</p>
      ${order.shipping ? shipToLine(c, order.shipping, 'shippingTo') : nothing}
      <p class="muted">${t('nextSteps')}</p>
    </div>
    ${orderSummary(c, order.items, order.totals, order.currency)}
    ${continueShopping(c, on)}`;
}

/** Back to the merchant's page: closes the panel, or on a page that is the checkout alone, a link to the shop. */
export function continueShopping(c: PartContext, on: { done(): void; shopUrl: string | null }) {
  return on.shopUrl
    ? html`<a class="button primary" part="continue-shopping" href=${on.shopUrl}>${c.t('continueShopping')}</a>`
    : html`<button type="button" class="button primary" part="continue-shopping" @click=${on.done}>${c.t('continueShopping')}</button>`;
}
