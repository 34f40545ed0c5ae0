/**
 * Money exactly once: one live PaymentIntent per checkout whatever the concurrency, no charge
 * without an order or a refund, and no email or cart state that invites paying twice. Real SQLite
 * and Redis, the emulator through the official SDK.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type Stripe from 'stripe';
import type { Cart, CheckoutState } from '../../../shared/api.ts';
import { sendDueRecoveryEmails } from '../../../server/checkout/payment-events.ts';
import { INTENT_CLAIM_MS } from '../../../server/checkout/start-checkout.ts';
import { retryAutomaticRefunds } from '../../../server/checkout/automatic-refunds.ts';
import { redisAvailable } from '../../helpers/redis.ts';
import { ADMIN_TOKEN, cartWith, checkout, count, pay, paymentIntentId, returnUrl, startTestServer, webhooksSettled, type TestServer } from '../../helpers/server.ts';
import { sqlRow, sqlRun, sqlValue } from '../../helpers/db.ts';

/** Every PaymentIntent the emulator holds for a cart, through the SDK's auto-pagination. */
async function intentsForCart(s: TestServer, cartId: string): Promise<Stripe.PaymentIntent[]> {
  const all: Stripe.PaymentIntent[] = [];
  for await (const pi of s.sdk.paymentIntents.list({ limit: 100 })) if (pi.metadata.cart_id === cartId) all.push(pi);
  return all;
}

/** What Stripe kept of the shopper's money for these PaymentIntents: received minus refunded. */
async function netCharged(s: TestServer, intentIds: string[]): Promise<number> {
  let net = 0;
  for (const id of new Set(intentIds)) {
    const pi = await s.sdk.paymentIntents.retrieve(id);
    if (pi.status !== 'succeeded') continue;
    net += pi.amount_received;
    for await (const refund of s.sdk.refunds.list({ payment_intent: id, limit: 100 })) if (refund.status === 'succeeded') net -= refund.amount;
  }
  return net;
}

