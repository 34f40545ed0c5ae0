/** SQL for automatic refunds: payments that could not become (or did not become) their checkout's order. */
import type { Db } from '../db/database.ts';
import { preparedOnce } from '../db/database.ts';

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
  private readonly sql: ReturnType<typeof preparedOnce>;
  constructor(db: Db) {
    this.sql = preparedOnce(db);
  }

  /** Records that this payment must be refunded; false if it already was recorded. Call inside a write transaction. */
  record(r: { paymentIntentId: string; checkoutId: string | null; orderId: string | null; amount: number; currency: string; reason: RefundReason; now: number }): boolean {
    return this.sql(`INSERT OR IGNORE INTO automatic_refunds (payment_intent_id, checkout_id, order_id, amount, currency, reason, created_at, updated_at)
      VALUES (?, ?, ?, ?, ?, ?, ?, ?)`).run(r.paymentIntentId, r.checkoutId, r.orderId, r.amount, r.currency, r.reason, r.now, r.now).changes === 1;
  }

  byPaymentIntent(paymentIntentId: string): AutomaticRefund | undefined {
    const row = this.sql('SELECT * FROM automatic_refunds WHERE payment_intent_id = ?').get(paymentIntentId) as RefundRow | undefined;
    return row && fromRow(row);
  }

  forOrder(orderId: string): AutomaticRefund[] {
    return (this.sql('SELECT * FROM automatic_refunds WHERE order_id = ? ORDER BY created_at').all(orderId) as RefundRow[]).map(fromRow);
  }

  pending(limit = 100): AutomaticRefund[] {
    return (this.sql("SELECT * FROM automatic_refunds WHERE status = 'pending' ORDER BY created_at LIMIT ?").all(limit) as RefundRow[]).map(fromRow);
  }

  done(paymentIntentId: string, refundId: string, now: number): void {
    this.sql("UPDATE automatic_refunds SET status = 'refunded', refund_id = ?, attempts = attempts + 1, last_error = NULL, updated_at = ? WHERE payment_intent_id = ?")
      .run(refundId, now, paymentIntentId);
  }

  failed(paymentIntentId: string, error: string, now: number): void {
    this.sql('UPDATE automatic_refunds SET attempts = attempts + 1, last_error = ?, updated_at = ? WHERE payment_intent_id = ?')
      .run(error, now, paymentIntentId);
  }
}

