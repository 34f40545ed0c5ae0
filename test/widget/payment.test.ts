/// <reference types="mocha" />
import { emulateMedia, sendKeys } from '@web/test-runner-commands';
import type { Cart, CheckoutState, PublicConfig } from '../../shared/api.ts';
import type { CheckoutCart } from '../../widget/checkout-cart/checkout-cart.component.ts';
import type { CheckoutCompletedEvent } from '../../widget/events/checkout-completed.ts';
import type { CheckoutPaymentFailedEvent } from '../../widget/events/checkout-payment-failed.ts';
import type { CheckoutStartedEvent } from '../../widget/events/checkout-started.ts';
import type { RedirectPayment } from './harness/commands.ts';
import {
  $, $$, answerChallenge, api, CARDS, cardField, cleanUp, deepEqual, equal, expectNoViolations, expectedTotals, fillCard, mountCart, payButton, payByRedirect, payOutOfBand,
  recordEvents, retryToken, serverCart, shownTotals, stripeSettles, text, toPayment, until, usd, webhooksSettled,
} from './helpers.ts';

const EVENTS = ['checkout-started', 'checkout-payment-failed', 'checkout-completed'];

const payError = (el: CheckoutCart) => text($(el, '#pay-error'));
const savedCheckoutId = (el: CheckoutCart) => JSON.parse(localStorage.getItem(`checkout-cart:${el.api}`)!).checkoutId as string | null;
const checkoutState = async (id: string) => (await api<CheckoutState>(`/checkouts/${id}`)).body;

/** Answers the 3D Secure challenge once its modal is up; the bank's page is a frame from another origin, answered from outside. */
async function challenge(answer: 'complete' | 'fail'): Promise<void> {
  const frame = await until(() => document.querySelector<HTMLIFrameElement>('[data-testid="three-ds-challenge"] iframe'), 'the 3D Secure challenge');
  await answerChallenge({ paymentIntentId: new URL(frame.src).pathname.split('/').pop()!, answer });
}

async function confirmation(el: CheckoutCart): Promise<string> {
  return until(() => text($$(el, '[part="order-number"]')[0]), 'the order confirmation', 20000);
}

/** The confirmation shows the server's order: number, items, totals; the events say the same. */
async function expectOrderShown(el: CheckoutCart, checkoutId: string, events: Event[], cart: Cart): Promise<void> {
  const shown = await confirmation(el);
  const state = await checkoutState(checkoutId);
  equal(state.status, 'paid');
  const order = state.order!;
  equal(shown, `Order number ${order.number}`);
  deepEqual(order.totals, cart.totals, 'the order charged the cart\'s totals');
  deepEqual(shownTotals(el), expectedTotals(order));
  deepEqual($$(el, '[part="summary"] li').map((li) => text(li)), order.items.map((i) => `${i.quantity} × ${i.name} ${usd(i.lineTotal)}`));
  const completed = events.filter((e) => e.type === 'checkout-completed') as CheckoutCompletedEvent[];
  equal(completed.length, 1, 'one checkout-completed event');
  deepEqual([completed[0]!.orderId, completed[0]!.orderNumber, completed[0]!.total, completed[0]!.currency], [order.id, order.number, order.totals.total, order.currency]);
  equal(savedCheckoutId(el), null, 'nothing left to resume');
  // The paid lines left the cart; the (now empty) cart stays, so nothing answers 404 after a purchase.
  await until(() => el.cart?.id === cart.id && el.cart.itemCount === 0, 'the paid lines gone from the cart');
}

