/** SQL for checkouts and their reservations. Knows nothing of Stripe or HTTP. */
import type { CartLine, CheckoutStatus, Shipping, Totals } from '../../shared/api.ts';
import { openCheckoutStatuses } from '../../shared/api.ts';
import { sql, type Db, type Query } from '../db/database.ts';
import type { Holds } from '../catalog/catalog.ts';

/** The open statuses (shared/api.ts) as SQL; constants, so safe to write into the statement. */
const OPEN = sql.raw(`status IN (${openCheckoutStatuses.map((s) => `'${s}'`).join(', ')})`);

export interface CheckoutRecord {
  id: string;
  cartId: string;
  cartVersion: number;
  status: CheckoutStatus;
  email: string;
  name: string | null;
  currency: string;
  items: CartLine[];
  totals: Totals;
  couponCode: string | null;
  /** Where the order ships and by which rate; null when nothing in it is shipped. */
  shipping: Shipping | null;
  /** The locale the shopper's widget spoke (emails follow it); null: the server's. */
  locale: string | null;
  paymentIntentId: string | null;
  clientSecret: string | null;
  customerId: string | null;
  expiresAt: number;
  lastError: { code: string; message: string } | null;
  lastRecoveryEmailAt: number | null;
  /** Abandoned-cart reminders sent for this checkout's cart so far. */
  remindersSent: number;
  /** When the recovery email for the latest failed payment is due; null when none is. */
  recoveryDueAt: number | null;
  /** How many PaymentIntents this checkout has asked Stripe for: part of each create's idempotency key. */
  intentGeneration: number;
  /** Until when one request holds the right to create or replace this checkout's PaymentIntent. */
  intentClaimedUntil: number | null;
  createdAt: number;
  updatedAt: number;
}

interface CheckoutRow {
  id: string; cart_id: string; cart_version: number; status: CheckoutStatus; email: string; name: string | null;
  currency: string; items: string; subtotal: number; discount: number; tax: number; total: number;
  shipping: string | null; shipping_amount: number | null; locale: string | null; coupon_code: string | null; payment_intent_id: string | null; client_secret: string | null; customer_id: string | null;
  expires_at: number; last_error_code: string | null; last_error_message: string | null;
  last_recovery_email_at: number | null; recovery_due_at: number | null; intent_generation: number;
  intent_claimed_until: number | null; reminders_sent: number; created_at: number; updated_at: number;
}

/** Shipping is in the totals only when the checkout ships (shared/pricing.ts). Orders store it alike. */
export function totalsOf(r: { subtotal: number; discount: number; shipping_amount: number | null; tax: number; total: number }): Totals {
  return r.shipping_amount === null
    ? { subtotal: r.subtotal, discount: r.discount, tax: r.tax, total: r.total }
    : { subtotal: r.subtotal, discount: r.discount, shipping: r.shipping_amount, tax: r.tax, total: r.total };
}

/**
 * Checkout `c` (so aliased) still earns an abandoned-cart reminder: unpaid with no payment attempt
 * (a failed one gets the recovery email instead), the newest checkout of its cart, no order for
 * that cart since it began, its address not unsubscribed. Read for the work list and again by the
 * claim, so whatever lands in between stops the reminder.
 */
const STILL_ABANDONED = sql`c.status IN ('pending', 'canceled')
  AND NOT EXISTS (SELECT 1 FROM payment_attempts a WHERE a.checkout_id = c.id)
  AND NOT EXISTS (SELECT 1 FROM checkouts later WHERE later.cart_id = c.cart_id AND later.created_at > c.created_at)
  AND NOT EXISTS (SELECT 1 FROM orders o JOIN checkouts paid ON paid.id = o.checkout_id WHERE paid.cart_id = c.cart_id AND o.created_at >= c.created_at)
  AND NOT EXISTS (SELECT 1 FROM email_unsubscribes u WHERE u.email = lower(c.email))`;

