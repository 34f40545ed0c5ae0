import { html } from 'lit';
import type { Cart } from '../../../shared/api.ts';
import { messageFor } from '../../i18n/error-words.ts';
import type { PartContext } from './context.ts';
import { couponField, type CouponHandlers } from './coupon-field.ts';
import { lineItem, type LineItemHandlers } from './line-item.ts';
import { totalsList } from './totals.ts';

export interface CartViewHandlers extends LineItemHandlers {
  coupon: CouponHandlers;
  checkout(): void;
  close(): void;
}

/** The cart: loading, empty, or its lines, discount code, totals and the way to checkout. */
export function cartView(c: PartContext, cart: Cart | null, o: { loading: boolean; couponError: string | null }, on: CartViewHandlers) {
  const { t } = c;
  if (!cart && o.loading) return html`<p class="muted loading">${t('loading')}</p>`;
  if (!cart || cart.items.length === 0) {
    return html`
      <div class="empty">
        <p><strong>${t('empty')}</strong></p>
        <p class="muted">${t('emptyHint')}</p>
        <button type="button" class="button" @click=${on.close}>${t('continueShopping')}</button>
      </div>`;
  }
  const problem = cart.couponProblem ? messageFor(t, cart.couponProblem, cart.couponProblem) : null;
  return html`
    <ul class="lines" aria-label=${t('yourCart')}>
      ${cart.items.map((line) => lineItem(c, line, cart.currency, on))}
    </ul>
    ${couponField(c, cart, o.couponError, problem, on.coupon)}
    ${totalsList(c, cart.totals, cart.currency)}
    <button type="button" class="button primary" part="checkout-button" @click=${on.checkout}>${t('goToCheckout')}</button>`;
}
