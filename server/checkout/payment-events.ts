/** What the other PaymentIntent and charge outcomes do to checkouts and orders. */
import type Stripe from 'stripe';
import { openCheckoutStatuses } from '../../shared/api.ts';
import { failureReason, shopperLocale } from '../mail/mail-words.ts';
import { orderRefundedEmail, paymentFailedEmail } from '../mail/templates.ts';
import { publicOrder } from '../stores/order-store.ts';
import { plainDeclineMessage } from '../payments/decline-messages.ts';
import { amountOf, refundsReachingShopper } from '../payments/refunds-of.ts';
import type { CheckoutDeps } from './context.ts';
import { checkoutForIntent, fulfil } from './fulfil.ts';

const DAY_MS = 24 * 60 * 60 * 1000;

export function retryUrl(deps: Pick<CheckoutDeps, 'tokens' | 'settings'>, checkoutId: string, expiresAt: number): string {
  return `${deps.settings.publicUrl}/checkout/retry/${deps.tokens.sign(checkoutId, expiresAt)}`;
}

/**
 * A payment attempt failed: record it (once, however it is heard of), keep the hold for as long as
 * the recovery link lives, and schedule the recovery email. It is sent later by the sweeper, only
 * if the checkout is still unpaid then: a shopper who pays with another card a second later gets
 * no "your payment did not go through". A late "failed" after the checkout was paid or canceled
 * changes nothing.
 */
export async function paymentFailed(deps: CheckoutDeps, intent: Stripe.PaymentIntent, eventId: string | null): Promise<void> {
  const changed = await deps.tx(async () => {
    const checkout = await checkoutForIntent(deps, intent);
    if (!checkout || checkout.paymentIntentId !== intent.id) return null;
    const now = deps.clock();
    const error = intent.last_payment_error;
    const plain = plainDeclineMessage(error);
    const fresh = await deps.checkouts.recordAttempt({
      checkoutId: checkout.id, paymentIntentId: intent.id, failureKey: failureKey(intent, eventId), eventId, code: error?.code ?? null,
      declineCode: error?.decline_code ?? null, message: error?.message ?? null, at: now,
    });
    if (!fresh) return null;
    // Bounded: however many cards are declined, the hold ends a fixed time after the checkout began.
    const holdUntil = Math.max(checkout.expiresAt, checkout.createdAt + deps.settings.recoveryHoldMs);
    if (!await deps.checkouts.transition(checkout.id, openCheckoutStatuses, 'failed', now, { lastError: plain, expiresAt: holdUntil })) return null;
    const cardTesting = await deps.checkouts.failedAttempts(checkout.id) >= deps.settings.maxFailedPaymentsPerCheckout;
    if (!cardTesting) await deps.checkouts.scheduleRecoveryEmail(checkout.id, now + deps.settings.recoveryEmailDelayMs);
    return { checkoutId: checkout.id, cardTesting };
  });
  if (!changed) return;
  if (changed.cardTesting) await closeAfterTooManyFailures(deps, changed.checkoutId, intent.id);
  deps.bus.publish(changed.checkoutId);
}

/**
 * Card testing: after too many declines the checkout is closed, its PaymentIntent canceled so no
 * more cards can be tried on it, and its stock and coupon hold released. If Stripe can't be
 * reached the checkout is closed anyway; the sweeper's expiry cancels the PaymentIntent later.
 */
async function closeAfterTooManyFailures(deps: CheckoutDeps, checkoutId: string, paymentIntentId: string): Promise<void> {
  deps.logger.warn('too many failed payments: closing the checkout', { checkoutId });
  await deps.stripe.paymentIntents.cancel(paymentIntentId, { cancellation_reason: 'fraudulent' })
    .catch((err: unknown) => deps.logger.warn('could not cancel the PaymentIntent of a closed checkout', { checkoutId, error: String(err) }));
  await deps.tx(async () => {
    await deps.checkouts.transition(checkoutId, ['pending', 'failed'], 'canceled', deps.clock());
    await deps.checkouts.recoveryEmailHandled(checkoutId, null);
  });
}

