import { CheckoutEvent } from './checkout-event.ts';

/** The server opened a checkout for the cart: the payment form is next. Amount in minor units. */
export class CheckoutStartedEvent extends CheckoutEvent {
  constructor(readonly checkoutId: string, readonly amount: number, readonly currency: string) {
    super('checkout-started');
  }
}

declare global {
  interface GlobalEventHandlersEventMap {
    'checkout-started': CheckoutStartedEvent;
  }
}
