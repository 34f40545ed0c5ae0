/** The server opened a checkout for the cart: the payment form is next. Amount in minor units. */
export class CheckoutStartedEvent extends Event {
  static readonly type = 'checkout-started';
  constructor(readonly checkoutId: string, readonly amount: number, readonly currency: string) {
    super(CheckoutStartedEvent.type, { bubbles: true, composed: true });
  }
}

declare global {
  interface GlobalEventHandlersEventMap {
    'checkout-started': CheckoutStartedEvent;
  }
}
