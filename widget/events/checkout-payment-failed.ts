/** A payment attempt failed (declined card, failed 3D Secure, ...); the shopper can try again. */
export class CheckoutPaymentFailedEvent extends Event {
  static readonly type = 'checkout-payment-failed';
  constructor(readonly checkoutId: string, readonly code: string, readonly message: string) {
    super(CheckoutPaymentFailedEvent.type, { bubbles: true, composed: true });
  }
}

declare global {
  interface GlobalEventHandlersEventMap {
    'checkout-payment-failed': CheckoutPaymentFailedEvent;
  }
}
