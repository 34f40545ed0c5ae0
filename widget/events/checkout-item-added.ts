import type { Cart } from '../../shared/api.ts';

/** A product went into the cart (from a `data-checkout-add` button or `add()`), confirmed by the server. */
export class CheckoutItemAddedEvent extends Event {
  static readonly type = 'checkout-item-added';
  constructor(readonly productId: string, readonly quantity: number, readonly cart: Cart) {
    super(CheckoutItemAddedEvent.type, { bubbles: true, composed: true });
  }
}

declare global {
  interface GlobalEventHandlersEventMap {
    'checkout-item-added': CheckoutItemAddedEvent;
  }
}
