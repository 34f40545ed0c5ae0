/**
 * `POST /api/carts/:id/checkout`: re-price the cart on the server, reserve its stock and coupon
 * use, and hand out the one live PaymentIntent for exactly the total.
 *
 * At most one PaymentIntent per checkout can be paid, whatever the concurrency (a double click,
 * two tabs, two server processes):
 * - one request at a time may talk to Stripe about a checkout's PaymentIntent: it claims the
 *   checkout in the reservation transaction; the others wait and then answer with its result;
 * - a PaymentIntent is never updated in place: before it is replaced it is read from Stripe
 *   (paid -> the order; processing -> wait) and canceled, and only once it is canceled for sure is
 *   a new one created, with an idempotency key made of the checkout and its generation.
 */
import { createHash, randomBytes } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import Stripe from 'stripe';
import type { CheckoutBody, CheckoutCreated, Shipping } from '../../shared/api.ts';
import { couponProblem, couponRefused, customerCouponProblem, customerCouponRefused } from '../../shared/coupons.ts';
import { DomainError } from '../../shared/errors.ts';
import { stockMessage } from '../../shared/messages.ts';
import type { PricedCart } from '../carts/price-cart.ts';
import type { StoredCart } from '../carts/cart-store.ts';
import type { CheckoutRecord } from '../stores/checkout-store.ts';
import { isUniqueViolation } from '../db/database.ts';
import type { CheckoutDeps } from './context.ts';
import { applyIntent } from './payment-events.ts';
import { destinationOf, intentShipping, sameShipping, shippingFor } from './shipping-choice.ts';
import { amountRefused, isPaymentProviderError, isResourceMissing, providerUnavailable } from '../payments/stripe-errors.ts';

const newCheckoutId = () => `chk_${randomBytes(16).toString('base64url')}`;

/** How long a request may hold a checkout's PaymentIntent before another may take over (a crash). */
export const INTENT_CLAIM_MS = 20_000;
/** How a waiting request polls for the claim holder's result: 400 x 50 ms covers the whole claim. */
const WAIT_STEP_MS = 50;
const MAX_WAITS = 400;

/** The cart priced now, with the shipping the request chose (null when nothing ships). */
type PricedCheckout = PricedCart & { shipping: Shipping | null };

type Step =
  | { kind: 'ready'; checkout: CheckoutRecord }
  | { kind: 'busy' }
  | { kind: 'claimed'; checkout: CheckoutRecord; fresh: boolean };

export async function startCheckout(deps: CheckoutDeps, cartId: string, body: CheckoutBody): Promise<CheckoutCreated> {
  for (let waits = 0; ; waits++) {
    const { stored, priced: cart, rate } = await deps.carts.price(cartId, destinationOf(body));
    assertPayable(cart);
    const priced: PricedCheckout = { ...cart, shipping: shippingFor(cart.requiresShipping, body, rate) };
    const step = await claimInTransaction(deps, stored, priced, body);
    if (step.kind === 'ready' && (await stillPayable(deps, step.checkout))) return created(step.checkout);
    if (step.kind === 'claimed') {
      const ready = await prepareIntent(deps, step.checkout, step.fresh, stored, priced, body);
      if (ready) return created(ready);
    }
    if (step.kind === 'ready') continue; // its PaymentIntent was forgotten: the next round replaces it
    // Another request is preparing this checkout's PaymentIntent: its answer will be ours.
    if (waits >= MAX_WAITS) throw new DomainError('payment_provider_error', 'The payment service is slow to answer. Please try again in a moment.');
    await sleep(WAIT_STEP_MS);
  }
}

function assertPayable(priced: PricedCart): void {
  if (priced.lines.length === 0 && priced.unavailable.length === 0) throw new DomainError('cart_empty', 'Your cart is empty.');
  if (priced.unavailable.length > 0) {
    throw new DomainError('out_of_stock', 'Some items are no longer available.', { productIds: priced.unavailable });
  }
  if (priced.couponProblem) throw couponRefused(priced.couponProblem);
}

/** Two first requests for one cart (two tabs, two hosts) both find no open checkout and both insert
 * one: the unique index on open checkouts per cart refuses the second, which then waits for the
 * first like any request that finds the checkout claimed. */
