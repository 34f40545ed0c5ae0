/**
 * The safety net under "money exactly once": a successful payment that can't become its
 * checkout's order (a second payment for one checkout, an amount we can't honour, goods that sold
 * out after the hold lapsed) is given back. The refund is recorded in the same transaction that
 * decides it, then asked of Stripe with one idempotency key per PaymentIntent, so however many
 * processes, retries and restarts see it, Stripe refunds it once.
 */
import type Stripe from 'stripe';
import type { Db } from '../db/database.ts';
import type { CheckoutDeps } from './context.ts';

export type RefundReason = 'duplicate_payment' | 'amount_mismatch' | 'stock_gone' | 'coupon_gone';

export interface AutomaticRefund {
  paymentIntentId: string;
  checkoutId: string | null;
  orderId: string | null;
  amount: number;
  currency: string;
  reason: RefundReason;
  status: 'pending' | 'refunded';
  refundId: string | null;
  attempts: number;
  lastError: string | null;
}

interface RefundRow {
  payment_intent_id: string; checkout_id: string | null; order_id: string | null; amount: number; currency: string;
  reason: RefundReason; status: 'pending' | 'refunded'; refund_id: string | null; attempts: number; last_error: string | null;
}

const fromRow = (r: RefundRow): AutomaticRefund => ({
  paymentIntentId: r.payment_intent_id, checkoutId: r.checkout_id, orderId: r.order_id, amount: r.amount, currency: r.currency,
  reason: r.reason, status: r.status, refundId: r.refund_id, attempts: r.attempts, lastError: r.last_error,
});

export class AutomaticRefundStore {
  constructor(private readonly db: Db) {}

  /** Records that this payment must be refunded; false if it already was recorded. Call inside a write transaction. */
  record(r: { paymentIntentId: string; checkoutId: string | null; orderId: string | null; amount: number; currency: string; reason: RefundReason; now: number }): boolean {
    return this.db.prepare(`INSERT OR IGNORE INTO automatic_refunds (payment_intent_id, checkout_id, order_id, amount, currency, reason, created_at, updated_at)
      VALUES (?, ?, ?, ?, ?, ?, ?, ?)`).run(r.paymentIntentId, r.checkoutId, r.orderId, r.amount, r.currency, r.reason, r.now, r.now).changes === 1;
  }

  byPaymentIntent(paymentIntentId: string): AutomaticRefund | undefined {
    const row = this.db.prepare('SELECT * FROM automatic_refunds WHERE payment_intent_id = ?').get(paymentIntentId) as RefundRow | undefined;
    return row && fromRow(row);
  }

  forOrder(orderId: string): AutomaticRefund[] {
    return (this.db.prepare('SELECT * FROM automatic_refunds WHERE order_id = ? ORDER BY created_at').all(orderId) as RefundRow[]).map(fromRow);
  }

  pending(limit = 100): AutomaticRefund[] {
    return (this.db.prepare("SELECT * FROM automatic_refunds WHERE status = 'pending' ORDER BY created_at LIMIT ?").all(limit) as RefundRow[]).map(fromRow);
  }

  done(paymentIntentId: string, refundId: string, now: number): void {
    this.db.prepare("UPDATE automatic_refunds SET status = 'refunded', refund_id = ?, attempts = attempts + 1, last_error = NULL, updated_at = ? WHERE payment_intent_id = ?")
      .run(refundId, now, paymentIntentId);
  }

  failed(paymentIntentId: string, error: string, now: number): void {
    this.db.prepare('UPDATE automatic_refunds SET attempts = attempts + 1, last_error = ?, updated_at = ? WHERE payment_intent_id = ?')
      .run(error, now, paymentIntentId);
  }
}

/** Stripe's own reason for the refund, as the merchant's dashboard shows it. */
const stripeReason = (reason: RefundReason): Stripe.RefundCreateParams.Reason => (reason === 'duplicate_payment' ? 'duplicate' : 'requested_by_customer');

/** Asks Stripe for a recorded refund. A failure is recorded and left for the sweeper to try again. */
export async function issueAutomaticRefund(deps: CheckoutDeps, refund: AutomaticRefund): Promise<boolean> {
  if (refund.status === 'refunded') return true;
  try {
    const created = await deps.stripe.refunds.create(
      { payment_intent: refund.paymentIntentId, reason: stripeReason(refund.reason), metadata: { automatic: refund.reason, ...(refund.orderId ? { order_id: refund.orderId } : {}) } },
      { idempotencyKey: `auto-refund:${refund.paymentIntentId}` },
    );
    deps.refunds.done(refund.paymentIntentId, created.id, deps.clock());
    return true;
  } catch (err) {
    deps.logger.error('automatic refund failed; will try again', { paymentIntentId: refund.paymentIntentId, reason: refund.reason, error: String(err) });
    deps.refunds.failed(refund.paymentIntentId, String(err), deps.clock());
    return false;
  }
}

/** The sweeper's pass: every refund a crash or an outage left pending. */
export async function retryAutomaticRefunds(deps: CheckoutDeps): Promise<number> {
  let issued = 0;
  for (const refund of deps.refunds.pending()) if (await issueAutomaticRefund(deps, refund)) issued++;
  return issued;
}
