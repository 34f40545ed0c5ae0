/**
 * SQL for refunds that Stripe made and that failed later (see migration 055): each failure once,
 * by Stripe's refund id, and the refund row of ours it belongs to (the merchant's or an automatic
 * one) marked 'failed' with Stripe's failure_reason.
 */
import { sql, type Db } from '../db/database.ts';

export interface RefundFailure {
  refundId: string;
  orderId: string | null;
  paymentIntentId: string;
  amount: number;
  currency: string;
  failureReason: string;
  createdAt: number;
}

/** A failed Stripe refund, and what its metadata says it was to us (../admin/refund-order.ts, ../checkout/automatic-refunds.ts). */
export interface FailedRefund {
  refundId: string;
  paymentIntentId: string;
  /** `metadata.admin_refund`: the merchant's refund row it was made for. */
  adminRefundId: number | null;
  /** `metadata.automatic`: made by an automatic refund of its PaymentIntent. */
  automatic: boolean;
}

interface FailureRow {
  refund_id: string; order_id: string | null; payment_intent_id: string; amount: number; currency: string; failure_reason: string; created_at: number;
}

const fromRow = (r: FailureRow): RefundFailure => ({
  refundId: r.refund_id, orderId: r.order_id, paymentIntentId: r.payment_intent_id, amount: r.amount, currency: r.currency,
  failureReason: r.failure_reason, createdAt: r.created_at,
});

/**
 * The merchant's refund row for it: by Stripe's id, or (Stripe's answer never recorded) by the row
 * id its metadata names, when that row refunds this payment: another shop on the same Stripe
 * account numbers its refund rows as we do, and its events reach us too.
 */
const adminMatch = (f: FailedRefund) => sql`(refund_id = ${f.refundId} OR (refund_id IS NULL AND id = ${f.adminRefundId ?? -1}
  AND order_id IN (SELECT id FROM orders WHERE payment_intent_id = ${f.paymentIntentId})))`;

/** The automatic refund row for it: by Stripe's id, or (its answer never recorded) by the metadata an automatic refund carries. */
const automaticMatch = (f: FailedRefund) => (f.automatic ? sql`(refund_id = ${f.refundId} OR refund_id IS NULL)` : sql`refund_id = ${f.refundId}`);

export class RefundFailureStore {
  constructor(private readonly db: Db) {}

  /**
   * The order a failed refund was for, when it was one of ours: the merchant's refund row
   * (`adminMatch`), else the automatic refund of its PaymentIntent (a duplicate payment's has no order: null).
   */
  async ourOrder(f: FailedRefund): Promise<{ kind: 'admin' | 'automatic'; orderId: string | null } | undefined> {
    const admin = await this.db.value<string>(sql`SELECT order_id FROM admin_refunds WHERE ${adminMatch(f)}`);
    if (admin !== undefined) return { kind: 'admin', orderId: admin };
    const automatic = await this.db.one<{ order_id: string | null }>(sql`SELECT order_id FROM automatic_refunds
      WHERE payment_intent_id = ${f.paymentIntentId} AND ${automaticMatch(f)}`);
    return automatic ? { kind: 'automatic', orderId: automatic.order_id } : undefined;
  }

  /** Records the failure; false if it already was (another of its events, or a copy, came first). Call inside a write transaction. */
  async record(f: RefundFailure): Promise<boolean> {
    return await this.db.run(sql`INSERT INTO refund_failures (refund_id, order_id, payment_intent_id, amount, currency, failure_reason, created_at)
      VALUES (${f.refundId}, ${f.orderId}, ${f.paymentIntentId}, ${f.amount}, ${f.currency}, ${f.failureReason}, ${f.createdAt})
      ON CONFLICT DO NOTHING`) === 1;
  }

  /** Our refund row for it says 'failed', with Stripe's reason; it takes nothing from what is left to refund any more. */
  async markOurs(f: FailedRefund, failureReason: string, now: number): Promise<void> {
    await this.db.run(sql`UPDATE admin_refunds SET status = 'failed', refund_id = ${f.refundId}, last_error = ${failureReason}, updated_at = ${now}
      WHERE ${adminMatch(f)}`);
    await this.db.run(sql`UPDATE automatic_refunds SET status = 'failed', refund_id = ${f.refundId}, last_error = ${failureReason}, updated_at = ${now}
      WHERE payment_intent_id = ${f.paymentIntentId} AND ${automaticMatch(f)}`);
  }

  async has(refundId: string): Promise<boolean> {
    return await this.db.value<number>(sql`SELECT 1 FROM refund_failures WHERE refund_id = ${refundId}`) !== undefined;
  }

  /** How many refunds of this payment failed: a charge read before the last of them may count money that went back (../checkout/payment-events.ts). */
  async countFor(paymentIntentId: string): Promise<number> {
    return Number(await this.db.value<number | string>(sql`SELECT COUNT(*) FROM refund_failures WHERE payment_intent_id = ${paymentIntentId}`) ?? 0);
  }

  async forOrder(orderId: string): Promise<RefundFailure[]> {
    return (await this.db.all<FailureRow>(sql`SELECT * FROM refund_failures WHERE order_id = ${orderId} ORDER BY created_at, refund_id`)).map(fromRow);
  }
}