for (const store of ['sqlite', 'redis'] as const) {
  describe(`money exactly once (${store} carts)`, () => {
    let s: TestServer | undefined;
    let offset = 0;
    before(async () => {
      if (store === 'redis' && !(await redisAvailable())) return;
      s = await startTestServer({ store, clock: () => Date.now() + offset });
    });
    after(() => s?.stop());

    const state = async (id: string) => (await s!.api<CheckoutState>(`/api/checkouts/${id}`)).body;
    const cartOf = async (id: string) => (await s!.api<{ cart: Cart }>(`/api/carts/${id}`)).body.cart;
    const recoveryEmails = (email: string) => count(s!, "SELECT COUNT(*) FROM outbox WHERE recipient = ? AND dedupe_key LIKE 'recovery:%'", email);

    it('gives 8 concurrent checkout requests for each of 10 carts one checkout and one PaymentIntent per cart', async (t) => {
      if (!s) return t.skip('Redis is not running');
      const carts = await Promise.all(Array.from({ length: 10 }, () => cartWith(s!, [['tee-black', 1], ['mug-stone', 1]])));
      const answers = await Promise.all(carts.flatMap((cart) => Array.from({ length: 8 }, () => checkout(s!, cart.id, 'double@example.com'))));
      assert.deepEqual(answers.map((a) => a.status), Array(80).fill(200));
      for (const [i, cart] of carts.entries()) {
        const mine = answers.slice(i * 8, i * 8 + 8);
        assert.equal(new Set(mine.map((a) => a.body.clientSecret)).size, 1, 'every request got the same client secret');
        assert.equal(new Set(mine.map((a) => a.body.checkoutId)).size, 1, 'and the same checkout');
        assert.equal((await intentsForCart(s, cart.id)).length, 1, 'Stripe holds one PaymentIntent for the cart');
        assert.equal(await count(s, 'SELECT COUNT(*) FROM checkouts WHERE cart_id = ?', cart.id), 1);
      }
      // Paying every client secret handed out (each twice, as a double-clicked Pay button would): one charge, one order per cart.
      const secrets = answers.map((a) => a.body.clientSecret);
      await Promise.all(secrets.slice(0, 16).map((secret) => pay(s!, secret)));
      await webhooksSettled(s);
      for (const [i, cart] of carts.slice(0, 2).entries()) {
        const id = answers[i * 8]!.body.checkoutId;
        assert.equal(await count(s, 'SELECT COUNT(*) FROM orders WHERE checkout_id = ?', id), 1);
        const amount = await count(s, 'SELECT amount_paid FROM orders WHERE checkout_id = ?', id);
        assert.equal(await netCharged(s, (await intentsForCart(s, cart.id)).map((pi) => pi.id)), amount);
      }
    });

    it('a request that died holding a checkout blocks the others only until its lease runs out', async (t) => {
      if (!s) return t.skip('Redis is not running');
      const cart = await cartWith(s, [['tee-black', 1]]);
      const first = await checkout(s, cart.id, 'crash@example.com');
      await s.api(`/api/carts/${cart.id}/items`, { json: { productId: 'tee-black', quantity: 1 } });
      // As if a process claimed the checkout to replace its PaymentIntent and was killed there.
      const now = Date.now() + offset;
      assert.equal(await s.checkout.checkouts.claimIntent(first.body.checkoutId, now, now + INTENT_CLAIM_MS), true);
      const waiting = checkout(s, cart.id, 'crash@example.com');
      await new Promise((r) => setTimeout(r, 300));
      assert.equal((await s.sdk.paymentIntents.retrieve(paymentIntentId(first.body.clientSecret))).status, 'requires_payment_method', 'nobody touched it while claimed');
      offset += INTENT_CLAIM_MS + 1;
      try {
        const after = await waiting;
        assert.equal(after.status, 200);
        assert.equal(after.body.checkoutId, first.body.checkoutId);
        assert.equal(after.body.amount, 2 * first.body.totals.subtotal + Math.round(2 * first.body.totals.subtotal * 0.08));
        assert.equal((await s.sdk.paymentIntents.retrieve(paymentIntentId(first.body.clientSecret))).status, 'canceled');
        assert.equal((await pay(s, after.body.clientSecret) as { status?: string }).status, 'succeeded');
        await webhooksSettled(s);
        assert.equal(await count(s, 'SELECT COUNT(*) FROM orders WHERE checkout_id = ?', first.body.checkoutId), 1);
      } finally {
        offset -= INTENT_CLAIM_MS + 1;
      }
    });

    it('after the cart changed twice, paying every PaymentIntent ever handed out charges exactly the order amount', async (t) => {
      if (!s) return t.skip('Redis is not running');
      const cart = await cartWith(s, [['cap-navy', 1]]);
      const handedOut = [(await checkout(s, cart.id, 'tabs@example.com')).body];
      await s.api(`/api/carts/${cart.id}/items`, { json: { productId: 'cap-navy', quantity: 1 } });
      handedOut.push((await checkout(s, cart.id, 'tabs@example.com')).body);
      await s.api(`/api/carts/${cart.id}/items`, { json: { productId: 'mug-stone', quantity: 1 } });
      handedOut.push((await checkout(s, cart.id, 'tabs@example.com')).body);
      assert.equal(new Set(handedOut.map((h) => h.checkoutId)).size, 1);
      assert.equal(new Set(handedOut.map((h) => h.clientSecret)).size, 3);

      s.stripe.emulator!.webhooks.configure({ copies: 3, shuffle: true });
      const results = await Promise.all(handedOut.map((h) => pay(s!, h.clientSecret)));
      await webhooksSettled(s);
      s.stripe.emulator!.webhooks.configure({ copies: 1, shuffle: false });
      assert.deepEqual(results.map((r) => (r as { status?: string }).status ?? (r as { code?: string }).code),
        ['payment_intent_unexpected_state', 'payment_intent_unexpected_state', 'succeeded'], 'the replaced ones were canceled for sure');
      const checkoutId = handedOut[0]!.checkoutId;
      assert.equal(await count(s, 'SELECT COUNT(*) FROM orders WHERE checkout_id = ?', checkoutId), 1);
      assert.equal(await count(s, 'SELECT total FROM orders WHERE checkout_id = ?', checkoutId), handedOut[2]!.amount);
      assert.equal(await netCharged(s, handedOut.map((h) => paymentIntentId(h.clientSecret))), handedOut[2]!.amount);
    });

    it('refunds, once, a second successful payment for a checkout that already has its order, and shows it to the merchant', async (t) => {
      if (!s) return t.skip('Redis is not running');
      const cart = await cartWith(s, [['tee-white', 1]]);
      const started = await checkout(s, cart.id, 'twice@example.com');
      await pay(s, started.body.clientSecret);
      await webhooksSettled(s);
      // A payment for the same checkout made around us (an old integration, the dashboard, a bug).
      const stray = await s.sdk.paymentIntents.create({ amount: started.body.amount, currency: 'usd', metadata: { checkout_id: started.body.checkoutId } });
      s.stripe.emulator!.webhooks.configure({ copies: 3, shuffle: true });
      await s.sdk.paymentIntents.confirm(stray.id, { payment_method: 'pm_card_visa', return_url: returnUrl(s) });
      await webhooksSettled(s);
      await state(started.body.checkoutId); // the status read reconciles too: still nothing twice
      await retryAutomaticRefunds(s.checkout);
      s.stripe.emulator!.webhooks.configure({ copies: 1, shuffle: false });

      const refunds = await s.sdk.refunds.list({ payment_intent: stray.id });
      assert.equal(refunds.data.length, 1);
      assert.deepEqual([refunds.data[0]!.amount, refunds.data[0]!.reason], [started.body.amount, 'duplicate']);
      assert.equal(await count(s, 'SELECT COUNT(*) FROM orders WHERE checkout_id = ?', started.body.checkoutId), 1);
      const order = (await sqlRow(s.db, 'SELECT status, attention_reason AS reason FROM orders WHERE checkout_id = ?', started.body.checkoutId));
      assert.deepEqual(order, { status: 'needs_attention', reason: 'duplicate_payment' });
      const recorded = (await sqlRow(s.db, 'SELECT reason, status, amount FROM automatic_refunds WHERE payment_intent_id = ?', stray.id));
      assert.deepEqual(recorded, { reason: 'duplicate_payment', status: 'refunded', amount: started.body.amount });
      const orderId = (await sqlValue(s.db, 'SELECT id FROM orders WHERE checkout_id = ?', started.body.checkoutId)) as string;
      const detail = await s.api<{ automaticRefunds: { paymentIntentId: string; reason: string }[] }>(`/api/admin/orders/${orderId}`, { headers: { authorization: `Bearer ${ADMIN_TOKEN}` } });
      assert.deepEqual(detail.body.automaticRefunds.map((r) => [r.paymentIntentId, r.reason]), [[stray.id, 'duplicate_payment']]);
      assert.equal(await netCharged(s, [paymentIntentId(started.body.clientSecret), stray.id]), started.body.amount);
    });

    it('paid, then the cart changed before the webhook landed: no second PaymentIntent, the order is made, the new line stays', async (t) => {
      if (!s) return t.skip('Redis is not running');
      const cart = await cartWith(s, [['hoodie-grey', 1]]);
      const first = await checkout(s, cart.id, 'late-hook@example.com');
      s.stripe.emulator!.webhooks.configure({ paused: true });
      assert.equal((await pay(s, first.body.clientSecret) as { status?: string }).status, 'succeeded');
      // Another tab adds a mug and checks out again, before Stripe's webhook arrives.
      await s.api(`/api/carts/${cart.id}/items`, { json: { productId: 'mug-stone', quantity: 1 } });
      const again = await checkout(s, cart.id, 'late-hook@example.com');
      assert.equal(again.status, 409);
      assert.equal(again.body.error?.code, 'checkout_closed');
      assert.equal((await state(first.body.checkoutId)).status, 'paid');
      assert.equal((await intentsForCart(s, cart.id)).length, 1, 'no second PaymentIntent was made');
      assert.deepEqual((await cartOf(cart.id)).items.map((l) => [l.productId, l.quantity]), [['mug-stone', 1]]);

      s.stripe.emulator!.webhooks.configure({ paused: false });
      await webhooksSettled(s);
      assert.equal(await count(s, 'SELECT COUNT(*) FROM orders WHERE checkout_id = ?', first.body.checkoutId), 1);
      assert.equal(await count(s, 'SELECT total FROM orders WHERE checkout_id = ?', first.body.checkoutId), first.body.amount);
      // The mug is bought on a checkout of its own.
      const mug = await checkout(s, cart.id, 'late-hook@example.com');
      assert.equal(mug.status, 200);
      assert.notEqual(mug.body.checkoutId, first.body.checkoutId);
      assert.equal(mug.body.totals.subtotal, 1400);
      await pay(s, mug.body.clientSecret);
      await webhooksSettled(s);
      const all = (await intentsForCart(s, cart.id)).map((pi) => pi.id);
      assert.equal(all.length, 2);
      assert.equal(await netCharged(s, all), first.body.amount + mug.body.amount);
    });

    it('a paid tab plus an item added in another tab: the cart keeps only the new item', async (t) => {
      if (!s) return t.skip('Redis is not running');
      const cart = await cartWith(s, [['tee-black', 2]], 'WELCOME15');
      const started = await checkout(s, cart.id, 'two-tabs@example.com');
      await s.api(`/api/carts/${cart.id}/items`, { json: { productId: 'cap-navy', quantity: 1 } });
      await s.api(`/api/carts/${cart.id}/items`, { json: { productId: 'tee-black', quantity: 1 } });
      await pay(s, started.body.clientSecret);
      await webhooksSettled(s);
      const left = await cartOf(cart.id);
      assert.deepEqual(left.items.map((l) => [l.productId, l.quantity]), [['tee-black', 1], ['cap-navy', 1]]);
      assert.equal(left.couponCode, null, 'the redeemed coupon went with the paid lines');
      assert.equal(await count(s, 'SELECT COUNT(*) FROM orders WHERE checkout_id = ?', started.body.checkoutId), 1);
    });

    it('tells the shopper of the order only once the paid lines left the cart (a tab that then reads the cart sees it without them)', async (t) => {
      if (!s) return t.skip('Redis is not running');
      const cart = await cartWith(s, [['mug-stone', 1]]);
      const started = await checkout(s, cart.id, 'told-after@example.com');
      // What a paying tab does on hearing the status event (its stream carries the order): read the cart at once.
      const heard = new Promise<Cart>((resolve) => {
        const stop = s!.checkout.bus.subscribe(started.body.checkoutId, () => void Promise.all([cartOf(cart.id), state(started.body.checkoutId)]).then(([read, now]) => {
          if (!now.order) return;
          stop();
          resolve(read);
        }));
      });
      await pay(s, started.body.clientSecret);
      const seen = await heard;
      assert.deepEqual(seen.items, []);
      assert.equal(seen.version, cart.version + 1);
      await webhooksSettled(s);
    });

    it('forgets a deleted Stripe customer and a PaymentIntent Stripe no longer has, instead of failing forever', async (t) => {
      if (!s) return t.skip('Redis is not running');
      const email = 'forgotten@example.com';
      const firstCart = await cartWith(s, [['mug-stone', 1]]);
      const first = await checkout(s, firstCart.id, email);
      const customer = (await s.sdk.paymentIntents.retrieve(paymentIntentId(first.body.clientSecret))).customer as string;
      await s.sdk.customers.del(customer);

      const secondCart = await cartWith(s, [['tee-white', 1]]);
      const second = await checkout(s, secondCart.id, email);
      assert.equal(second.status, 200);
      const replacement = (await s.sdk.paymentIntents.retrieve(paymentIntentId(second.body.clientSecret))).customer as string;
      assert.notEqual(replacement, customer);
      assert.equal(await count(s, 'SELECT COUNT(*) FROM customers WHERE email = ?', email), 1);

      // The first cart's stored PaymentIntent is one Stripe does not know (other keys, test data cleared).
      (await sqlRun(s.db, 'UPDATE checkouts SET payment_intent_id = ?, client_secret = ? WHERE id = ?', 'pi_forgotten000000000000', 'pi_forgotten000000000000_secret_x', first.body.checkoutId));
      const again = await checkout(s, firstCart.id, email);
      assert.equal(again.status, 200);
      assert.equal(again.body.checkoutId, first.body.checkoutId);
      assert.notEqual(paymentIntentId(again.body.clientSecret), 'pi_forgotten000000000000');
      assert.equal((await pay(s, again.body.clientSecret) as { status?: string }).status, 'succeeded');
      await webhooksSettled(s);
      assert.equal((await state(first.body.checkoutId)).status, 'paid');
    });

    it('sends no recovery email when the shopper pays with another card right after a decline', async (t) => {
      if (!s) return t.skip('Redis is not running');
      const cart = await cartWith(s, [['tee-black', 1]]);
      const started = await checkout(s, cart.id, 'quick-retry@example.com');
      await pay(s, started.body.clientSecret, 'pm_card_chargeDeclined');
      await pay(s, started.body.clientSecret, 'pm_card_visa');
      await webhooksSettled(s);
      offset += 31 * 60_000;
      try {
        assert.equal(await sendDueRecoveryEmails(s.checkout), 0);
      } finally {
        offset -= 31 * 60_000;
      }
      assert.equal(await recoveryEmails('quick-retry@example.com'), 0);
      assert.equal(await count(s, 'SELECT COUNT(*) FROM orders WHERE checkout_id = ?', started.body.checkoutId), 1);
    });

    it('sends the recovery email once, only after RECOVERY_EMAIL_DELAY_MINUTES, for a checkout still unpaid', async (t) => {
      if (!s) return t.skip('Redis is not running');
      const cart = await cartWith(s, [['cap-navy', 1]]);
      const started = await checkout(s, cart.id, 'still-unpaid@example.com');
      s.stripe.emulator!.webhooks.configure({ paused: true });
      await pay(s, started.body.clientSecret, 'pm_card_chargeDeclined');
      // The status read hears of the decline first, then the webhook: one failed attempt, not two.
      assert.equal((await state(started.body.checkoutId)).status, 'failed');
      s.stripe.emulator!.webhooks.configure({ paused: false });
      await webhooksSettled(s);
      assert.equal(await count(s, 'SELECT COUNT(*) FROM payment_attempts WHERE checkout_id = ?', started.body.checkoutId), 1);

      assert.equal(await sendDueRecoveryEmails(s.checkout), 0);
      assert.equal(await recoveryEmails('still-unpaid@example.com'), 0);
      offset += 31 * 60_000;
      try {
        const [a, b] = await Promise.all([sendDueRecoveryEmails(s.checkout), sendDueRecoveryEmails(s.checkout)]);
        assert.equal(a + b, 1);
        assert.equal(await sendDueRecoveryEmails(s.checkout), 0);
      } finally {
        offset -= 31 * 60_000;
      }
      assert.equal(await recoveryEmails('still-unpaid@example.com'), 1);
    });

    it('closes a checkout after MAX_FAILED_PAYMENTS_PER_CHECKOUT declines: no more cards on it, its hold released, no email', async (t) => {
      if (!s) return t.skip('Redis is not running');
      const available = async () => ((await s!.api<{ products: { id: string; stock: number }[] }>('/api/products')).body.products.find((p) => p.id === 'print-limited')!).stock;
      const before = await available();
      const cart = await cartWith(s, [['print-limited', 2]]);
      const started = await checkout(s, cart.id, 'card-tester@example.com');
      assert.equal(await available(), before - 2);
      const answers: string[] = [];
      for (let i = 0; i < 9; i++) {
        answers.push(((await pay(s, started.body.clientSecret, 'pm_card_chargeDeclined')) as { code?: string }).code ?? 'paid');
        await webhooksSettled(s);
      }
      assert.deepEqual(answers, [...Array(8).fill('card_declined'), 'payment_intent_unexpected_state']);
      const intent = await s.sdk.paymentIntents.retrieve(paymentIntentId(started.body.clientSecret));
      assert.deepEqual([intent.status, intent.cancellation_reason], ['canceled', 'fraudulent']);
      assert.equal((await state(started.body.checkoutId)).status, 'canceled');
      assert.equal(await available(), before);
      assert.equal(await count(s, 'SELECT COUNT(*) FROM payment_attempts WHERE checkout_id = ?', started.body.checkoutId), 8);
      offset += 31 * 60_000;
      try {
        assert.equal(await sendDueRecoveryEmails(s.checkout), 0);
      } finally {
        offset -= 31 * 60_000;
      }
      assert.equal(await recoveryEmails('card-tester@example.com'), 0);
    });

    it('sends one address at most RECOVERY_EMAILS_PER_ADDRESS_PER_DAY recovery emails, however many checkouts fail', async (t) => {
      if (!s) return t.skip('Redis is not running');
      for (let i = 0; i < 5; i++) {
        const cart = await cartWith(s, [['mug-stone', 1]]);
        const started = await checkout(s, cart.id, 'stranger@example.com');
        await pay(s, started.body.clientSecret, 'pm_card_chargeDeclined');
      }
      await webhooksSettled(s);
      offset += 31 * 60_000;
      try {
        assert.equal(await sendDueRecoveryEmails(s.checkout), 3);
        assert.equal(await sendDueRecoveryEmails(s.checkout), 0);
      } finally {
        offset -= 31 * 60_000;
      }
      assert.equal(await recoveryEmails('stranger@example.com'), 3);
    });
  });
}
