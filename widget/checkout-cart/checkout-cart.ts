/** Registers `<checkout-cart>`; the built script's entry point. */
import { CheckoutCart } from './checkout-cart.component.ts';

export { CheckoutCart };
export { ApiError } from '../api/client.ts';
export { CheckoutItemAddedEvent } from '../events/checkout-item-added.ts';
export { CheckoutItemRemovedEvent } from '../events/checkout-item-removed.ts';
export { CheckoutCouponAppliedEvent } from '../events/checkout-coupon-applied.ts';
export { CheckoutStartedEvent } from '../events/checkout-started.ts';
export { CheckoutPaymentFailedEvent } from '../events/checkout-payment-failed.ts';
export { CheckoutCompletedEvent } from '../events/checkout-completed.ts';

// A page may load the script twice (a merchant's bundle and a tag); the first definition wins.
if (!customElements.get('checkout-cart')) customElements.define('checkout-cart', CheckoutCart);

declare global {
  interface HTMLElementTagNameMap {
    'checkout-cart': CheckoutCart;
  }
}
