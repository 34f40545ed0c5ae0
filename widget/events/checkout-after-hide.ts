import { CheckoutEvent } from './checkout-event.ts';

/** The panel has closed and focus is back where it was before it opened. */
export class CheckoutAfterHideEvent extends CheckoutEvent {
  constructor() {
    super('checkout-after-hide');
  }
}

declare global {
  interface GlobalEventHandlersEventMap {
    'checkout-after-hide': CheckoutAfterHideEvent;
  }
}
