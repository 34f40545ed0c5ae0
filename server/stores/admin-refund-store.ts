/** SQL for refunds the merchant asks for (see migration 011): one row per idempotency key and order. */
import { sql, type Db } from '../db/database.ts';
import type { RefundRecorded } from './automatic-refund-store.ts';

/** failed: Stripe made it and it failed later (../checkout/refund-failed.ts); last_error has Stripe's failure_reason. */
export type AdminRefundStatus = 'pending' | 'issued' | 'refused' | 'failed';

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
  constructor(private readonly db: Db) {}

  async byKey(orderId: string, idempotencyKey: string): Promise<AdminRefund | undefined> {
    const row = await this.db.one<AdminRefundRow>(sql`SELECT * FROM admin_refunds WHERE order_id = ${orderId} AND idempotency_key = ${idempotencyKey}`);
    return row && fromRow(row);
  }

  async forOrder(orderId: string): Promise<AdminRefund[]> {
    return (await this.db.all<AdminRefundRow>(sql`SELECT * FROM admin_refunds WHERE order_id = ${orderId} ORDER BY id`)).map(fromRow);
  }

  /** What this order's refunds asked or made take from what is left to refund (refused and failed ones take nothing). */
  async committed(orderId: string, exceptId = 0): Promise<number> {
    return await this.db.value<number>(sql`SELECT COALESCE(SUM(amount), 0) FROM admin_refunds
      WHERE order_id = ${orderId} AND status NOT IN ('refused', 'failed') AND id <> ${exceptId}`) ?? 0;
  }

  /** Call inside a write transaction. */
  async insert(r: { orderId: string; idempotencyKey: string; amount: number; reason: string; actor: string; now: number }): Promise<AdminRefund> {
    const row = await this.db.one<AdminRefundRow>(sql`INSERT INTO admin_refunds (order_id, idempotency_key, amount, reason, actor, created_at, updated_at)
      VALUES (${r.orderId}, ${r.idempotencyKey}, ${r.amount}, ${r.reason}, ${r.actor}, ${r.now}, ${r.now}) RETURNING *`);
    if (!row) throw new Error(`admin refund for ${r.orderId} vanished inside its own transaction`);
    return fromRow(row);
  }

  /** Asked again (a refused one retried under its key). */
  async reopen(id: number, now: number): Promise<void> {
    await this.db.run(sql`UPDATE admin_refunds SET status = 'pending', updated_at = ${now} WHERE id = ${id}`);
  }

  /** Its failure, if heard of first, stays; one of another refund is replaced (as automatic-refund-store's `done`). */
  async issued(id: number, refundId: string, now: number): Promise<RefundRecorded> {
    const set = sql`SET status = 'issued', refund_id = ${refundId}, last_error = NULL, updated_at = ${now}`;
    if (await this.db.run(sql`UPDATE admin_refunds ${set} WHERE id = ${id} AND status <> 'failed'`) === 1) return 'recorded';
    return await this.db.run(sql`UPDATE admin_refunds ${set} WHERE id = ${id} AND status = 'failed' AND refund_id <> ${refundId}`) === 1 ? 'replaced' : 'failed';
  }

  async refused(id: number, error: string, now: number): Promise<void> {
    await this.db.run(sql`UPDATE admin_refunds SET status = 'refused', last_error = ${error}, updated_at = ${now} WHERE id = ${id}`);
  }

  /** Pending refunds nobody has touched since `idleBefore` (no request in flight): the sweeper's work list. */
  async idlePending(idleBefore: number, limit = 100): Promise<AdminRefund[]> {
    return (await this.db.all<AdminRefundRow>(sql`SELECT * FROM admin_refunds WHERE status = 'pending' AND updated_at <= ${idleBefore} ORDER BY id LIMIT ${limit}`)).map(fromRow);
  }

  /**
   * Takes a pending refund for one process: touching it makes it busy (not idle) for everyone else,
   * so of any number of sweepers one wins. False when another process took or answered it first.
   */
  async claim(id: number, idleBefore: number, now: number): Promise<boolean> {
    return await this.db.run(sql`UPDATE admin_refunds SET updated_at = ${now} WHERE id = ${id} AND status = 'pending' AND updated_at <= ${idleBefore}`) === 1;
  }

  /** No answer from Stripe: still pending, asked again under the same key next time. */
  async unanswered(id: number, error: string, now: number): Promise<void> {
    await this.db.run(sql`UPDATE admin_refunds SET last_error = ${error}, updated_at = ${now} WHERE id = ${id}`);
  }
}