async function claimInTransaction(deps: CheckoutDeps, cart: StoredCart, priced: PricedCheckout, body: CheckoutBody): Promise<Step> {
  try {
    return await deps.tx(() => claim(deps, cart, priced, body));
  } catch (err) {
    if (isUniqueViolation(err)) return { kind: 'busy' };
    throw err;
  }
}

/** Inside the write transaction: reuse the checkout, wait for the request holding it, or claim it. */
async function claim(deps: CheckoutDeps, cart: StoredCart, priced: PricedCheckout, body: CheckoutBody): Promise<Step> {
  const now = deps.clock();
  // Locked: what is decided below rests on this read (a request that just released its claim may
  // have changed the checkout since; on PostgreSQL this waits for it and reads what it wrote).
  const existing = await deps.checkouts.openForCart(cart.id, true);
  if (!existing) return { kind: 'claimed', checkout: await reserve(deps, undefined, cart, priced, body), fresh: true };
  if (existing.status === 'processing') throw beingPaid(existing);
  if (!await deps.checkouts.claimIntent(existing.id, now, now + INTENT_CLAIM_MS)) return { kind: 'busy' };
  if (isUnchanged(existing, cart, priced, body, now)) {
    await deps.checkouts.releaseClaim(existing.id, existing.intentGeneration);
    // The shopper may have switched language since: the emails follow.
    if (body.locale && body.locale !== existing.locale) await deps.checkouts.setLocale(existing.id, body.locale);
    return { kind: 'ready', checkout: existing };
  }
  return { kind: 'claimed', checkout: existing, fresh: false };
}

function isUnchanged(c: CheckoutRecord, cart: StoredCart, priced: PricedCheckout, body: CheckoutBody, now: number): boolean {
  return c.cartVersion === cart.version && c.totals.total === priced.totals.total && c.email === body.email && sameShipping(c.shipping, priced.shipping)
    && c.expiresAt > now && c.paymentIntentId !== null && c.clientSecret !== null;
}

/**
 * With the claim held: retire the old PaymentIntent if there is one, hold the cart's lines and
 * coupon afresh, and create the new PaymentIntent. Returns null when the claim was lost meanwhile
 * (Stripe slower than the claim): the caller then waits for whoever took it over.
 */
async function prepareIntent(deps: CheckoutDeps, claimed: CheckoutRecord, fresh: boolean, cart: StoredCart, priced: PricedCheckout, body: CheckoutBody): Promise<CheckoutRecord | null> {
  let checkout = claimed;
  try {
    if (!fresh) {
      if (checkout.paymentIntentId) await retireIntent(deps, checkout, checkout.paymentIntentId);
      const previous = checkout;
      checkout = await deps.tx(async () => {
        if (!await deps.checkouts.holdsClaim(previous.id, previous.intentGeneration, deps.clock())) return null;
        return reserve(deps, previous, cart, priced, body);
      }) ?? previous;
      if (checkout === previous) return null;
    }
    const { intent, customerId } = await createIntent(deps, checkout);
    const clientSecret = intent.client_secret;
    if (!clientSecret) throw new Error(`PaymentIntent ${intent.id} came without a client secret`);
    const attached = await deps.tx(() =>
      deps.checkouts.attachIntent(checkout.id, checkout.intentGeneration, { id: intent.id, clientSecret, customerId }, deps.clock()));
    if (!attached) {
      // Someone took over after our claim lapsed and made their own: ours must never be paid.
      await deps.stripe.paymentIntents.cancel(intent.id).catch((err: unknown) => deps.logger.warn('could not cancel a superseded PaymentIntent', { paymentIntentId: intent.id, error: String(err) }));
      return null;
    }
    return await deps.checkouts.byId(checkout.id) ?? null;
  } catch (err) {
    await deps.tx(async () => {
      await deps.checkouts.releaseClaim(checkout.id, checkout.intentGeneration);
      // Nothing the shopper can pay: let the held stock and coupon go at once.
      if (!(await deps.checkouts.byId(checkout.id))?.paymentIntentId) await deps.checkouts.transition(checkout.id, ['pending', 'failed'], 'canceled', deps.clock());
    });
    if (isPaymentProviderError(err)) throw amountRefused(err) ?? providerUnavailable(err, deps.logger);
    throw err;
  }
}

