import type { Cart } from '../../shared/api.ts';
import { CheckoutEvent } from './checkout-event.ts';

/** The shopper took a line out of the cart (remove button, or quantity set to 0). */
export class CheckoutItemRemovedEvent extends CheckoutEvent {
  constructor(readonly productId: string, readonly cart: Cart) {
    super('checkout-item-removed');
  }
}

declare global {
  interface GlobalEventHandlersEventMap {
    'checkout-item-removed': CheckoutItemRemovedEvent;
  }
}
