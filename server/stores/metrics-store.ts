/**
 * The funnel's figures, read from the rows the shop writes anyway: checkouts, failed attempts,
 * orders and the outbox (which recovery emails and reminders went out). A sale is an order whose
 * checkout ended 'paid' (not a payment refunded at once for want of stock or its coupon). Days
 * are UTC. Read-only, for the merchant: never on a shopper's path.
 */
import { sql, type Db, type Query } from '../db/database.ts';

/** One sale, with what the funnel needs to know about how it came about. */
export interface SaleRow {
  day: string;
  amountPaid: number;
  discount: number;
  couponCode: string | null;
  /** Its checkout had at least one failed payment first. */
  failedFirst: boolean;
  /** ...and the recovery email for it was sent before the payment. */
  recoveryEmailSent: boolean;
  /** A reminder for a checkout of its cart was sent before the payment, and no earlier payment for
   * the cart answered it (a cart bought from again later owes that sale nothing to the reminder). */
  reminderSent: boolean;
}

export interface Range {
  from: number;
  /** Excluded. */
  to: number;
  currency: string;
}

export class MetricsStore {
  constructor(private readonly db: Db) {}

  checkoutsStarted(r: Range): Promise<Map<string, number>> {
    return this.perDay(sql`SELECT ${this.db.utcDay('created_at')} AS day, COUNT(*) AS n FROM checkouts
      WHERE created_at >= ${r.from} AND created_at < ${r.to} AND currency = ${r.currency} GROUP BY day`);
  }

  failedPayments(r: Range): Promise<Map<string, number>> {
    return this.perDay(sql`SELECT ${this.db.utcDay('a.created_at')} AS day, COUNT(*) AS n
      FROM payment_attempts a JOIN checkouts c ON c.id = a.checkout_id
      WHERE a.created_at >= ${r.from} AND a.created_at < ${r.to} AND c.currency = ${r.currency} GROUP BY day`);
  }

  /** Of the checkouts started in the range: how many, and how many the shopper never paid (yet). */
  async checkoutCohort(r: Range): Promise<{ started: number; unpaid: number }> {
    return (await this.db.one<{ started: number; unpaid: number }>(sql`SELECT COUNT(*) AS started,
        COALESCE(SUM(CASE WHEN status NOT IN ('paid', 'needs_attention') THEN 1 ELSE 0 END), 0) AS unpaid FROM checkouts
      WHERE created_at >= ${r.from} AND created_at < ${r.to} AND currency = ${r.currency}`))!;
  }

  async sales(r: Range): Promise<SaleRow[]> {
    // Emails are found by their dedupe keys' prefix as a range on the unique index (';' follows ':').
    const rows = await this.db.all<Omit<SaleRow, 'failedFirst' | 'recoveryEmailSent' | 'reminderSent'> & Record<'failedFirst' | 'recoveryEmailSent' | 'reminderSent', number>>(
      sql`SELECT ${this.db.utcDay('o.created_at')} AS day, o.amount_paid AS "amountPaid",
        o.discount, o.coupon_code AS "couponCode",
        CASE WHEN EXISTS (SELECT 1 FROM payment_attempts a WHERE a.checkout_id = c.id) THEN 1 ELSE 0 END AS "failedFirst",
        CASE WHEN EXISTS (SELECT 1 FROM outbox m WHERE m.dedupe_key >= 'recovery:' || c.id || ':' AND m.dedupe_key < 'recovery:' || c.id || ';'
          AND m.status = 'sent' AND m.created_at <= o.created_at) THEN 1 ELSE 0 END AS "recoveryEmailSent",
        CASE WHEN EXISTS (SELECT 1 FROM checkouts r JOIN outbox m ON m.dedupe_key >= 'reminder:' || r.id || ':' AND m.dedupe_key < 'reminder:' || r.id || ';'
          WHERE r.cart_id = c.cart_id AND m.status = 'sent' AND m.created_at <= o.created_at
            AND NOT EXISTS (SELECT 1 FROM orders earlier JOIN checkouts e ON e.id = earlier.checkout_id
              WHERE e.cart_id = c.cart_id AND earlier.created_at >= r.created_at AND earlier.created_at < o.created_at)) THEN 1 ELSE 0 END AS "reminderSent"
      FROM orders o JOIN checkouts c ON c.id = o.checkout_id
      WHERE c.status = 'paid' AND o.created_at >= ${r.from} AND o.created_at < ${r.to} AND o.currency = ${r.currency}
      ORDER BY o.created_at`);
    return rows.map((s) => ({ ...s, failedFirst: s.failedFirst === 1, recoveryEmailSent: s.recoveryEmailSent === 1, reminderSent: s.reminderSent === 1 }));
  }

  private async perDay(query: Query): Promise<Map<string, number>> {
    return new Map((await this.db.all<{ day: string; n: number }>(query)).map((row) => [row.day, row.n]));
  }
}
