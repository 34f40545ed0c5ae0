/** SQL for automatic refunds: payments that could not become (or did not become) their checkout's order. */
import { sql, type Db } from '../db/database.ts';

export type RefundReason = 'duplicate_payment' | 'amount_mismatch' | 'stock_gone' | 'coupon_gone';

export type AutomaticRefundStatus = 'pending' | 'refunded' | 'refused' | 'failed';

/** What recording a refund Stripe made did (`done`, admin-refund-store's `issued`). */
export type RefundRecorded = 'recorded' | 'replaced' | 'failed';

export interface AutomaticRefund {
  paymentIntentId: string;
  checkoutId: string | null;
  orderId: string | null;
  amount: number;
  currency: string;
  reason: RefundReason;
  /** 'refused': Stripe will never make it (the payment is disputed); 'failed': Stripe made it and it
   * failed later (the card was closed, ../checkout/refund-failed.ts); last_error says why. */
  status: AutomaticRefundStatus;
  refundId: string | null;
  attempts: number;
  lastError: string | null;
}

interface RefundRow {
  payment_intent_id: string; checkout_id: string | null; order_id: string | null; amount: number; currency: string;
  reason: RefundReason; status: AutomaticRefundStatus; refund_id: string | null; attempts: number; last_error: string | null;
}

const fromRow = (r: RefundRow): AutomaticRefund => ({
  paymentIntentId: r.payment_intent_id, checkoutId: r.checkout_id, orderId: r.order_id, amount: r.amount, currency: r.currency,
  reason: r.reason, status: r.status, refundId: r.refund_id, attempts: r.attempts, lastError: r.last_error,
});

export class AutomaticRefundStore {
  constructor(private readonly db: Db) {}

  /** Records that this payment must be refunded; false if it already was recorded. Call inside a write transaction. */
  async record(r: { paymentIntentId: string; checkoutId: string | null; orderId: string | null; amount: number; currency: string; reason: RefundReason; now: number }): Promise<boolean> {
    return await this.db.run(sql`INSERT INTO automatic_refunds (payment_intent_id, checkout_id, order_id, amount, currency, reason, created_at, updated_at)
      VALUES (${r.paymentIntentId}, ${r.checkoutId}, ${r.orderId}, ${r.amount}, ${r.currency}, ${r.reason}, ${r.now}, ${r.now})
      ON CONFLICT DO NOTHING`) === 1;
  }

  async byPaymentIntent(paymentIntentId: string): Promise<AutomaticRefund | undefined> {
    const row = await this.db.one<RefundRow>(sql`SELECT * FROM automatic_refunds WHERE payment_intent_id = ${paymentIntentId}`);
    return row && fromRow(row);
  }

  async forOrder(orderId: string): Promise<AutomaticRefund[]> {
    return (await this.db.all<RefundRow>(sql`SELECT * FROM automatic_refunds WHERE order_id = ${orderId} ORDER BY created_at`)).map(fromRow);
  }

  async pending(limit = 100): Promise<AutomaticRefund[]> {
    return (await this.db.all<RefundRow>(sql`SELECT * FROM automatic_refunds WHERE status = 'pending' ORDER BY created_at LIMIT ${limit}`)).map(fromRow);
  }

  /**
   * Its failure, if heard of first (../checkout/refund-failed.ts), stays ('failed'). A row that failed
   * with another refund ('replaced': asked again while that one's failure was handled) records this
   * one, made in its place: the money did go back.
   */
  async done(paymentIntentId: string, refundId: string, now: number): Promise<RefundRecorded> {
    const set = sql`SET status = 'refunded', refund_id = ${refundId}, attempts = attempts + 1, last_error = NULL, updated_at = ${now}`;
    if (await this.db.run(sql`UPDATE automatic_refunds ${set} WHERE payment_intent_id = ${paymentIntentId} AND status <> 'failed'`) === 1) return 'recorded';
    return await this.db.run(sql`UPDATE automatic_refunds ${set} WHERE payment_intent_id = ${paymentIntentId} AND status = 'failed'
      AND refund_id <> ${refundId}`) === 1 ? 'replaced' : 'failed';
  }

  /** Stripe refused it for good: kept for the merchant, never asked again. */
  async refused(paymentIntentId: string, error: string, now: number): Promise<void> {
    await this.db.run(sql`UPDATE automatic_refunds SET status = 'refused', attempts = attempts + 1, last_error = ${error}, updated_at = ${now}
      WHERE payment_intent_id = ${paymentIntentId}`);
  }

  async failed(paymentIntentId: string, error: string, now: number): Promise<void> {
    await this.db.run(sql`UPDATE automatic_refunds SET attempts = attempts + 1, last_error = ${error}, updated_at = ${now} WHERE payment_intent_id = ${paymentIntentId}`);
  }
}

