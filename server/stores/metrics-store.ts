/**
 * The funnel's figures, read from the rows the shop writes anyway: checkouts, failed attempts,
 * orders and the outbox (which recovery emails and reminders went out). A sale is an order whose
 * checkout ended 'paid' (not a payment refunded at once for want of stock or its coupon). Days
 * are UTC. Read-only, for the merchant: never on a shopper's path.
 */
import type { Db } from '../db/database.ts';
import { preparedOnce } from '../db/database.ts';

const DAY = "strftime('%Y-%m-%d', created_at / 1000, 'unixepoch')";

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
  /** A reminder for a checkout of its cart was sent before the payment. */
  reminderSent: boolean;
}

export interface Range {
  from: number;
  /** Excluded. */
  to: number;
  currency: string;
}

export class MetricsStore {
  private readonly sql: ReturnType<typeof preparedOnce>;

  constructor(db: Db) {
    this.sql = preparedOnce(db);
  }

  checkoutsStarted(r: Range): Map<string, number> {
    return this.perDay(`SELECT ${DAY} AS day, COUNT(*) AS n FROM checkouts
      WHERE created_at >= @from AND created_at < @to AND currency = @currency GROUP BY day`, r);
  }

  failedPayments(r: Range): Map<string, number> {
    return this.perDay(`SELECT strftime('%Y-%m-%d', a.created_at / 1000, 'unixepoch') AS day, COUNT(*) AS n
      FROM payment_attempts a JOIN checkouts c ON c.id = a.checkout_id
      WHERE a.created_at >= @from AND a.created_at < @to AND c.currency = @currency GROUP BY day`, r);
  }

  /** Of the checkouts started in the range: how many, and how many the shopper never paid (yet). */
  checkoutCohort(r: Range): { started: number; unpaid: number } {
    return this.sql(`SELECT COUNT(*) AS started, COALESCE(SUM(status NOT IN ('paid', 'needs_attention')), 0) AS unpaid FROM checkouts
      WHERE created_at >= @from AND created_at < @to AND currency = @currency`).get(r) as { started: number; unpaid: number };
  }

  sales(r: Range): SaleRow[] {
    // Emails are found by their dedupe keys' prefix as a range on the unique index (';' follows ':').
    const rows = this.sql(`SELECT strftime('%Y-%m-%d', o.created_at / 1000, 'unixepoch') AS day, o.amount_paid AS amountPaid,
        o.discount, o.coupon_code AS couponCode,
        EXISTS (SELECT 1 FROM payment_attempts a WHERE a.checkout_id = c.id) AS failedFirst,
        EXISTS (SELECT 1 FROM outbox m WHERE m.dedupe_key >= 'recovery:' || c.id || ':' AND m.dedupe_key < 'recovery:' || c.id || ';'
          AND m.status = 'sent' AND m.created_at <= o.created_at) AS recoveryEmailSent,
        EXISTS (SELECT 1 FROM checkouts r JOIN outbox m ON m.dedupe_key >= 'reminder:' || r.id || ':' AND m.dedupe_key < 'reminder:' || r.id || ';'
          WHERE r.cart_id = c.cart_id AND m.status = 'sent' AND m.created_at <= o.created_at) AS reminderSent
      FROM orders o JOIN checkouts c ON c.id = o.checkout_id
      WHERE c.status = 'paid' AND o.created_at >= @from AND o.created_at < @to AND o.currency = @currency
      ORDER BY o.created_at`).all(r) as (Omit<SaleRow, 'failedFirst' | 'recoveryEmailSent' | 'reminderSent'> & Record<'failedFirst' | 'recoveryEmailSent' | 'reminderSent', number>)[];
    return rows.map((s) => ({ ...s, failedFirst: s.failedFirst === 1, recoveryEmailSent: s.recoveryEmailSent === 1, reminderSent: s.reminderSent === 1 }));
  }

  private perDay(sql: string, r: Range): Map<string, number> {
    return new Map((this.sql(sql).all(r) as { day: string; n: number }[]).map((row) => [row.day, row.n]));
  }
}
