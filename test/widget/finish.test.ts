/// <reference types="mocha" />
import { emulateMedia } from '@web/test-runner-commands';
import type { CheckoutCart } from '../../widget/checkout-cart/checkout-cart.component.ts';
import type { CheckoutRequestCloseEvent } from '../../widget/events/checkout-request-close.ts';
import type { CheckoutStartedEvent } from '../../widget/events/checkout-started.ts';
import {
  $, $$, api, CARDS, cardField, cleanUp, deepEqual, equal, expectNoViolations, fillCard, mountCart, payButton, recordEvents, retryToken, server, text, toPayment, until,
} from './helpers.ts';

/** A page with a landmark around the element, as the demo's header gives it. */
async function mountInMain(attributes: Record<string, string> = {}): Promise<CheckoutCart> {
  const main = document.createElement('main');
  main.dataset.testOwned = '';
  document.body.append(main);
  return mountCart(attributes, main);
}

async function payWith4242(el: CheckoutCart): Promise<string> {
  fillCard(el, CARDS.visa);
  payButton(el).click();
  return until(() => text($$(el, '[part="order-number"]')[0]), 'the order confirmation', 20000);
}

describe('<checkout-cart> trust and finish', () => {
  afterEach(async () => {
    await emulateMedia({ colorScheme: 'light' });
    cleanUp();
  });

  it('shows a lock, "Payments by Stripe" and the card brands under the Pay button, drawn inline', async () => {
    const el = await mountInMain();
    await el.add('tee-black', 1);
    await toPayment(el);
    const trust = $(el, '[part="trust"]');
    equal(text($(el, '[part="trust"] > span:not(.brands)')), 'Payments by Stripe');
    equal(trust.previousElementSibling, payButton(el), 'right under the Pay button');
    equal($(el, '[part="trust"] .brands').getAttribute('aria-label'), 'We accept Visa, Mastercard and American Express');
    equal($$(el, '[part="trust"] svg').length, 4, 'a lock and three brand marks');
    equal(el.shadowRoot!.querySelectorAll('img, [part="trust"] image').length, 0, 'no image requests');
  });

  for (const scheme of ['light', 'dark'] as const) {
    it(`confirms with a success mark, the order number, what happens next and a header that says so (${scheme}, axe clean)`, async () => {
      await emulateMedia({ colorScheme: scheme });
      const el = await mountInMain();
      await el.add('mug-stone', 1);
      await toPayment(el, 'finish@example.com');
      await expectNoViolations(el, 'payment with the trust line');
      const number = await payWith4242(el);
      equal(/^Order number CO-\d+$/.test(number), true, number);
      equal(text($(el, 'h2')), 'Order confirmed');
      equal($$(el, '[part="confirmation"] .success-mark').length, 1);
      deepEqual($$(el, '[part="confirmation"] p').map((p) => text(p)), [
        'Thank you for your order!',
        number,
        'We sent a confirmation with your receipt to finish@example.com.',
        'We are getting your order ready. Keep your order number in case you contact us.',
      ]);
      await expectNoViolations(el, 'confirmation');
    });
  }

  it('speaks German on the payment step and the confirmation', async () => {
    const el = await mountInMain({ lang: 'de' });
    await el.add('cap-navy', 1);
    await toPayment(el, 'de@example.com');
    equal(text($(el, '[part="trust"] > span:not(.brands)')), 'Zahlungen über Stripe');
    equal($(el, '[part="trust"] .brands').getAttribute('aria-label'), 'Wir akzeptieren Visa, Mastercard und American Express');
    await payWith4242(el);
    equal(text($(el, 'h2')), 'Bestellung bestätigt');
    equal(text($(el, '[part="continue-shopping"]')), 'Weiter einkaufen');
    await expectNoViolations(el, 'German confirmation');
  });

  it('"Continue shopping" closes the panel and leaves the cart view for next time', async () => {
    const el = await mountInMain();
    const closes = recordEvents(el, ['checkout-request-close']) as CheckoutRequestCloseEvent[];
    await el.add('tee-white', 1);
    await toPayment(el);
    await payWith4242(el);
    $(el, '[part="continue-shopping"]').click();
    await el.updateComplete;
    equal(el.open, false);
    deepEqual(closes.map((e) => e.source), ['done-button']);
    await el.show();
    equal(text($(el, 'h2')), 'Your cart');
    equal($$(el, '[part="confirmation"]').length, 0);
  });

  it('on a retry link\'s page, "Continue shopping" is a link back to the shop', async () => {
    const shop = await mountCart();
    const events = recordEvents(document, ['checkout-started']);
    await shop.add('tee-black', 1);
    await toPayment(shop);
    const checkoutId = (events[0] as CheckoutStartedEvent).checkoutId;
    shop.remove();
    localStorage.clear();
    const el = await mountInMain({ 'retry-token': await retryToken(checkoutId) });
    await until(() => cardField(el, 'card-number'), 'the Payment Element');
    await until(() => !payButton(el).disabled, 'the pay button ready');
    await payWith4242(el);
    const link = $(el, '[part="continue-shopping"]') as HTMLAnchorElement;
    equal(link.tagName, 'A');
    equal(link.href, `${await server()}/`);
    equal((await api(`/checkouts/${checkoutId}`)).status, 200);
  });
});