const fromRow = (r: CheckoutRow): CheckoutRecord => ({
  id: r.id, cartId: r.cart_id, cartVersion: r.cart_version, status: r.status, email: r.email, name: r.name,
  currency: r.currency, items: JSON.parse(r.items) as CartLine[],
  totals: totalsOf(r), shipping: r.shipping === null ? null : JSON.parse(r.shipping) as Shipping, locale: r.locale,
  couponCode: r.coupon_code, paymentIntentId: r.payment_intent_id, clientSecret: r.client_secret, customerId: r.customer_id,
  expiresAt: r.expires_at,
  lastError: r.last_error_code ? { code: r.last_error_code, message: r.last_error_message ?? '' } : null,
  lastRecoveryEmailAt: r.last_recovery_email_at, recoveryDueAt: r.recovery_due_at, intentGeneration: r.intent_generation,
  intentClaimedUntil: r.intent_claimed_until, remindersSent: r.reminders_sent, createdAt: r.created_at, updatedAt: r.updated_at,
});

export class CheckoutStore implements Holds {
  constructor(private readonly db: Db) {}

  private async first(query: Query): Promise<CheckoutRecord | undefined> {
    const row = await this.db.one<CheckoutRow>(query);
    return row && fromRow(row);
  }

  private async many(query: Query): Promise<CheckoutRecord[]> {
    return (await this.db.all<CheckoutRow>(query)).map(fromRow);
  }

  byId(id: string): Promise<CheckoutRecord | undefined> {
    return this.first(sql`SELECT * FROM checkouts WHERE id = ${id}`);
  }

  /** The checkout, its row locked until the transaction ends (PostgreSQL): whoever changes a
   * checkout on what it read of it takes this first. Call inside `tx`. */
  lockById(id: string): Promise<CheckoutRecord | undefined> {
    return this.first(sql`SELECT * FROM checkouts WHERE id = ${id} ${this.db.forUpdate}`);
  }

  /** `byPaymentIntent` with the row locked (PostgreSQL) until the transaction ends. Call inside `tx`. */
  lockByPaymentIntent(paymentIntentId: string): Promise<CheckoutRecord | undefined> {
    return this.first(sql`SELECT * FROM checkouts WHERE payment_intent_id = ${paymentIntentId} ${this.db.forUpdate}`);
  }

  byPaymentIntent(paymentIntentId: string): Promise<CheckoutRecord | undefined> {
    return this.first(sql`SELECT * FROM checkouts WHERE payment_intent_id = ${paymentIntentId}`);
  }

  /** The cart's open checkout; with `lock`, its row locked until the transaction ends (PostgreSQL). */
  openForCart(cartId: string, lock = false): Promise<CheckoutRecord | undefined> {
    return this.first(sql`SELECT * FROM checkouts WHERE cart_id = ${cartId} AND ${OPEN} ${lock ? this.db.forUpdate : sql``}`);
  }

  listByStatus(status: CheckoutStatus | undefined, limit: number): Promise<CheckoutRecord[]> {
    return status
      ? this.many(sql`SELECT * FROM checkouts WHERE status = ${status} ORDER BY created_at DESC LIMIT ${limit}`)
      : this.many(sql`SELECT * FROM checkouts ORDER BY created_at DESC LIMIT ${limit}`);
  }

  /** Open checkouts whose hold has run out: the sweeper's work list. */
  expired(now: number, limit = 100): Promise<CheckoutRecord[]> {
    // A checkout whose PaymentIntent is being replaced right now is left to the request doing it.
    return this.many(sql`SELECT * FROM checkouts WHERE ${OPEN} AND expires_at <= ${now}
      AND (intent_claimed_until IS NULL OR intent_claimed_until <= ${now}) ORDER BY expires_at LIMIT ${limit}`);
  }

  /** Failed checkouts whose recovery email is due: the sweeper's other work list. */
  recoveryDue(now: number, limit = 100): Promise<CheckoutRecord[]> {
    return this.many(sql`SELECT * FROM checkouts WHERE status = 'failed' AND recovery_due_at <= ${now} ORDER BY recovery_due_at LIMIT ${limit}`);
  }

  /**
   * Checkouts whose shopper gave an email and then went quiet (see UNREMINDABLE_EXCEPT_TIME), last
   * touched between `notAfter` and `notBefore` and sent `remindersSent` reminders so far (the last
   * one before `lastReminderBefore`). The sweeper's work list for abandoned-cart reminders.
   */
  reminderDue(o: { remindersSent: number; notAfter: number; notBefore: number; lastReminderBefore: number; limit?: number }): Promise<CheckoutRecord[]> {
    return this.many(sql`SELECT c.* FROM checkouts c
      WHERE c.reminders_sent = ${o.remindersSent} AND c.updated_at <= ${o.notAfter} AND c.updated_at > ${o.notBefore}
        AND (c.last_reminder_at IS NULL OR c.last_reminder_at <= ${o.lastReminderBefore}) AND ${STILL_ABANDONED}
      ORDER BY c.updated_at LIMIT ${o.limit ?? 100}`);
  }

