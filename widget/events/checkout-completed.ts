import { CheckoutEvent } from './checkout-event.ts';

/** The server reported the order for a paid checkout. `total` is in minor units of `currency`. */
export class CheckoutCompletedEvent extends CheckoutEvent {
  constructor(readonly orderId: string, readonly orderNumber: string, readonly total: number, readonly currency: string) {
    super('checkout-completed');
  }
}

declare global {
  interface GlobalEventHandlersEventMap {
    'checkout-completed': CheckoutCompletedEvent;
  }
}
