import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Cart, CheckoutState } from '../../../shared/api.ts';
import { sendDueRecoveryEmails } from '../../../server/checkout/payment-events.ts';
import { redisAvailable } from '../../helpers/redis.ts';
import { authenticate, cartWith, checkout, count, pay, paymentIntentId, startTestServer, webhooksSettled, type TestServer } from '../../helpers/server.ts';
import { sqlRows } from '../../helpers/db.ts';

for (const store of ['sqlite', 'redis'] as const) {
  describe(`paying a checkout (${store} carts)`, () => {
    let s: TestServer | undefined;
    before(async () => {
      if (store === 'redis' && !(await redisAvailable())) return;
      // Recovery emails due at once, sent when the test runs the sweeper's pass.
      s = await startTestServer({ store, env: { RECOVERY_EMAIL_DELAY_MINUTES: '0' } });
    });
    after(() => s?.stop());

    const stock = (id: string) => count(s!, 'SELECT stock FROM products WHERE id = ?', id);
    const uses = (code: string) => count(s!, 'SELECT uses FROM coupons WHERE code = ?', code);
    const state = async (id: string) => (await s!.api<CheckoutState>(`/api/checkouts/${id}`)).body;

    it('turns a 4242 payment into exactly one order: stock taken, coupon counted, one confirmation email', async (t) => {
      if (!s) return t.skip('Redis is not running');
      const cart = await cartWith(s, [['tee-black', 2], ['mug-stone', 1]], 'WELCOME15');
      const before = { tee: await stock('tee-black'), mug: await stock('mug-stone'), uses: await uses('WELCOME15') };
      const started = await checkout(s, cart.id, 'ada@example.com');
      assert.equal(started.status, 200);
      assert.equal(started.body.amount, cart.totals.total);
      assert.deepEqual(started.body.totals, { subtotal: 6400, discount: 960, tax: 435, total: 5875 });
      const intent = await s.sdk.paymentIntents.retrieve(paymentIntentId(started.body.clientSecret));
      assert.equal(intent.amount, 5875);
      assert.equal(intent.metadata.checkout_id, started.body.checkoutId);

      const paid = await pay(s, started.body.clientSecret);
      assert.equal((paid as { status?: string }).status, 'succeeded');
      await webhooksSettled(s);

      const after = await state(started.body.checkoutId);
      assert.equal(after.status, 'paid');
      assert.equal(after.order?.totals.total, 5875);
      assert.equal(after.clientSecret, undefined);
      assert.equal(await count(s, 'SELECT COUNT(*) FROM orders WHERE checkout_id = ?', started.body.checkoutId), 1);
      assert.equal(await stock('tee-black'), before.tee - 2);
      assert.equal(await stock('mug-stone'), before.mug - 1);
      assert.equal(await uses('WELCOME15'), before.uses + 1);
      assert.equal(await count(s, "SELECT COUNT(*) FROM outbox WHERE recipient = 'ada@example.com'"), 1);
      await s.outbox.drain();
      assert.equal(await count(s, "SELECT COUNT(*) FROM outbox WHERE recipient = 'ada@example.com' AND status = 'sent'"), 1);
      // What was paid for (and its coupon) left the cart.
      const left = await s.api<{ cart: Cart }>(`/api/carts/${cart.id}`);
      assert.deepEqual([left.body.cart.items, left.body.cart.couponCode, left.body.cart.totals.total], [[], null, 0]);
    });

    it('fulfils a 3D Secure payment the shopper completes', async (t) => {
      if (!s) return t.skip('Redis is not running');
      const cart = await cartWith(s, [['cap-navy', 1]]);
      const started = await checkout(s, cart.id);
      const pending = await pay(s, started.body.clientSecret, 'pm_card_authenticationRequired');
      assert.equal((pending as { status?: string }).status, 'requires_action');
      await authenticate(s, started.body.clientSecret, 'complete');
      await webhooksSettled(s);
      const after = await state(started.body.checkoutId);
      assert.equal(after.status, 'paid');
      assert.equal(await count(s, 'SELECT COUNT(*) FROM orders WHERE checkout_id = ?', started.body.checkoutId), 1);
    });

    it('on a failed 3D Secure: no order, a recovery email whose link pays the same checkout with another card', async (t) => {
      if (!s) return t.skip('Redis is not running');
      const cart = await cartWith(s, [['hoodie-grey', 1]]);
      const started = await checkout(s, cart.id, 'grace@example.com');
      await pay(s, started.body.clientSecret, 'pm_card_authenticationRequired');
      await authenticate(s, started.body.clientSecret, 'fail');
      await webhooksSettled(s);

      assert.equal(await sendDueRecoveryEmails(s.checkout), 1);
      const failed = await state(started.body.checkoutId);
      assert.equal(failed.status, 'failed');
      assert.equal(failed.lastError?.code, 'payment_intent_authentication_failure');
      assert.equal(await count(s, 'SELECT COUNT(*) FROM orders WHERE checkout_id = ?', started.body.checkoutId), 0);
      const emails = (await sqlRows(s.db, "SELECT text, html FROM outbox WHERE recipient = 'grace@example.com'")) as { text: string; html: string }[];
      assert.equal(emails.length, 1);
      const link = /https?:\/\/\S+\/checkout\/retry\/[A-Za-z0-9_.-]+/.exec(emails[0]!.text)?.[0];
      assert.ok(link, 'the email has a retry link');
      assert.ok(!link.includes(paymentIntentId(started.body.clientSecret)), 'no raw PaymentIntent id in the link');

      const page = await fetch(link);
      assert.equal(page.status, 200);
      assert.match(await page.text(), /retry-token="/);
      const token = link.split('/checkout/retry/')[1]!;
      const retry = await s.api<CheckoutState>(`/api/checkouts/retry/${token}`);
      assert.equal(retry.body.id, started.body.checkoutId);
      assert.equal(retry.body.clientSecret, started.body.clientSecret);

      await pay(s, retry.body.clientSecret!, 'pm_card_visa');
      await webhooksSettled(s);
      assert.equal((await state(started.body.checkoutId)).status, 'paid');
      assert.equal(await count(s, 'SELECT COUNT(*) FROM orders WHERE checkout_id = ?', started.body.checkoutId), 1);
    });

    it('sends one recovery email per cool-down however many cards are declined', async (t) => {
      if (!s) return t.skip('Redis is not running');
      const cart = await cartWith(s, [['mug-stone', 1]]);
      const started = await checkout(s, cart.id, 'linus@example.com');
      for (const card of ['pm_card_chargeDeclined', 'pm_card_chargeDeclinedInsufficientFunds', 'pm_card_chargeDeclinedExpiredCard']) {
        const err = await pay(s, started.body.clientSecret, card);
        assert.equal((err as { type?: string }).type, 'StripeCardError');
      }
      await webhooksSettled(s);
      assert.equal(await sendDueRecoveryEmails(s.checkout), 1);
      assert.equal(await sendDueRecoveryEmails(s.checkout), 0);
      assert.equal(await count(s, 'SELECT COUNT(*) FROM payment_attempts WHERE checkout_id = ?', started.body.checkoutId), 3);
      assert.equal(await count(s, "SELECT COUNT(*) FROM outbox WHERE recipient = 'linus@example.com'"), 1);
      const last = await state(started.body.checkoutId);
      assert.deepEqual(last.lastError, { code: 'expired_card', message: 'Your card has expired.' });
    });

    it('refuses tampered, unsigned and stale retry links', async (t) => {
      if (!s) return t.skip('Redis is not running');
      for (const token of ['nope', 'a.b', `${'x'.repeat(30)}.${'y'.repeat(43)}`]) {
        assert.equal((await s.api(`/api/checkouts/retry/${token}`)).status, 400);
        assert.equal((await fetch(`${s.url}/checkout/retry/${token}`)).status, 400);
      }
      const expired = s.checkout.tokens.sign('chk_whatever', Date.now() - 1);
      assert.equal((await s.api(`/api/checkouts/retry/${expired}`)).status, 400);
    });
  });
}