  /** Keeps the locale the shopper's widget speaks now, for the emails about this checkout. */
  async setLocale(id: string, locale: string): Promise<void> {
    await this.db.run(sql`UPDATE checkouts SET locale = ${locale} WHERE id = ${id}`);
  }

  /**
   * Takes reminder number `remindersSent + 1` for this checkout; false when another process took
   * it, or when the checkout stopped being abandoned since the work list was read (paid, a payment
   * failed, checked out again, unsubscribed). On PostgreSQL a payment committing meanwhile holds
   * this row: the UPDATE waits for it and re-checks `c.status` on the paid row.
   */
  async claimReminder(id: string, remindersSent: number, now: number): Promise<boolean> {
    return await this.db.run(sql`UPDATE checkouts AS c SET reminders_sent = c.reminders_sent + 1, last_reminder_at = ${now}
      WHERE c.id = ${id} AND c.reminders_sent = ${remindersSent} AND ${STILL_ABANDONED}`) === 1;
  }

  // ---- the one request that may create or replace a checkout's PaymentIntent
  /** Takes the lease on an open checkout's PaymentIntent; false when another request holds it. */
  async claimIntent(id: string, now: number, until: number): Promise<boolean> {
    return await this.db.run(sql`UPDATE checkouts SET intent_claimed_until = ${until} WHERE id = ${id} AND ${OPEN}
      AND (intent_claimed_until IS NULL OR intent_claimed_until <= ${now})`) === 1;
  }

  /** Whether this generation's lease is still the one in force (it can lapse while Stripe is slow). */
  async holdsClaim(id: string, generation: number, now: number): Promise<boolean> {
    return await this.db.value(sql`SELECT 1 FROM checkouts WHERE id = ${id} AND intent_generation = ${generation}
      AND intent_claimed_until > ${now} AND ${OPEN}`) === 1;
  }

  async releaseClaim(id: string, generation: number): Promise<void> {
    await this.db.run(sql`UPDATE checkouts SET intent_claimed_until = NULL WHERE id = ${id} AND intent_generation = ${generation}`);
  }

  /** The claimed generation's new PaymentIntent becomes the checkout's; false if the claim was lost. */
  async attachIntent(id: string, generation: number, intent: { id: string; clientSecret: string; customerId: string }, now: number): Promise<boolean> {
    return await this.db.run(sql`UPDATE checkouts SET payment_intent_id = ${intent.id}, client_secret = ${intent.clientSecret},
        customer_id = ${intent.customerId}, intent_claimed_until = NULL, updated_at = ${now}
      WHERE id = ${id} AND intent_generation = ${generation} AND status = 'pending'`) === 1;
  }

  /** A canceled (or vanished) PaymentIntent stops being this checkout's, so its late events change nothing. */
  async detachIntent(id: string, paymentIntentId: string): Promise<void> {
    await this.db.run(sql`UPDATE checkouts SET payment_intent_id = NULL, client_secret = NULL WHERE id = ${id} AND payment_intent_id = ${paymentIntentId}`);
  }

  /** The checkout became an order (or a payment that needs the merchant): it is closed. */
  async markPaid(id: string, status: 'paid' | 'needs_attention', paymentIntentId: string, now: number): Promise<void> {
    await this.db.run(sql`UPDATE checkouts SET status = ${status}, payment_intent_id = ${paymentIntentId}, intent_claimed_until = NULL,
      recovery_due_at = NULL, updated_at = ${now} WHERE id = ${id}`);
  }

  // ---- holds: what open, unexpired checkouts of other carts keep from everyone else
  // The open checkouts' totals are kept by triggers (migration 040: product_holds, coupon_holds),
  // so a read is O(1) in the open checkouts: the total, less what lapsed but is not yet closed (the
  // status/expiry index finds those, a handful between sweeps) and less the asking cart's own
  // unexpired hold (its one open checkout). Both parts are walked from checkouts, never from the
  // product's or the code's whole reservation history.
  async stockHeld(productId: string, now: number, exceptCartId?: string): Promise<number> {
    return await this.db.value<number>(sql`SELECT ${this.stockHeldSql(productId, now, exceptCartId)} AS held`) ?? 0;
  }

