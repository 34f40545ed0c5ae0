/** The server reported the order for a paid checkout. `total` is in minor units of `currency`. */
export class CheckoutCompletedEvent extends Event {
  static readonly type = 'checkout-completed';
  constructor(readonly orderId: string, readonly orderNumber: string, readonly total: number, readonly currency: string) {
    super(CheckoutCompletedEvent.type, { bubbles: true, composed: true });
  }
}

declare global {
  interface GlobalEventHandlersEventMap {
    'checkout-completed': CheckoutCompletedEvent;
  }
}
