import type { Cart } from '../../shared/api.ts';

/** The server accepted a discount code; `discount` is in minor units of `cart.currency`. */
export class CheckoutCouponAppliedEvent extends Event {
  static readonly type = 'checkout-coupon-applied';
  readonly discount: number;
  constructor(readonly code: string, readonly cart: Cart) {
    super(CheckoutCouponAppliedEvent.type, { bubbles: true, composed: true });
    this.discount = cart.totals.discount;
  }
}

declare global {
  interface GlobalEventHandlersEventMap {
    'checkout-coupon-applied': CheckoutCouponAppliedEvent;
  }
}
