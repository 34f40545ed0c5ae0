/// <reference types="mocha" />
/**
 * Paying again after a decline, on the same PaymentIntent: the first press of Pay pays, however
 * late Stripe's webhook about the decline is, and a double click or a second tab never charges
 * twice.
 */
import type { CheckoutState } from '../../shared/api.ts';
import type { CheckoutCart } from '../../widget/checkout-cart/checkout-cart.component.ts';
import type { CheckoutStartedEvent } from '../../widget/events/checkout-started.ts';
import {
  $, $$, api, CARDS, chargesFor, cleanUp, deepEqual, equal, fillCard, holdIntentReads, holdWebhooks, intentReadHeld, mountCart, payButton,
  recordEvents, refuseIntentReads, releaseIntentReads, releaseWebhooks, text, toPayment, until, webhooksSettled,
} from './helpers.ts';

const EVENTS = ['checkout-started', 'checkout-payment-failed', 'checkout-completed'];

const payError = (el: CheckoutCart) => text($(el, '#pay-error'));
const orderNumber = (el: CheckoutCart) => until(() => text($$(el, '[part="order-number"]')[0]), 'the confirmation', 20000);
const checkoutState = async (id: string) => (await api<CheckoutState>(`/checkouts/${id}`)).body;

/** A cart at the payment step whose first card was declined; the Pay button ready again. */
async function declinedOnce(el: CheckoutCart, events: Event[]): Promise<string> {
  await el.add('hoodie-grey', 1);
  await toPayment(el);
  const checkoutId = (events[0] as CheckoutStartedEvent).checkoutId;
  fillCard(el, CARDS.declined);
  payButton(el).click();
  await until(() => payError(el), 'the decline message');
  equal(payError(el), 'Your card was declined.');
  await until(() => !payButton(el).disabled, 'the pay button ready again');
  return checkoutId;
}

/** The confirmation of the one order, after one decline; Stripe charged once (its webhooks all handled). */
async function expectPaidOnce(el: CheckoutCart, checkoutId: string, events: Event[]): Promise<void> {
  const shown = await orderNumber(el);
  await webhooksSettled();
  const state = await checkoutState(checkoutId);
  equal(state.status, 'paid');
  equal(shown, `Order number ${state.order!.number}`);
  equal($$(el, '#pay-error').length, 0, 'the confirmation, not the payment step with the old decline');
  deepEqual(events.map((e) => e.type), ['checkout-started', 'checkout-payment-failed', 'checkout-completed']);
  deepEqual(await chargesFor(checkoutId), { charges: 1, orders: 1 });
}

describe('<checkout-cart> paying again after a decline', function () {
  // Two payments and a confirmation each on a loaded machine; nothing here measures time.
  this.timeout(60_000);
  afterEach(async () => {
    await releaseIntentReads();
    await releaseWebhooks();
    await webhooksSettled();
    cleanUp();
  });

  it('pays with the first press when the decline\'s webhook arrives while the order is awaited', async () => {
    const el = await mountCart();
    const events = recordEvents(document, EVENTS);
    // Stripe's webhooks are late: the server hears of the decline only after the next card paid.
    await holdWebhooks();
    // (Nothing here reads the checkout's status: that read would ask Stripe, and learn of the decline.)
    const checkoutId = await declinedOnce(el, events);

    // Stripe is slow to answer the status stream's own read. Meanwhile the webhooks come, the
    // decline's first: for a moment the checkout is stored as failed, though Stripe has it paid.
    await holdIntentReads();
    fillCard(el, CARDS.visa);
    payButton(el).click();
    await intentReadHeld();
    await webhooksSettled();
    await releaseIntentReads();

    await expectPaidOnce(el, checkoutId, events);
  });

  it('pays with the first press when the decline\'s webhook arrives late and the server cannot ask Stripe', async () => {
    const el = await mountCart();
    const events = recordEvents(document, EVENTS);
    await holdWebhooks();
    const checkoutId = await declinedOnce(el, events);

    // The server can't reach Stripe, so it reports what the webhooks said: the old decline first.
    await refuseIntentReads();
    fillCard(el, CARDS.visa);
    payButton(el).click();
    await intentReadHeld();
    await webhooksSettled();

    await expectPaidOnce(el, checkoutId, events);
  });

  it('charges once for a double click on Pay after a decline', async () => {
    const el = await mountCart();
    const events = recordEvents(document, EVENTS);
    const checkoutId = await declinedOnce(el, events);

    fillCard(el, CARDS.visa);
    payButton(el).click();
    payButton(el).click();
    await expectPaidOnce(el, checkoutId, events);
  });

  it('charges once when two tabs pay the declined checkout at the same moment', async () => {
    const first = await mountCart();
    const events = recordEvents(document, EVENTS);
    const checkoutId = await declinedOnce(first, events);
    // The second tab: the same saved cart, the same email, so the same checkout and PaymentIntent.
    const second = await mountCart();
    await toPayment(second);
    equal((events.filter((e) => e.type === 'checkout-started')[1] as CheckoutStartedEvent).checkoutId, checkoutId, 'one checkout for both tabs');

    fillCard(first, CARDS.visa);
    fillCard(second, CARDS.visa);
    payButton(first).click();
    payButton(second).click();
    const [shownFirst, shownSecond] = await Promise.all([orderNumber(first), orderNumber(second)]);
    await webhooksSettled();
    const number = (await checkoutState(checkoutId)).order!.number;
    deepEqual([shownFirst, shownSecond], [`Order number ${number}`, `Order number ${number}`], 'both tabs show the one order');
    deepEqual(await chargesFor(checkoutId), { charges: 1, orders: 1 });
  });
});
