import { CheckoutEvent } from './checkout-event.ts';

/** The panel is opening (`show()`, the toggle, an add button, or a checkout to resume). */
export class CheckoutShowEvent extends CheckoutEvent {
  constructor() {
    super('checkout-show');
  }
}

declare global {
  interface GlobalEventHandlersEventMap {
    'checkout-show': CheckoutShowEvent;
  }
}