/**
 * Makes sure the checkout's PaymentIntent can never be paid, or finds that it was: read it from
 * Stripe, cancel it if it is still open, and detach it. Paid -> the order is made and the
 * shopper told; processing -> the shopper waits for it.
 */
async function retireIntent(deps: CheckoutDeps, checkout: CheckoutRecord, paymentIntentId: string): Promise<void> {
  let intent = await retrieveIfExists(deps, paymentIntentId);
  if (intent && CANCELABLE.has(intent.status)) {
    intent = await deps.stripe.paymentIntents.cancel(paymentIntentId).catch(async (err: unknown) => {
      // Paid or gone between our read and the cancel: read again and act on what it is now.
      if (err instanceof Stripe.errors.StripeInvalidRequestError) return retrieveIfExists(deps, paymentIntentId);
      throw err;
    });
  }
  await stopIfPaid(deps, checkout, intent);
  if (intent && intent.status !== 'canceled') throw new Error(`PaymentIntent ${intent.id} is ${intent.status}; not replacing it`);
  await deps.checkouts.detachIntent(checkout.id, paymentIntentId);
}

/**
 * An unchanged checkout is handed out again only after Stripe confirms its PaymentIntent can still
 * be paid: one paid in another tab (webhook not here yet) becomes the order instead, and one that
 * Stripe no longer has or that was canceled is forgotten, so the next round creates a new one.
 */
async function stillPayable(deps: CheckoutDeps, checkout: CheckoutRecord): Promise<boolean> {
  const paymentIntentId = checkout.paymentIntentId;
  if (!paymentIntentId) return false;
  let intent: Stripe.PaymentIntent | null;
  try {
    intent = await retrieveIfExists(deps, paymentIntentId);
  } catch (err) {
    if (isPaymentProviderError(err)) throw providerUnavailable(err, deps.logger);
    throw err;
  }
  await stopIfPaid(deps, checkout, intent);
  if (intent && intent.status !== 'canceled') return true;
  await deps.checkouts.detachIntent(checkout.id, paymentIntentId);
  return false;
}

/** A PaymentIntent that was paid becomes the order; one being paid is waited for. Either way the shopper is told. */
async function stopIfPaid(deps: CheckoutDeps, checkout: CheckoutRecord, intent: Stripe.PaymentIntent | null): Promise<void> {
  if (intent?.status !== 'succeeded' && intent?.status !== 'processing') return;
  await applyIntent(deps, intent);
  throw intent.status === 'succeeded' ? beingPaid(checkout, 'Your payment for this cart went through.') : beingPaid(checkout);
}

const CANCELABLE = new Set(['requires_payment_method', 'requires_confirmation', 'requires_action']);

/** The PaymentIntent, or null when Stripe no longer has it (other keys, test data cleared). */
async function retrieveIfExists(deps: CheckoutDeps, id: string): Promise<Stripe.PaymentIntent | null> {
  try {
    return await deps.stripe.paymentIntents.retrieve(id);
  } catch (err) {
    if (isResourceMissing(err)) return null;
    throw err;
  }
}

function beingPaid(checkout: CheckoutRecord, message = 'A payment for this cart is being processed.'): DomainError {
  return new DomainError('checkout_closed', message, { checkoutId: checkout.id });
}

/** In one write transaction: lock the products and coupon, check what others hold, then hold this
 * cart's lines and coupon (a concurrent reservation of the same rows waits, then counts this one). */
