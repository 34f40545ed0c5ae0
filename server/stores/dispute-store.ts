/** SQL for disputes opened against orders' payments (server/db/migrations/006_disputes.sql). */
import { sql, type Db } from '../db/database.ts';

export interface DisputeRecord {
  id: string;
  orderId: string;
  paymentIntentId: string;
  chargeId: string;
  amount: number;
  currency: string;
  reason: string;
  status: string;
  /** Milliseconds since the epoch: answer in Stripe's dashboard before then. */
  evidenceDueBy: number | null;
  createdAt: number;
}

interface DisputeRow {
  id: string; order_id: string; payment_intent_id: string; charge_id: string; amount: number; currency: string;
  reason: string; status: string; evidence_due_by: number | null; created_at: number;
}

export class DisputeStore {
  constructor(private readonly db: Db) {}

  /** Records a dispute once; false when it was already recorded. Call inside a write transaction. */
  async record(d: DisputeRecord): Promise<boolean> {
    return await this.db.run(sql`INSERT INTO disputes (id, order_id, payment_intent_id, charge_id, amount, currency, reason, status, evidence_due_by, created_at)
      VALUES (${d.id}, ${d.orderId}, ${d.paymentIntentId}, ${d.chargeId}, ${d.amount}, ${d.currency}, ${d.reason}, ${d.status}, ${d.evidenceDueBy}, ${d.createdAt})
      ON CONFLICT DO NOTHING`) === 1;
  }

  async forOrder(orderId: string): Promise<DisputeRecord[]> {
    return (await this.db.all<DisputeRow>(sql`SELECT * FROM disputes WHERE order_id = ${orderId} ORDER BY created_at`)).map((r) => ({
      id: r.id, orderId: r.order_id, paymentIntentId: r.payment_intent_id, chargeId: r.charge_id, amount: r.amount, currency: r.currency,
      reason: r.reason, status: r.status, evidenceDueBy: r.evidence_due_by, createdAt: r.created_at,
    }));
  }
}
