/**
 * Stripe's Payment Element for one PaymentIntent, mounted into a light-DOM container (Stripe
 * refuses shadow roots) and confirmed in the page: 3D Secure runs in Stripe.js's own modal and
 * only methods that need a redirect leave the page (`redirect: 'if_required'`).
 */
import type { Stripe, StripeElements, StripeElementsOptionsClientSecret, StripePaymentElement } from '@stripe/stripe-js';

export type ConfirmOutcome =
  | { kind: 'paid'; status: string }
  | { kind: 'failed'; code: string; message: string | undefined; type: string };

export class PaymentForm {
  /** The Elements group: the Payment Element's, which the Express Checkout Element joins. */
  readonly elements: StripeElements;
  private readonly element: StripePaymentElement;

  constructor(
    private readonly stripe: Stripe,
    readonly clientSecret: string,
    container: HTMLElement,
    locale: string,
    /** Escape pressed in the element: its frame keeps the key from the page. */
    escape: () => void,
  ) {
    const options: StripeElementsOptionsClientSecret = {
      clientSecret,
      locale: locale as StripeElementsOptionsClientSecret['locale'],
      // Always the light theme: the element sits on a light card (part payment-element) in both schemes.
      appearance: { theme: 'stripe' },
    };
    this.elements = stripe.elements(options);
    this.element = this.elements.create('payment', { layout: 'tabs' });
    this.element.on('escape', escape);
    this.element.mount(container);
  }

  /** Confirms the PaymentIntent with what the shopper entered; never throws for a decline. */
  async confirm(returnUrl: string): Promise<ConfirmOutcome> {
    const result = await this.stripe.confirmPayment({
      elements: this.elements,
      confirmParams: { return_url: returnUrl },
      redirect: 'if_required',
    });
    if (result.error) {
      const e = result.error;
      return { kind: 'failed', code: e.decline_code ?? e.code ?? 'payment_failed', message: e.message, type: e.type };
    }
    return { kind: 'paid', status: result.paymentIntent.status };
  }

  destroy(): void {
    this.element.destroy();
  }
}
