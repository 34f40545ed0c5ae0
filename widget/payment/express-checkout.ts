/**
 * Stripe's Express Checkout Element (Apple Pay, Google Pay, Link: whichever Stripe offers on this
 * device) in the Payment Element's Elements group, so a wallet pays the same PaymentIntent through
 * the same `stripe.confirmPayment` (https://docs.stripe.com/elements/express-checkout-element).
 * Mounted into a light-DOM container, as every Element must be.
 */
import type { StripeElements, StripeExpressCheckoutElement, StripeExpressCheckoutElementConfirmEvent } from '@stripe/stripe-js';

export interface ExpressCheckoutHandlers {
  /** Whether any wallet button shows: Stripe's `ready` event names none when there is none. */
  available(any: boolean): void;
  /** The shopper approved in the wallet's sheet: confirm now. Returns false when the page can't take it. */
  confirm(): boolean;
  /** Escape pressed on the buttons: their frame keeps the key from the page. */
  escape(): void;
}

export class ExpressCheckout {
  private readonly element: StripeExpressCheckoutElement;

  constructor(elements: StripeElements, container: HTMLElement, on: ExpressCheckoutHandlers) {
    this.element = elements.create('expressCheckout', { buttonHeight: 44 });
    this.element.on('ready', (event) => on.available(Boolean(event.availablePaymentMethods)));
    this.element.on('confirm', (event: StripeExpressCheckoutElementConfirmEvent) => {
      if (!on.confirm()) event.paymentFailed({ reason: 'fail' });
    });
    this.element.on('escape', on.escape);
    // Cancelled in the sheet: nothing was charged and the card form is still there.
    this.element.mount(container);
  }

  destroy(): void {
    this.element.destroy();
  }
}
