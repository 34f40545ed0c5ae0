import { CheckoutEvent } from './checkout-event.ts';

/** A payment attempt failed (declined card, failed 3D Secure, ...); the shopper can try again. */
export class CheckoutPaymentFailedEvent extends CheckoutEvent {
  constructor(readonly checkoutId: string, readonly code: string, readonly message: string) {
    super('checkout-payment-failed');
  }
}

declare global {
  interface GlobalEventHandlersEventMap {
    'checkout-payment-failed': CheckoutPaymentFailedEvent;
  }
}
