import type { Cart } from '../../shared/api.ts';
import { CheckoutEvent } from './checkout-event.ts';

/** The server accepted a discount code; `discount` is in minor units of `cart.currency`. */
export class CheckoutCouponAppliedEvent extends CheckoutEvent {
  readonly discount: number;
  constructor(readonly code: string, readonly cart: Cart) {
    super('checkout-coupon-applied');
    this.discount = cart.totals.discount;
  }
}

declare global {
  interface GlobalEventHandlersEventMap {
    'checkout-coupon-applied': CheckoutCouponAppliedEvent;
  }
}
