/** Registers `<checkout-cart>`; the built script's entry point. */
import { CheckoutCart } from './checkout-cart.component.ts';

export { CheckoutCart };
export { ApiError } from '../api/client.ts';
export { CheckoutItemAddedEvent } from '../events/checkout-item-added.ts';
export { CheckoutShowEvent } from '../events/checkout-show.ts';
export { CheckoutAfterHideEvent } from '../events/checkout-after-hide.ts';
export { CheckoutRequestCloseEvent, type CloseSource } from '../events/checkout-request-close.ts';
// The cart panel's and the checkout's events are defined in their chunks, loaded on demand: types only.
export type { CheckoutItemRemovedEvent } from '../events/checkout-item-removed.ts';
export type { CheckoutCouponAppliedEvent } from '../events/checkout-coupon-applied.ts';
export type { CheckoutStartedEvent } from '../events/checkout-started.ts';
export type { CheckoutPaymentFailedEvent } from '../events/checkout-payment-failed.ts';
export type { CheckoutCompletedEvent } from '../events/checkout-completed.ts';

// A page may load the script twice (a merchant's bundle and a tag); the first definition wins.
if (!customElements.get('checkout-cart')) customElements.define('checkout-cart', CheckoutCart);

declare global {
  interface HTMLElementTagNameMap {
    'checkout-cart': CheckoutCart;
  }
}
