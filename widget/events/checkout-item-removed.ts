import type { Cart } from '../../shared/api.ts';

/** The shopper took a line out of the cart (remove button, or quantity set to 0). */
export class CheckoutItemRemovedEvent extends Event {
  static readonly type = 'checkout-item-removed';
  constructor(readonly productId: string, readonly cart: Cart) {
    super(CheckoutItemRemovedEvent.type, { bubbles: true, composed: true });
  }
}

declare global {
  interface GlobalEventHandlersEventMap {
    'checkout-item-removed': CheckoutItemRemovedEvent;
  }
}
