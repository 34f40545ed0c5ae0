/**
 * Expires checkouts whose hold ran out: releases their stock and coupon use and cancels their
 * PaymentIntent, so an abandoned checkout can't be paid later for goods no longer held. A payment
 * that succeeded meanwhile is fulfilled instead. Also runs the other background duties (`sweep`):
 * recovery emails, automatic and the merchant's unanswered refunds, cart reminders.
 */
import type { AdminDeps } from '../admin/context.ts';
import { retryAdminRefunds } from '../admin/retry-refunds.ts';
import type { CheckoutDeps } from './context.ts';
import { retryAutomaticRefunds } from './automatic-refunds.ts';
import { sendCartReminders } from './cart-reminders.ts';
import { fulfil } from './fulfil.ts';
import { sendDueRecoveryEmails } from './payment-events.ts';

export async function sweepExpiredCheckouts(deps: CheckoutDeps): Promise<number> {
  let swept = 0;
  for (const checkout of await deps.checkouts.expired(deps.clock())) {
    try {
      if (checkout.paymentIntentId) {
        const intent = await deps.stripe.paymentIntents.retrieve(checkout.paymentIntentId);
        if (intent.status === 'succeeded') {
          await fulfil(deps, intent);
          continue;
        }
        if (intent.status === 'processing') continue;
        if (intent.status !== 'canceled') await deps.stripe.paymentIntents.cancel(intent.id);
      }
      // The canceled webhook may have got here first; either way this checkout is now expired.
      if (await deps.checkouts.transition(checkout.id, ['pending', 'failed'], 'canceled', deps.clock())) deps.bus.publish(checkout.id);
      if ((await deps.checkouts.byId(checkout.id))?.status === 'canceled') swept++;
    } catch (err) {
      deps.logger.warn('could not expire checkout; will try again', { checkoutId: checkout.id, error: String(err) });
    }
  }
  return swept;
}

/** One pass of every background duty of the checkout and the console; each one's failure is logged and retried next pass. */
export async function sweep(deps: AdminDeps): Promise<void> {
  await sweepExpiredCheckouts(deps);
  await sendDueRecoveryEmails(deps);
  await retryAutomaticRefunds(deps);
  await retryAdminRefunds(deps);
  await sendCartReminders(deps);
}

export function startSweeper(deps: AdminDeps, everyMs = 60_000, extra: () => Promise<unknown> = async () => undefined): () => void {
  let running = false;
  const timer = setInterval(() => {
    if (running) return;
    running = true;
    extra()
      .then(() => sweep(deps))
      .catch((err: unknown) => deps.logger.error('sweep failed', { error: String(err) }))
      .finally(() => { running = false; });
  }, everyMs);
  timer.unref();
  return () => clearInterval(timer);
}
