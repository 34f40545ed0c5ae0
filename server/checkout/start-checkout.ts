/**
 * `POST /api/carts/:id/checkout`: re-price the cart on the server, reserve its stock and coupon
 * use, and create (or bring up to date) the PaymentIntent for exactly the total.
 */
import { createHash, randomBytes } from 'node:crypto';
import type Stripe from 'stripe';
import type { CheckoutBody, CheckoutCreated } from '../../shared/api.ts';
import { couponProblem } from '../../shared/coupons.ts';
import { DomainError } from '../../shared/errors.ts';
import { couponMessages } from '../carts/cart-service.ts';
import type { PricedCart } from '../carts/price-cart.ts';
import type { StoredCart } from '../carts/cart-store.ts';
import { writeTransaction } from '../db/database.ts';
import type { CheckoutRecord } from './checkout-store.ts';
import type { CheckoutDeps } from './context.ts';
import { isPaymentProviderError, providerUnavailable } from './stripe-errors.ts';

const newCheckoutId = () => `chk_${randomBytes(16).toString('base64url')}`;

export async function startCheckout(deps: CheckoutDeps, cartId: string, body: CheckoutBody): Promise<CheckoutCreated> {
  // Two racing requests for one cart: the loser of the unique index reads the winner's checkout.
  for (let attempt = 0; ; attempt++) {
    try {
      return await startOnce(deps, cartId, body);
    } catch (err) {
      if (attempt < 3 && (err as { code?: string }).code === 'SQLITE_CONSTRAINT_UNIQUE') continue;
      throw err;
    }
  }
}

async function startOnce(deps: CheckoutDeps, cartId: string, body: CheckoutBody): Promise<CheckoutCreated> {
  const { stored, priced } = await deps.carts.price(cartId);
  assertPayable(priced);
  const existing = deps.checkouts.openForCart(cartId);
  const now = deps.clock();
  if (existing?.status === 'processing') throw new DomainError('checkout_closed', 'A payment for this cart is being processed.');
  if (existing && isUnchanged(existing, stored, priced, body, now)) return created(existing);

  const checkout = reserve(deps, existing, stored, priced, body);
  try {
    return created(await attachPaymentIntent(deps, checkout, existing));
  } catch (err) {
    // No PaymentIntent to pay: let the held stock and coupon go at once.
    if (!checkout.paymentIntentId) deps.checkouts.transition(checkout.id, ['pending', 'failed'], 'canceled', deps.clock());
    if (isPaymentProviderError(err)) throw providerUnavailable(err, deps.logger);
    throw err;
  }
}

function assertPayable(priced: PricedCart): void {
  if (priced.lines.length === 0 && priced.unavailable.length === 0) throw new DomainError('cart_empty', 'Your cart is empty.');
  if (priced.unavailable.length > 0) {
    throw new DomainError('out_of_stock', 'Some items are no longer available.', { productIds: priced.unavailable });
  }
  if (priced.couponProblem) throw new DomainError(priced.couponProblem, couponMessages[priced.couponProblem] ?? 'This code cannot be used.');
}

function isUnchanged(c: CheckoutRecord, cart: StoredCart, priced: PricedCart, body: CheckoutBody, now: number): boolean {
  return c.cartVersion === cart.version && c.totals.total === priced.totals.total && c.email === body.email
    && c.expiresAt > now && c.paymentIntentId !== null && c.clientSecret !== null;
}

