import type { Cart } from '../../shared/api.ts';
import { CheckoutEvent } from './checkout-event.ts';

/** A product went into the cart (from a `data-checkout-add` button or `add()`), confirmed by the server. */
export class CheckoutItemAddedEvent extends CheckoutEvent {
  constructor(readonly productId: string, readonly quantity: number, readonly cart: Cart) {
    super('checkout-item-added');
  }
}

declare global {
  interface GlobalEventHandlersEventMap {
    'checkout-item-added': CheckoutItemAddedEvent;
  }
}