describe('<checkout-cart> payment', function () {
  before(async function () {
    const probe = await api<{ cart: Cart }>('/carts', { method: 'POST' });
    const started = await api<{ error?: { code: string } }>(`/carts/${probe.body.cart.id}/checkout`, { json: { email: 'probe@example.com' } });
    const config = (await api<PublicConfig>('/config')).body;
    const stripeJs = await fetch(config.stripeJsUrl).then((r) => r.text(), () => '');
    // Until the checkout API and the Stripe.js stand-in are wired, there is nothing to pay with.
    if (started.body.error?.code !== 'cart_empty' || !stripeJs.includes('window.Stripe')) this.skip();
  });
  afterEach(cleanUp);

  it('pays with 4242: exact total on the button, disabled while paying, then the server\'s order', async () => {
    const el = await mountCart();
    const events = recordEvents(document, EVENTS);
    await el.add('tee-black', 2);
    await el.add('mug-stone', 1);
    await el.show();
    await el.updateComplete;
    ($(el, '#coupon') as HTMLInputElement).value = 'WELCOME15';
    ($(el, 'form[part="coupon"]') as HTMLFormElement).requestSubmit();
    await until(() => el.cart!.couponCode, 'the coupon applied');
    const cart = await serverCart(el.cart!.id);
    await toPayment(el, 'ada@example.com');

    const started = events[0] as CheckoutStartedEvent;
    deepEqual([started.type, started.amount, started.currency], ['checkout-started', cart.totals.total, 'USD']);
    equal(text(payButton(el)), `Pay ${usd(cart.totals.total)}`);
    equal(text($(el, '[part="email"]')), 'ada@example.com');
    deepEqual(shownTotals(el), expectedTotals(cart), 'the summary shows the server\'s totals');
    equal(savedCheckoutId(el), started.checkoutId);

    fillCard(el, CARDS.visa);
    payButton(el).click();
    payButton(el).click();
    await el.updateComplete;
    equal(payButton(el).disabled, true, 'no second charge while the first is on its way');
    await expectOrderShown(el, started.checkoutId, events, cart);
    deepEqual(events.map((e) => e.type), ['checkout-started', 'checkout-completed']);
  });

  it('after paying, shows only what another tab added meanwhile, not the paid lines', async () => {
    const el = await mountCart();
    const events = recordEvents(document, EVENTS);
    await el.add('tee-black', 1);
    const cart = await serverCart(el.cart!.id);
    await toPayment(el, 'two-tabs@example.com');
    // Another tab adds a cap to the same cart while this one is on the payment step.
    equal((await api(`/carts/${cart.id}/items`, { json: { productId: 'cap-navy', quantity: 1 } })).status, 200);
    fillCard(el, CARDS.visa);
    payButton(el).click();
    await confirmation(el);
    await until(() => el.cart?.items.length === 1 && el.cart.items[0]!.productId === 'cap-navy', 'the cart holding only the cap');
    equal(el.cart!.itemCount, 1);
    equal((await checkoutState((events[0] as CheckoutStartedEvent).checkoutId)).order?.items.map((i) => i.productId).join(), 'tee-black');
  });

  it('pays with a 3D Secure card when the shopper completes the challenge', async () => {
    const el = await mountCart();
    const events = recordEvents(document, EVENTS);
    await el.add('cap-navy', 1);
    const cart = await serverCart(el.cart!.id);
    await toPayment(el);
    fillCard(el, CARDS.threeDSecure);
    payButton(el).click();
    await challenge('complete');
    await expectOrderShown(el, (events[0] as CheckoutStartedEvent).checkoutId, events, cart);
    deepEqual(events.map((e) => e.type), ['checkout-started', 'checkout-completed']);
  });

  it('says when 3D Secure fails and then takes 4242 on the same checkout', async () => {
    const el = await mountCart();
    const events = recordEvents(document, EVENTS);
    await el.add('tee-white', 1);
    const cart = await serverCart(el.cart!.id);
    await toPayment(el);
    const checkoutId = (events[0] as CheckoutStartedEvent).checkoutId;
    fillCard(el, CARDS.threeDSecure);
    payButton(el).click();
    await challenge('fail');
    await until(() => payError(el), 'the failure message');
    equal(payError(el), "The bank's security check (3D Secure) was not completed.");
    equal(text($(el, '#pay-hint')), 'Nothing was charged. Check the details or use another card, then pay again.');
    const failed = events[1] as CheckoutPaymentFailedEvent;
    deepEqual([failed.type, failed.checkoutId, failed.code, failed.message], ['checkout-payment-failed', checkoutId, 'payment_intent_authentication_failure', payError(el)]);
    equal(payButton(el).disabled, false, 'the shopper can pay again');
    equal(el.shadowRoot!.activeElement, payButton(el), 'focus on the pay button, which the message describes');

    fillCard(el, CARDS.visa);
    payButton(el).click();
    await expectOrderShown(el, checkoutId, events, cart);
    deepEqual(events.map((e) => e.type), ['checkout-started', 'checkout-payment-failed', 'checkout-completed']);
  });

  it('says a declined card was declined and then takes 4242 on the same PaymentIntent', async () => {
    const el = await mountCart();
    const events = recordEvents(document, EVENTS);
    await el.add('hoodie-grey', 1);
    const cart = await serverCart(el.cart!.id);
    await toPayment(el);
    const checkoutId = (events[0] as CheckoutStartedEvent).checkoutId;
    const secretBefore = (await checkoutState(checkoutId)).clientSecret;

    fillCard(el, CARDS.declined);
    payButton(el).click();
    await until(() => payError(el), 'the decline message');
    equal(payError(el), 'Your card was declined.');
    const failed = events[1] as CheckoutPaymentFailedEvent;
    deepEqual([failed.checkoutId, failed.code], [checkoutId, 'generic_decline']);
    const afterDecline = await checkoutState(checkoutId);
    equal(afterDecline.clientSecret, secretBefore, 'the same PaymentIntent stays payable');

    fillCard(el, CARDS.visa);
    payButton(el).click();
    await expectOrderShown(el, checkoutId, events, cart);
    deepEqual(events.map((e) => e.type), ['checkout-started', 'checkout-payment-failed', 'checkout-completed']);
  });

  it('resumes on return from a payment redirect instead of starting over', async () => {
    const first = await mountCart();
    const events = recordEvents(document, EVENTS);
    await first.add('tee-black', 1);
    const cart = await serverCart(first.cart!.id);
    await toPayment(first);
    const checkoutId = (events[0] as CheckoutStartedEvent).checkoutId;
    const { clientSecret } = await checkoutState(checkoutId);
    first.remove(); // the page goes away to the bank's page, which takes the payment
    equal(await payOutOfBand(clientSecret!), 'succeeded');

    const back = new URL(location.href);
    back.searchParams.set('payment_intent', clientSecret!.split('_secret_')[0]!);
    back.searchParams.set('payment_intent_client_secret', clientSecret!);
    back.searchParams.set('redirect_status', 'succeeded');
    const page = location.href;
    history.replaceState(null, '', back);
    try {
      const second = await mountCart();
      await expectOrderShown(second, checkoutId, events, cart);
      equal(second.open, true, 'the panel opens on the outcome');
      equal(location.href, page, 'Stripe\'s redirect parameters are removed from the address');
    } finally {
      history.replaceState(null, '', page);
    }
  });

  /** Back on the shop's page with what Stripe appends to `return_url`; the address is restored afterwards. */
  async function backFromRedirect(search: string, then: (el: CheckoutCart) => Promise<void>): Promise<void> {
    const page = location.href;
    const back = new URL(location.href);
    for (const [name, value] of new URLSearchParams(search)) back.searchParams.set(name, value);
    history.replaceState(null, '', back);
    try {
      const el = await mountCart();
      await then(el);
      equal(location.href, page, 'Stripe\'s redirect parameters are removed from the address');
    } finally {
      history.replaceState(null, '', page);
    }
  }

  const processingShown = (el: CheckoutCart) => until(() => text($$(el, '[part="processing"]')[0]), 'the processing view');

  /**
   * A shopper checks out a product and pays with the emulator's redirect method: the page goes away
   * to the method's page, where `result` is chosen. Resolves with what Stripe sends them back with.
   */
  async function payAwayByRedirect(productId: string, result: RedirectPayment['result']) {
    const first = await mountCart();
    const events = recordEvents(document, EVENTS);
    await first.add(productId, 1);
    const cart = await serverCart(first.cart!.id);
    await toPayment(first);
    const checkoutId = (events[0] as CheckoutStartedEvent).checkoutId;
    const { clientSecret } = await checkoutState(checkoutId);
    first.remove(); // off to the payment method's page
    const search = await payByRedirect({ clientSecret: clientSecret!, result });
    return { events, cart, checkoutId, search };
  }

  it('shows processing after a redirect that settles later, then the order once Stripe says it succeeded', async () => {
    const { events, cart, checkoutId, search } = await payAwayByRedirect('tee-black', 'settle_later');
    equal(new URLSearchParams(search).get('redirect_status'), 'processing');

    await backFromRedirect(search, async (second) => {
      await processingShown(second);
      equal(second.open, true, 'the panel opens on the outcome');
      equal((await checkoutState(checkoutId)).status, 'processing');
      await stripeSettles();
      await expectOrderShown(second, checkoutId, events, cart);
    });
  });

  it('shows processing after a redirect that fails later, then the failure, and takes a card on the same checkout', async () => {
    const { events, cart, checkoutId, search } = await payAwayByRedirect('mug-stone', 'fail_later');

    await backFromRedirect(search, async (second) => {
      await processingShown(second);
      await stripeSettles();
      await until(() => cardField(second, 'card-number'), 'the payment step again');
      await until(() => payError(second), 'the reason');
      equal((await checkoutState(checkoutId)).status, 'failed');
      deepEqual(events.map((e) => e.type), ['checkout-started', 'checkout-payment-failed']);
      await until(() => !payButton(second).disabled, 'the pay button ready');
      fillCard(second, CARDS.visa);
      payButton(second).click();
      await expectOrderShown(second, checkoutId, events, cart);
    });
  });

  it('shows the payment step with the reason after a redirect the shopper failed', async () => {
    const { checkoutId, search } = await payAwayByRedirect('cap-navy', 'fail');
    equal(new URLSearchParams(search).get('redirect_status'), 'failed');

    await backFromRedirect(search, async (second) => {
      await until(() => cardField(second, 'card-number'), 'the payment step');
      await until(() => payError(second), 'the reason');
      equal(second.open, true);
      equal((await checkoutState(checkoutId)).status, 'failed');
    });
  });

  it('shows the order after a reload while the payment was being confirmed', async () => {
    const first = await mountCart();
    const events = recordEvents(document, EVENTS);
    await first.add('cap-navy', 2);
    const cart = await serverCart(first.cart!.id);
    await toPayment(first);
    const checkoutId = (events[0] as CheckoutStartedEvent).checkoutId;
    first.remove();
    equal(await payOutOfBand((await checkoutState(checkoutId)).clientSecret!), 'succeeded');

    const second = await mountCart();
    await expectOrderShown(second, checkoutId, events, cart);
    equal(second.open, true);
  });

  it('opens straight into the payment step from a retry link and pays', async () => {
    const shop = await mountCart();
    const events = recordEvents(document, EVENTS);
    await shop.add('mug-stone', 2);
    const cart = await serverCart(shop.cart!.id);
    await toPayment(shop, 'grace@example.com');
    const checkoutId = (events[0] as CheckoutStartedEvent).checkoutId;
    fillCard(shop, CARDS.declined);
    payButton(shop).click();
    await until(() => payError(shop), 'the decline');
    // The recovery email goes out once the server heard of the decline: its webhook is in.
    await webhooksSettled();
    shop.remove();
    localStorage.clear(); // the recovery email is opened on another device

    const el = await mountCart({ 'retry-token': await retryToken(checkoutId) });
    await until(() => cardField(el, 'card-number'), 'the Payment Element');
    equal(el.open, true);
    equal(text($(el, 'h2')), 'Payment');
    equal(text($(el, '[part="email"]')), 'grace@example.com');
    equal(payError(el), 'Your card was declined.', 'the last attempt\'s outcome');
    equal(text(payButton(el)), `Pay ${usd(cart.totals.total)}`);
    deepEqual(shownTotals(el), expectedTotals(cart));
    equal($$(el, '[part="summary"] li').length, 1);
    deepEqual($$(el, 'button').map((b) => text(b)).filter((label) => label === 'Back to cart' || label === 'Change'), [], 'a retry link pays exactly this checkout');

    await until(() => !payButton(el).disabled, 'the pay button ready');
    fillCard(el, CARDS.visa);
    payButton(el).click();
    await confirmation(el);
    const state = await checkoutState(checkoutId);
    equal(state.status, 'paid');
    equal(text($(el, '[part="order-number"]')), `Order number ${state.order!.number}`);
  });

  it('shows Stripe\'s field message for incomplete card details without calling it a failed payment', async () => {
    const el = await mountCart();
    const events = recordEvents(document, EVENTS);
    await el.add('cap-navy', 1);
    await toPayment(el);
    payButton(el).click();
    await until(() => payError(el), 'the validation message');
    equal(payError(el), 'Your card number is incomplete.');
    equal(document.activeElement, cardField(el, 'card-number'), 'Stripe focuses the field to fix');
    deepEqual(events.map((e) => e.type), ['checkout-started']);
  });

  for (const scheme of ['light', 'dark'] as const) {
    it(`has no axe violations on the payment step, a decline and the confirmation (${scheme})`, async () => {
      await emulateMedia({ colorScheme: scheme });
      try {
        const main = document.createElement('main');
        main.dataset.testOwned = '';
        document.body.append(main);
        const el = await mountCart({}, main);
        await el.add('tee-black', 1);
        await toPayment(el);
        await expectNoViolations(el, 'payment');
        fillCard(el, CARDS.declined);
        payButton(el).click();
        await until(() => payError(el), 'the decline');
        await expectNoViolations(el, 'payment with a decline');
        fillCard(el, CARDS.visa);
        payButton(el).click();
        await confirmation(el);
        await expectNoViolations(el, 'confirmation');
      } finally {
        await emulateMedia({ colorScheme: 'light' });
      }
    });
  }

  it('completes a purchase with the keyboard alone', async () => {
    const main = document.createElement('main');
    main.dataset.testOwned = '';
    document.body.append(main);
    const button = document.createElement('button');
    button.type = 'button';
    button.dataset.checkoutAdd = 'tee-white';
    button.textContent = 'Add to cart';
    main.append(button);
    const el = await mountCart({}, main);
    const events = recordEvents(document, EVENTS);

    const focused = () => el.shadowRoot!.activeElement ?? document.activeElement;
    const tabTo = async (match: (node: Element) => boolean, what: string) => {
      for (let i = 0; i < 40 && !match(focused()!); i++) await sendKeys({ press: 'Tab' });
      if (!match(focused()!)) throw new Error(`could not Tab to ${what}`);
    };

    button.focus();
    await sendKeys({ press: 'Enter' });
    await until(() => el.cart?.items.length === 1, 'the tee added');
    const cart = await serverCart(el.cart!.id);
    await tabTo((n) => n.getAttribute('part') === 'checkout-button', 'the checkout button');
    await sendKeys({ press: 'Enter' });
    await until(() => focused()?.id === 'email', 'the email field focused');
    await sendKeys({ type: 'keys@example.com' });
    await sendKeys({ press: 'Enter' });
    await until(() => cardField(el, 'card-number'), 'the Payment Element');
    await until(() => !payButton(el).disabled, 'the pay button ready');

    await tabTo((n) => n === cardField(el, 'card-number'), 'the card number');
    await sendKeys({ type: CARDS.visa });
    await sendKeys({ press: 'Tab' });
    await sendKeys({ type: '1234' });
    await sendKeys({ press: 'Tab' });
    await sendKeys({ type: '123' });
    await sendKeys({ press: 'Tab' });
    await sendKeys({ type: '10115' });
    await tabTo((n) => n.getAttribute('part') === 'pay-button', 'the pay button');
    await sendKeys({ press: 'Enter' });

    await expectOrderShown(el, (events[0] as CheckoutStartedEvent).checkoutId, events, cart);
    equal(focused(), $(el, 'h2'), 'focus on the confirmation\'s heading');
    await sendKeys({ press: 'Escape' });
    await el.updateComplete;
    equal(el.open, false);
    equal(document.activeElement, button, 'focus back where the shopper started');
  });
});