  /** `stockHeld` as an SQL expression, for a statement that reads the product with it. */
  stockHeldSql(productId: string | Query, now: number, exceptCartId?: string): Query {
    return sql`(COALESCE((SELECT held FROM product_holds WHERE product_id = ${productId}), 0)
      - COALESCE((SELECT SUM(r.quantity) FROM checkouts c CROSS JOIN reservations r
          WHERE c.${OPEN} AND c.expires_at <= ${now} AND r.checkout_id = c.id AND r.product_id = ${productId}), 0)
      - COALESCE((SELECT SUM(r.quantity) FROM checkouts c CROSS JOIN reservations r
          WHERE c.cart_id = ${exceptCartId ?? null} AND c.${OPEN} AND c.expires_at > ${now} AND r.checkout_id = c.id AND r.product_id = ${productId}), 0))`;
  }

  async couponUsesHeld(code: string, now: number, exceptCartId?: string): Promise<number> {
    return await this.db.value<number>(sql`SELECT ${this.couponUsesHeldSql(code, now, exceptCartId)} AS held`) ?? 0;
  }

  /** `couponUsesHeld` as an SQL expression, for a statement that reads the coupon with it. The
   * `coupon_code || ''` keeps SQLite off the coupon index, which would visit the code's whole
   * history (4 ms a cart read after 50k orders with it). */
  couponUsesHeldSql(code: string, now: number, exceptCartId?: string): Query {
    return sql`(COALESCE((SELECT held FROM coupon_holds WHERE code = ${code}), 0)
      - (SELECT COUNT(*) FROM checkouts WHERE ${OPEN} AND expires_at <= ${now} AND coupon_code || '' = ${code})
      - (SELECT COUNT(*) FROM checkouts WHERE cart_id = ${exceptCartId ?? null} AND ${OPEN} AND expires_at > ${now} AND coupon_code || '' = ${code}))`;
  }

  /** Inserts or rewrites a checkout with its reservations. Call inside a write transaction. */
  async save(c: CheckoutRecord): Promise<void> {
    await this.db.run(sql`INSERT INTO checkouts (id, cart_id, cart_version, status, email, name, currency, items, subtotal, discount, tax, total,
        shipping, shipping_amount, locale, coupon_code, payment_intent_id, client_secret, customer_id, expires_at, last_error_code, last_error_message,
        last_recovery_email_at, recovery_due_at, intent_generation, intent_claimed_until, created_at, updated_at)
      VALUES (${c.id}, ${c.cartId}, ${c.cartVersion}, ${c.status}, ${c.email}, ${c.name}, ${c.currency}, ${JSON.stringify(c.items)},
        ${c.totals.subtotal}, ${c.totals.discount}, ${c.totals.tax}, ${c.totals.total},
        ${c.shipping && JSON.stringify(c.shipping)}, ${c.totals.shipping ?? null}, ${c.locale},
        ${c.couponCode}, ${c.paymentIntentId}, ${c.clientSecret}, ${c.customerId}, ${c.expiresAt}, ${c.lastError?.code ?? null}, ${c.lastError?.message ?? null},
        ${c.lastRecoveryEmailAt}, ${c.recoveryDueAt}, ${c.intentGeneration}, ${c.intentClaimedUntil}, ${c.createdAt}, ${c.updatedAt})
      ON CONFLICT (id) DO UPDATE SET cart_version = excluded.cart_version, status = excluded.status, email = excluded.email,
        name = excluded.name, items = excluded.items, subtotal = excluded.subtotal, discount = excluded.discount, tax = excluded.tax,
        total = excluded.total, shipping = excluded.shipping, shipping_amount = excluded.shipping_amount, locale = excluded.locale, coupon_code = excluded.coupon_code, payment_intent_id = excluded.payment_intent_id,
        client_secret = excluded.client_secret, customer_id = excluded.customer_id, expires_at = excluded.expires_at,
        last_error_code = excluded.last_error_code, last_error_message = excluded.last_error_message,
        last_recovery_email_at = excluded.last_recovery_email_at, recovery_due_at = excluded.recovery_due_at,
        intent_generation = excluded.intent_generation, intent_claimed_until = excluded.intent_claimed_until,
        updated_at = excluded.updated_at`);
    await this.db.run(sql`DELETE FROM reservations WHERE checkout_id = ${c.id}`);
    // In product order, as every other writer of the products' hold counts goes (PostgreSQL row locks).
    for (const line of [...c.items].sort((a, b) => (a.productId < b.productId ? -1 : a.productId > b.productId ? 1 : 0))) {
      await this.db.run(sql`INSERT INTO reservations (checkout_id, product_id, quantity) VALUES (${c.id}, ${line.productId}, ${line.quantity})`);
    }
  }