/** In one BEGIN IMMEDIATE transaction: check what others hold, then hold this cart's lines and coupon. */
function reserve(deps: CheckoutDeps, existing: CheckoutRecord | undefined, cart: StoredCart, priced: PricedCart, body: CheckoutBody): CheckoutRecord {
  return writeTransaction(deps.db, () => {
    const now = deps.clock();
    for (const line of priced.lines) {
      const product = deps.catalog.product(line.productId);
      const available = product ? deps.catalog.available(product, now, cart.id) : 0;
      if (line.quantity > available) {
        throw new DomainError('out_of_stock', available === 0 ? `${line.name} is sold out.` : `Only ${available} of ${line.name} left.`, { productId: line.productId, available });
      }
    }
    if (priced.discount) {
      const problem = couponProblem(deps.catalog.coupon(priced.discount.code, now, cart.id), priced.totals.subtotal, now);
      if (problem) throw new DomainError(problem, couponMessages[problem] ?? 'This code cannot be used.');
    }
    const checkout: CheckoutRecord = {
      id: existing?.id ?? newCheckoutId(), cartId: cart.id, cartVersion: cart.version, status: 'pending',
      email: body.email, name: body.name ?? null, currency: cart.currency, items: priced.lines, totals: priced.totals,
      couponCode: priced.discount?.code ?? null, paymentIntentId: existing?.paymentIntentId ?? null,
      clientSecret: existing?.clientSecret ?? null, customerId: existing?.customerId ?? null,
      expiresAt: now + deps.settings.checkoutTtlMs, lastError: existing?.lastError ?? null,
      lastRecoveryEmailAt: existing?.lastRecoveryEmailAt ?? null, createdAt: existing?.createdAt ?? now, updatedAt: now,
    };
    deps.checkouts.save(checkout);
    return checkout;
  });
}

async function attachPaymentIntent(deps: CheckoutDeps, checkout: CheckoutRecord, existing: CheckoutRecord | undefined): Promise<CheckoutRecord> {
  const customerId = checkout.customerId ?? (await customerFor(deps, checkout));
  const params = {
    amount: checkout.totals.total,
    receipt_email: checkout.email,
    metadata: { checkout_id: checkout.id, cart_id: checkout.cartId },
  };
  let intent: Stripe.PaymentIntent | undefined;
  if (existing?.paymentIntentId) {
    // The cart changed: bring the same PaymentIntent up to the new total, so it is never stale.
    intent = await deps.stripe.paymentIntents.update(existing.paymentIntentId, params).catch(async (err: unknown) => {
      if ((err as { type?: string }).type !== 'StripeInvalidRequestError') throw err;
      // It can no longer change (e.g. canceled): replace it, and make sure the old one can't be paid.
      await deps.stripe.paymentIntents.cancel(existing.paymentIntentId!).catch(() => undefined);
      return undefined;
    });
  }
  intent ??= await deps.stripe.paymentIntents.create(
    { ...params, currency: checkout.currency.toLowerCase(), customer: customerId, automatic_payment_methods: { enabled: true } },
    { idempotencyKey: `checkout:${checkout.id}:${checkout.cartVersion}:${checkout.totals.total}:${checkout.updatedAt}` },
  );
  const updated = { ...checkout, customerId, paymentIntentId: intent.id, clientSecret: intent.client_secret, updatedAt: deps.clock() };
  deps.db.prepare('UPDATE checkouts SET payment_intent_id = ?, client_secret = ?, customer_id = ?, updated_at = ? WHERE id = ?')
    .run(updated.paymentIntentId, updated.clientSecret, customerId, updated.updatedAt, checkout.id);
  return updated;
}

async function customerFor(deps: CheckoutDeps, checkout: CheckoutRecord): Promise<string> {
  const known = deps.checkouts.customerFor(checkout.email);
  if (known) return known;
  const customer = await deps.stripe.customers.create(
    { email: checkout.email, ...(checkout.name ? { name: checkout.name } : {}) },
    { idempotencyKey: `customer:${createHash('sha256').update(checkout.email).digest('hex')}` },
  );
  deps.checkouts.rememberCustomer(checkout.email, customer.id);
  return deps.checkouts.customerFor(checkout.email) ?? customer.id;
}

function created(c: CheckoutRecord): CheckoutCreated {
  return { checkoutId: c.id, clientSecret: c.clientSecret!, amount: c.totals.total, currency: c.currency, totals: c.totals };
}