/**
 * What names one failed attempt, whether the webhook or the status read reports it: the failed
 * charge, or (no charge: 3D Secure failed) the error with the payment method it was for.
 */
function failureKey(intent: Stripe.PaymentIntent, eventId: string | null): string {
  const error = intent.last_payment_error;
  if (error?.charge) return `charge:${error.charge}`;
  const method = error?.payment_method?.id ?? (typeof intent.payment_method === 'string' ? intent.payment_method : intent.payment_method?.id);
  if (error && method) return `error:${error.code ?? error.type}:${method}`;
  return `event:${eventId ?? 'unknown'}`;
}

/**
 * The sweeper's pass over due recovery emails. Stripe is asked first, so a payment whose webhook
 * is late still counts: paid -> the order, no email; processing -> no email; still unpaid -> one
 * email, at most one per checkout per cool-down, claimed in a transaction so that any number of
 * processes send it once.
 */
export async function sendDueRecoveryEmails(deps: CheckoutDeps): Promise<number> {
  let sent = 0;
  for (const due of await deps.checkouts.recoveryDue(deps.clock())) {
    try {
      if (due.paymentIntentId) await applyIntent(deps, await deps.stripe.paymentIntents.retrieve(due.paymentIntentId));
    } catch (err) {
      deps.logger.warn('could not check a failed checkout with Stripe; its recovery email waits', { checkoutId: due.id, error: String(err) });
      continue;
    }
    if (await deps.tx(() => claimRecoveryEmail(deps, due.id))) sent++;
  }
  return sent;
}

/** Inside `tx`, with the checkout's row locked: two sweeping hosts decide on it one after the other. */
async function claimRecoveryEmail(deps: CheckoutDeps, checkoutId: string): Promise<boolean> {
  const checkout = await deps.checkouts.lockById(checkoutId);
  const now = deps.clock();
  if (!checkout || checkout.status !== 'failed' || checkout.recoveryDueAt === null || checkout.recoveryDueAt > now) return false;
  const coolingDown = checkout.lastRecoveryEmailAt !== null && now - checkout.lastRecoveryEmailAt < deps.settings.recoveryCooldownMs;
  // Someone else's address typed into checkouts must not become a way to flood it with our emails.
  const addressLimited = await deps.outbox.queuedSince(checkout.email, 'recovery:', now - DAY_MS) >= deps.settings.recoveryEmailsPerAddressPerDay;
  if (coolingDown || addressLimited) {
    await deps.checkouts.recoveryEmailHandled(checkout.id, null);
    return false;
  }
  const { shopName } = deps.settings;
  const locale = shopperLocale(checkout, deps.settings.locale);
  await deps.outbox.enqueue(`recovery:${checkout.id}:${checkout.recoveryDueAt}`, paymentFailedEmail({
    to: checkout.email, items: checkout.items, totals: checkout.totals, currency: checkout.currency,
    reason: failureReason(locale, checkout.lastError), retryUrl: retryUrl(deps, checkout.id, checkout.expiresAt), shopName, locale,
  }), now);
  await deps.checkouts.recoveryEmailHandled(checkout.id, now);
  return true;
}

/**
 * What Stripe says a PaymentIntent is now, applied the same way whoever asked (the status read,
 * the recovery-email pass, a checkout request): paid -> the order, processing -> wait, canceled ->
 * the hold goes, declined -> the failed attempt (recorded once however often it is heard of).
 */
export async function applyIntent(deps: CheckoutDeps, intent: Stripe.PaymentIntent): Promise<void> {
  if (intent.status === 'succeeded') await fulfil(deps, intent);
  else if (intent.status === 'processing') await paymentProcessing(deps, intent);
  else if (intent.status === 'canceled') await paymentCanceled(deps, intent);
  else if (intent.status === 'requires_payment_method' && intent.last_payment_error) await paymentFailed(deps, intent, null);
}

