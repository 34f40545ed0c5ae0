import { CheckoutEvent } from './checkout-event.ts';

/** What the shopper used to close the panel. */
export type CloseSource = 'close-button' | 'keyboard' | 'backdrop' | 'done-button';

/**
 * The shopper asked to close the panel. Cancelable: `preventDefault()` keeps it open (say, to ask
 * first). `hide()` and setting `open` close it without asking.
 */
export class CheckoutRequestCloseEvent extends CheckoutEvent {
  constructor(readonly source: CloseSource) {
    super('checkout-request-close', true);
  }
}

declare global {
  interface GlobalEventHandlersEventMap {
    'checkout-request-close': CheckoutRequestCloseEvent;
  }
}
