/** SQL for refunds the merchant asks for (see migration 011): one row per idempotency key and order. */
import type { Db } from '../db/database.ts';
import { preparedOnce } from '../db/database.ts';

export type AdminRefundStatus = 'pending' | 'issued' | 'refused';

export interface AdminRefund {
  id: number;
  orderId: string;
  idempotencyKey: string;
  amount: number;
  reason: string;
  actor: string;
  status: AdminRefundStatus;
  refundId: string | null;
  lastError: string | null;
  createdAt: string;
}

interface AdminRefundRow {
  id: number; order_id: string; idempotency_key: string; amount: number; reason: string; actor: string; status: AdminRefundStatus;
  refund_id: string | null; last_error: string | null; created_at: number;
}

const fromRow = (r: AdminRefundRow): AdminRefund => ({
  id: r.id, orderId: r.order_id, idempotencyKey: r.idempotency_key, amount: r.amount, reason: r.reason, actor: r.actor,
  status: r.status, refundId: r.refund_id, lastError: r.last_error, createdAt: new Date(r.created_at).toISOString(),
});

export class AdminRefundStore {
  private readonly sql: ReturnType<typeof preparedOnce>;

  constructor(db: Db) {
    this.sql = preparedOnce(db);
  }

  byKey(orderId: string, idempotencyKey: string): AdminRefund | undefined {
    const row = this.sql('SELECT * FROM admin_refunds WHERE order_id = ? AND idempotency_key = ?').get(orderId, idempotencyKey) as AdminRefundRow | undefined;
    return row && fromRow(row);
  }

  forOrder(orderId: string): AdminRefund[] {
    return (this.sql('SELECT * FROM admin_refunds WHERE order_id = ? ORDER BY id').all(orderId) as AdminRefundRow[]).map(fromRow);
  }

  /** What this order's refunds asked or made take from what is left to refund (refused ones take nothing). */
  committed(orderId: string, exceptId = 0): number {
    return this.sql("SELECT COALESCE(SUM(amount), 0) FROM admin_refunds WHERE order_id = ? AND status <> 'refused' AND id <> ?")
      .pluck().get(orderId, exceptId) as number;
  }

  /** Call inside a write transaction. */
  insert(r: { orderId: string; idempotencyKey: string; amount: number; reason: string; actor: string; now: number }): AdminRefund {
    const id = Number(this.sql(`INSERT INTO admin_refunds (order_id, idempotency_key, amount, reason, actor, created_at, updated_at)
      VALUES (?, ?, ?, ?, ?, ?, ?)`).run(r.orderId, r.idempotencyKey, r.amount, r.reason, r.actor, r.now, r.now).lastInsertRowid);
    const row = this.sql('SELECT * FROM admin_refunds WHERE id = ?').get(id) as AdminRefundRow | undefined;
    if (!row) throw new Error(`admin refund ${id} vanished inside its own transaction`);
    return fromRow(row);
  }

  /** Asked again (a refused one retried under its key). */
  reopen(id: number, now: number): void {
    this.sql("UPDATE admin_refunds SET status = 'pending', updated_at = ? WHERE id = ?").run(now, id);
  }

  issued(id: number, refundId: string, now: number): void {
    this.sql("UPDATE admin_refunds SET status = 'issued', refund_id = ?, last_error = NULL, updated_at = ? WHERE id = ?").run(refundId, now, id);
  }

  refused(id: number, error: string, now: number): void {
    this.sql("UPDATE admin_refunds SET status = 'refused', last_error = ?, updated_at = ? WHERE id = ?").run(error, now, id);
  }

  /** Pending refunds nobody has touched since `idleBefore` (no request in flight): the sweeper's work list. */
  idlePending(idleBefore: number, limit = 100): AdminRefund[] {
    return (this.sql("SELECT * FROM admin_refunds WHERE status = 'pending' AND updated_at <= ? ORDER BY id LIMIT ?")
      .all(idleBefore, limit) as AdminRefundRow[]).map(fromRow);
  }

  /**
   * Takes a pending refund for one process: touching it makes it busy (not idle) for everyone else,
   * so of any number of sweepers one wins. False when another process took or answered it first.
   */
  claim(id: number, idleBefore: number, now: number): boolean {
    return this.sql("UPDATE admin_refunds SET updated_at = ? WHERE id = ? AND status = 'pending' AND updated_at <= ?")
      .run(now, id, idleBefore).changes === 1;
  }

  /** No answer from Stripe: still pending, asked again under the same key next time. */
  unanswered(id: number, error: string, now: number): void {
    this.sql('UPDATE admin_refunds SET last_error = ?, updated_at = ? WHERE id = ?').run(error, now, id);
  }
}