  /** Moves a checkout to a new status only from one of `from`; returns whether it moved. */
  async transition(id: string, from: readonly CheckoutStatus[], to: CheckoutStatus, now: number, extra: Partial<Pick<CheckoutRecord, 'lastError' | 'expiresAt'>> = {}): Promise<boolean> {
    const sets = [sql`status = ${to}`, sql`updated_at = ${now}`];
    if ('lastError' in extra) sets.push(sql`last_error_code = ${extra.lastError?.code ?? null}`, sql`last_error_message = ${extra.lastError?.message ?? null}`);
    if (extra.expiresAt !== undefined) sets.push(sql`expires_at = ${extra.expiresAt}`);
    return await this.db.run(sql`UPDATE checkouts SET ${sql.join(sets)} WHERE id = ${id} AND status IN (${sql.join([...from])})`) === 1;
  }

  /** A recovery email is due at `at`, unless one is due already (the earlier one stands). */
  async scheduleRecoveryEmail(id: string, at: number): Promise<void> {
    await this.db.run(sql`UPDATE checkouts SET recovery_due_at = COALESCE(recovery_due_at, ${at}) WHERE id = ${id}`);
  }

  /** The due recovery email was sent (`sentAt`) or dropped (null: cooling down): nothing is due now. */
  async recoveryEmailHandled(id: string, sentAt: number | null): Promise<void> {
    await this.db.run(sql`UPDATE checkouts SET recovery_due_at = NULL, last_recovery_email_at = COALESCE(${sentAt}, last_recovery_email_at) WHERE id = ${id}`);
  }

  /** Records a failed attempt once, however many times it is heard of (webhook, status read, retries). */
  async recordAttempt(a: { checkoutId: string; paymentIntentId: string; failureKey: string; eventId: string | null; code: string | null; declineCode: string | null; message: string | null; at: number }): Promise<boolean> {
    return await this.db.run(sql`INSERT INTO payment_attempts (checkout_id, payment_intent_id, failure_key, event_id, code, decline_code, message, created_at)
      VALUES (${a.checkoutId}, ${a.paymentIntentId}, ${a.failureKey}, ${a.eventId}, ${a.code}, ${a.declineCode}, ${a.message}, ${a.at})
      ON CONFLICT DO NOTHING`) === 1;
  }

  async failedAttempts(checkoutId: string): Promise<number> {
    return await this.db.value<number>(sql`SELECT COUNT(*) FROM payment_attempts WHERE checkout_id = ${checkoutId}`) ?? 0;
  }

  attempts(checkoutId: string): Promise<{ code: string | null; declineCode: string | null; message: string | null }[]> {
    return this.db.all(sql`SELECT code, decline_code AS "declineCode", message FROM payment_attempts WHERE checkout_id = ${checkoutId} ORDER BY id`);
  }

  customerFor(email: string): Promise<string | undefined> {
    return this.db.value<string>(sql`SELECT stripe_customer_id FROM customers WHERE email = ${email}`);
  }

  async rememberCustomer(email: string, customerId: string): Promise<void> {
    await this.db.run(sql`INSERT INTO customers (email, stripe_customer_id) VALUES (${email}, ${customerId}) ON CONFLICT DO NOTHING`);
  }

  /** Stripe no longer has this customer (deleted, other keys): the next checkout makes a new one. */
  async forgetCustomer(email: string, customerId: string): Promise<void> {
    await this.db.run(sql`DELETE FROM customers WHERE email = ${email} AND stripe_customer_id = ${customerId}`);
  }
}