/**
 * Accepted, settling later (a bank debit, a redirect method that confirms in days): the checkout
 * shows `processing`, holds its goods and takes no other payment until the payment succeeds (the
 * order) or fails (the usual failure path: recovery email, payable again).
 */
export async function paymentProcessing(deps: CheckoutDeps, intent: Stripe.PaymentIntent): Promise<void> {
  const checkout = await checkoutForIntent(deps, intent);
  if (!checkout || checkout.paymentIntentId !== intent.id) return;
  if (await deps.checkouts.transition(checkout.id, ['pending', 'failed'], 'processing', deps.clock())) deps.bus.publish(checkout.id);
}

/**
 * Canceled (by the sweeper, after too many failed attempts, or in the dashboard): the hold is
 * released. A checkout whose PaymentIntent a request is replacing right now (claimed) keeps its
 * hold: that request canceled it and is about to attach the new one.
 */
export async function paymentCanceled(deps: CheckoutDeps, intent: Stripe.PaymentIntent): Promise<void> {
  const checkout = await checkoutForIntent(deps, intent);
  if (!checkout || checkout.paymentIntentId !== intent.id) return;
  if (checkout.intentClaimedUntil !== null && checkout.intentClaimedUntil > deps.clock()) return;
  if (await deps.checkouts.transition(checkout.id, openCheckoutStatuses, 'canceled', deps.clock())) deps.bus.publish(checkout.id);
}

/**
 * A refund: a full one marks the order refunded and puts its stock back (once, and only if the
 * order took stock); a partial one is recorded, and the goods stay sold. What is refunded is the sum
 * of the payment's refunds that reach the shopper, listed from Stripe now: not the event's
 * snapshot of the charge, which may still count a refund that failed since (./refund-failed.ts).
 */
export async function chargeRefunded(deps: CheckoutDeps, charge: Stripe.Charge): Promise<void> {
  const paymentIntentId = typeof charge.payment_intent === 'string' ? charge.payment_intent : charge.payment_intent?.id;
  if (!paymentIntentId) return;
  // Counted before the list is read: a failure recorded after it may be one the list still counts.
  const failuresKnown = await deps.refundFailures.countFor(paymentIntentId);
  const made = await refundsReachingShopper(deps.stripe, paymentIntentId);
  const amountRefunded = amountOf(made);
  await deps.tx(async () => {
    // Locked: the same refund heard twice at once (webhook retries, two hosts) restocks once.
    const order = await deps.orders.lockByPaymentIntent(paymentIntentId);
    if (await deps.refundFailures.countFor(paymentIntentId) !== failuresKnown) {
      // A failure recorded since the list was read: it may count the money that went back. Stripe
      // delivers the event again, and then the list is read afresh.
      throw new Error(`a refund of ${paymentIntentId} failed meanwhile; the refunds are read again when the event comes back`);
    }
    if (!order) return;
    const now = deps.clock();
    let status = order.status;
    if (amountRefunded > order.amountRefunded) {
      const full = amountRefunded >= charge.amount;
      status = full ? 'refunded' : order.status === 'needs_attention' ? 'needs_attention' : 'partially_refunded';
      await deps.orders.setRefund(order.id, amountRefunded, status, now);
      if (full && order.stockTaken) {
        await deps.catalog.restock(order.items);
        await deps.orders.stockReturned(order.id);
      }
    }
    // One email per refund Stripe made, with its own amount: the order's amount refunded can't tell
    // them apart once a failed refund lowers it (a refund made meanwhile may leave it where it was).
    const { shopName } = deps.settings;
    const locale = shopperLocale(await deps.checkouts.byId(order.checkoutId), deps.settings.locale);
    for (const refund of made) {
      await deps.outbox.enqueue(`refund:${order.id}:${refund.id}`,
        orderRefundedEmail({ order: publicOrder({ ...order, status }), amountRefunded: refund.amount, shopName, locale }), now);
    }
  });
}