async function reserve(deps: CheckoutDeps, existing: CheckoutRecord | undefined, cart: StoredCart, priced: PricedCheckout, body: CheckoutBody): Promise<CheckoutRecord> {
  const now = deps.clock();
  await deps.catalog.lockStockAndCoupon(priced.lines.map((l) => l.productId), priced.discount?.code ?? null);
  for (const line of priced.lines) {
    const available = (await deps.catalog.productAvailable(line.productId, now, cart.id))?.available ?? 0;
    if (line.quantity > available) {
      throw new DomainError('out_of_stock', stockMessage(line.name, available), { productId: line.productId, name: line.name, available });
    }
  }
  if (priced.discount) {
    const coupon = await deps.catalog.coupon(priced.discount.code, now, cart.id);
    const problem = couponProblem(coupon, priced.totals.subtotal, now);
    if (problem) throw couponRefused(problem);
    // Limits per customer need the email, known from here on (and checked again at payment).
    const customerProblem = coupon && await customerCouponProblem(coupon, () => deps.orders.customerHistory(body.email, coupon.code));
    if (customerProblem) throw customerCouponRefused(customerProblem);
  }
  const checkout: CheckoutRecord = {
    id: existing?.id ?? newCheckoutId(), cartId: cart.id, cartVersion: cart.version, status: 'pending',
    email: body.email, name: body.name ?? null, currency: cart.currency, items: priced.lines, totals: priced.totals,
    couponCode: priced.discount?.code ?? null, shipping: priced.shipping, locale: body.locale ?? existing?.locale ?? null, paymentIntentId: null, clientSecret: null, customerId: existing?.customerId ?? null,
    expiresAt: now + deps.settings.checkoutTtlMs, lastError: existing?.lastError ?? null,
    lastRecoveryEmailAt: existing?.lastRecoveryEmailAt ?? null, recoveryDueAt: null, remindersSent: existing?.remindersSent ?? 0,
    intentGeneration: (existing?.intentGeneration ?? 0) + 1, intentClaimedUntil: now + INTENT_CLAIM_MS,
    createdAt: existing?.createdAt ?? now, updatedAt: now,
  };
  await deps.checkouts.save(checkout);
  return checkout;
}

/** A new PaymentIntent for this generation; a customer Stripe no longer knows is replaced once. */
async function createIntent(deps: CheckoutDeps, checkout: CheckoutRecord): Promise<{ intent: Stripe.PaymentIntent; customerId: string }> {
  const create = (customerId: string) => deps.stripe.paymentIntents.create({
    amount: checkout.totals.total, currency: checkout.currency.toLowerCase(), customer: customerId, receipt_email: checkout.email,
    metadata: { checkout_id: checkout.id, cart_id: checkout.cartId }, automatic_payment_methods: { enabled: true },
    ...(checkout.shipping ? { shipping: intentShipping(checkout.shipping) } : {}),
  }, { idempotencyKey: `checkout:${checkout.id}:intent:${checkout.intentGeneration}:${customerId}` });
  const customerId = await customerFor(deps, checkout, null);
  try {
    return { intent: await create(customerId), customerId };
  } catch (err) {
    if (!isResourceMissing(err, 'customer')) throw err;
    await deps.checkouts.forgetCustomer(checkout.email, customerId);
    const replacement = await customerFor(deps, checkout, customerId);
    return { intent: await create(replacement), customerId: replacement };
  }
}

/** The Stripe customer for this email: the one we know, or a new one (replacing `stale` if given). */
async function customerFor(deps: CheckoutDeps, checkout: CheckoutRecord, stale: string | null): Promise<string> {
  const known = await deps.checkouts.customerFor(checkout.email);
  if (known && known !== stale) return known;
  const emailHash = createHash('sha256').update(checkout.email).digest('hex');
  const customer = await deps.stripe.customers.create(
    { email: checkout.email, ...(checkout.name ? { name: checkout.name } : {}) },
    // Concurrent checkouts for one email share one customer; a replacement gets a key of its own.
    { idempotencyKey: `customer:${emailHash}${stale ? `:replaces:${stale}` : ''}` },
  );
  await deps.checkouts.rememberCustomer(checkout.email, customer.id);
  return await deps.checkouts.customerFor(checkout.email) ?? customer.id;
}

function created(c: CheckoutRecord): CheckoutCreated {
  if (!c.clientSecret) throw new Error(`checkout ${c.id} has no client secret`);
  return { checkoutId: c.id, clientSecret: c.clientSecret, amount: c.totals.total, currency: c.currency, totals: c.totals };
}
