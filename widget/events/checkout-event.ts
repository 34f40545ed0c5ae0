/** Every `checkout-*` event bubbles and is composed: a listener anywhere in the page hears it. */
export class CheckoutEvent extends Event {
  constructor(type: `checkout-${string}`, cancelable = false) {
    super(type, { bubbles: true, composed: true, cancelable });
  }
}
