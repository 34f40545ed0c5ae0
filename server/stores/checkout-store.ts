/** SQL for checkouts and their reservations. Knows nothing of Stripe or HTTP. */
import type { CartLine, CheckoutStatus, Shipping, Totals } from '../../shared/api.ts';
import { openCheckoutStatuses } from '../../shared/api.ts';
import type { Db } from '../db/database.ts';
import { preparedOnce } from '../db/database.ts';
import type { Holds } from '../catalog/catalog.ts';

/** The open statuses (shared/api.ts) as SQL; constants, so safe to write into the statement. */
const OPEN = `status IN (${openCheckoutStatuses.map((s) => `'${s}'`).join(', ')})`;

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
  private readonly sql: ReturnType<typeof preparedOnce>;

  constructor(db: Db) {
    this.sql = preparedOnce(db);
  }

  byId(id: string): CheckoutRecord | undefined {
    const row = this.sql('SELECT * FROM checkouts WHERE id = ?').get(id) as CheckoutRow | undefined;
    return row && fromRow(row);
  }

  byPaymentIntent(paymentIntentId: string): CheckoutRecord | undefined {
    const row = this.sql('SELECT * FROM checkouts WHERE payment_intent_id = ?').get(paymentIntentId) as CheckoutRow | undefined;
    return row && fromRow(row);
  }

  openForCart(cartId: string): CheckoutRecord | undefined {
    const row = this.sql(`SELECT * FROM checkouts WHERE cart_id = ? AND ${OPEN}`).get(cartId) as CheckoutRow | undefined;
    return row && fromRow(row);
  }

  listByStatus(status: CheckoutStatus | undefined, limit: number): CheckoutRecord[] {
    const rows = status
      ? this.sql('SELECT * FROM checkouts WHERE status = ? ORDER BY created_at DESC LIMIT ?').all(status, limit)
      : this.sql('SELECT * FROM checkouts ORDER BY created_at DESC LIMIT ?').all(limit);
    return (rows as CheckoutRow[]).map(fromRow);
  }

  /** Open checkouts whose hold has run out: the sweeper's work list. */
  expired(now: number, limit = 100): CheckoutRecord[] {
    // A checkout whose PaymentIntent is being replaced right now is left to the request doing it.
    return (this.sql(`SELECT * FROM checkouts WHERE ${OPEN} AND expires_at <= @now
      AND (intent_claimed_until IS NULL OR intent_claimed_until <= @now) ORDER BY expires_at LIMIT @limit`).all({ now, limit }) as CheckoutRow[]).map(fromRow);
  }

  /** Failed checkouts whose recovery email is due: the sweeper's other work list. */
  recoveryDue(now: number, limit = 100): CheckoutRecord[] {
    return (this.sql(`SELECT * FROM checkouts WHERE status = 'failed' AND recovery_due_at <= ? ORDER BY recovery_due_at LIMIT ?`)
      .all(now, limit) as CheckoutRow[]).map(fromRow);
  }

  /**
   * Checkouts whose shopper gave an email and then went quiet: no payment attempt, no order for
   * their cart since, not unsubscribed, the newest checkout of their cart, last touched between
   * `notAfter` and `notBefore` and sent `remindersSent` reminders so far (the last one before
   * `lastReminderBefore`). The sweeper's work list for abandoned-cart reminders.
   */
  reminderDue(o: { remindersSent: number; notAfter: number; notBefore: number; lastReminderBefore: number; limit?: number }): CheckoutRecord[] {
    return (this.sql(`SELECT c.* FROM checkouts c
      WHERE c.reminders_sent = @remindersSent AND c.status IN ('pending', 'canceled') AND c.updated_at <= @notAfter AND c.updated_at > @notBefore
        AND (c.last_reminder_at IS NULL OR c.last_reminder_at <= @lastReminderBefore)
        AND NOT EXISTS (SELECT 1 FROM payment_attempts a WHERE a.checkout_id = c.id)
        AND NOT EXISTS (SELECT 1 FROM checkouts later WHERE later.cart_id = c.cart_id AND later.created_at > c.created_at)
        AND NOT EXISTS (SELECT 1 FROM orders o JOIN checkouts paid ON paid.id = o.checkout_id WHERE paid.cart_id = c.cart_id AND o.created_at >= c.created_at)
        AND NOT EXISTS (SELECT 1 FROM email_unsubscribes u WHERE u.email = lower(c.email))
      ORDER BY c.updated_at LIMIT @limit`).all({ ...o, limit: o.limit ?? 100 }) as CheckoutRow[]).map(fromRow);
  }

  /** Keeps the locale the shopper's widget speaks now, for the emails about this checkout. */
  setLocale(id: string, locale: string): void {
    this.sql('UPDATE checkouts SET locale = ? WHERE id = ?').run(locale, id);
  }

  /** Takes reminder number `remindersSent + 1` for this checkout; false when another process took it. */
  claimReminder(id: string, remindersSent: number, now: number): boolean {
    return this.sql('UPDATE checkouts SET reminders_sent = reminders_sent + 1, last_reminder_at = ? WHERE id = ? AND reminders_sent = ?')
      .run(now, id, remindersSent).changes === 1;
  }

  // ---- the one request that may create or replace a checkout's PaymentIntent
  /** Takes the lease on an open checkout's PaymentIntent; false when another request holds it. */
  claimIntent(id: string, now: number, until: number): boolean {
    return this.sql(`UPDATE checkouts SET intent_claimed_until = ? WHERE id = ? AND ${OPEN}
      AND (intent_claimed_until IS NULL OR intent_claimed_until <= ?)`).run(until, id, now).changes === 1;
  }

  /** Whether this generation's lease is still the one in force (it can lapse while Stripe is slow). */
  holdsClaim(id: string, generation: number, now: number): boolean {
    return this.sql(`SELECT 1 FROM checkouts WHERE id = ? AND intent_generation = ? AND intent_claimed_until > ? AND ${OPEN}`)
      .pluck().get(id, generation, now) === 1;
  }

  releaseClaim(id: string, generation: number): void {
    this.sql('UPDATE checkouts SET intent_claimed_until = NULL WHERE id = ? AND intent_generation = ?').run(id, generation);
  }

  /** The claimed generation's new PaymentIntent becomes the checkout's; false if the claim was lost. */
  attachIntent(id: string, generation: number, intent: { id: string; clientSecret: string; customerId: string }, now: number): boolean {
    return this.sql(`UPDATE checkouts SET payment_intent_id = ?, client_secret = ?, customer_id = ?, intent_claimed_until = NULL,
        updated_at = ? WHERE id = ? AND intent_generation = ? AND status = 'pending'`)
      .run(intent.id, intent.clientSecret, intent.customerId, now, id, generation).changes === 1;
  }

  /** A canceled (or vanished) PaymentIntent stops being this checkout's, so its late events change nothing. */
  detachIntent(id: string, paymentIntentId: string): void {
    this.sql('UPDATE checkouts SET payment_intent_id = NULL, client_secret = NULL WHERE id = ? AND payment_intent_id = ?').run(id, paymentIntentId);
  }

  /** The checkout became an order (or a payment that needs the merchant): it is closed. */
  markPaid(id: string, status: 'paid' | 'needs_attention', paymentIntentId: string, now: number): void {
    this.sql('UPDATE checkouts SET status = ?, payment_intent_id = ?, intent_claimed_until = NULL, recovery_due_at = NULL, updated_at = ? WHERE id = ?')
      .run(status, paymentIntentId, now, id);
  }

  // ---- holds: what open, unexpired checkouts of other carts keep from everyone else
  stockHeld(productId: string, now: number, exceptCartId?: string): number {
    return this.sql(`SELECT COALESCE(SUM(r.quantity), 0) FROM reservations r JOIN checkouts c ON c.id = r.checkout_id
      WHERE r.product_id = ? AND c.${OPEN} AND c.expires_at > ? AND c.cart_id IS NOT ?`).pluck().get(productId, now, exceptCartId ?? null) as number;
  }

  // Counted from the open, unexpired checkouts (the status/expiry index), never from every checkout
  // that ever used the code: `+coupon_code` keeps SQLite off the coupon index, which would visit
  // the code's whole history on every priced cart (4 ms a cart read after 50k orders with it).
  couponUsesHeld(code: string, now: number, exceptCartId?: string): number {
    return this.sql(`SELECT COUNT(*) FROM checkouts WHERE +coupon_code = ? AND ${OPEN} AND expires_at > ? AND cart_id IS NOT ?`)
      .pluck().get(code, now, exceptCartId ?? null) as number;
  }

  /** Inserts or rewrites a checkout with its reservations. Call inside a write transaction. */
  save(c: CheckoutRecord): void {
    this.sql(`INSERT INTO checkouts (id, cart_id, cart_version, status, email, name, currency, items, subtotal, discount, tax, total,
        shipping, shipping_amount, locale, coupon_code, payment_intent_id, client_secret, customer_id, expires_at, last_error_code, last_error_message,
        last_recovery_email_at, recovery_due_at, intent_generation, intent_claimed_until, created_at, updated_at)
      VALUES (@id, @cartId, @cartVersion, @status, @email, @name, @currency, @items, @subtotal, @discount, @tax, @total,
        @shipping, @shippingAmount, @locale, @couponCode, @paymentIntentId, @clientSecret, @customerId, @expiresAt, @lastErrorCode, @lastErrorMessage,
        @lastRecoveryEmailAt, @recoveryDueAt, @intentGeneration, @intentClaimedUntil, @createdAt, @updatedAt)
      ON CONFLICT (id) DO UPDATE SET cart_version = excluded.cart_version, status = excluded.status, email = excluded.email,
        name = excluded.name, items = excluded.items, subtotal = excluded.subtotal, discount = excluded.discount, tax = excluded.tax,
        total = excluded.total, shipping = excluded.shipping, shipping_amount = excluded.shipping_amount, locale = excluded.locale, coupon_code = excluded.coupon_code, payment_intent_id = excluded.payment_intent_id,
        client_secret = excluded.client_secret, customer_id = excluded.customer_id, expires_at = excluded.expires_at,
        last_error_code = excluded.last_error_code, last_error_message = excluded.last_error_message,
        last_recovery_email_at = excluded.last_recovery_email_at, recovery_due_at = excluded.recovery_due_at,
        intent_generation = excluded.intent_generation, intent_claimed_until = excluded.intent_claimed_until,
        updated_at = excluded.updated_at`)
      .run({
        ...c, items: JSON.stringify(c.items), ...c.totals, shipping: c.shipping && JSON.stringify(c.shipping), shippingAmount: c.totals.shipping ?? null,
        lastErrorCode: c.lastError?.code ?? null, lastErrorMessage: c.lastError?.message ?? null,
      });
    this.sql('DELETE FROM reservations WHERE checkout_id = ?').run(c.id);
    const reserve = this.sql('INSERT INTO reservations (checkout_id, product_id, quantity) VALUES (?, ?, ?)');
    for (const line of c.items) reserve.run(c.id, line.productId, line.quantity);
  }

  /** Moves a checkout to a new status only from one of `from`; returns whether it moved. */
  transition(id: string, from: readonly CheckoutStatus[], to: CheckoutStatus, now: number, extra: Partial<Pick<CheckoutRecord, 'lastError' | 'expiresAt'>> = {}): boolean {
    const sets = ['status = @to', 'updated_at = @now'];
    if ('lastError' in extra) sets.push('last_error_code = @code', 'last_error_message = @message');
    if (extra.expiresAt !== undefined) sets.push('expires_at = @expiresAt');
    const placeholders = from.map((_, i) => `@from${i}`).join(', ');
    const params: Record<string, unknown> = {
      id, to, now, code: extra.lastError?.code ?? null, message: extra.lastError?.message ?? null, expiresAt: extra.expiresAt ?? null,
      ...Object.fromEntries(from.map((s, i) => [`from${i}`, s])),
    };
    return this.sql(`UPDATE checkouts SET ${sets.join(', ')} WHERE id = @id AND status IN (${placeholders})`).run(params).changes === 1;
  }

  /** A recovery email is due at `at`, unless one is due already (the earlier one stands). */
  scheduleRecoveryEmail(id: string, at: number): void {
    this.sql('UPDATE checkouts SET recovery_due_at = COALESCE(recovery_due_at, ?) WHERE id = ?').run(at, id);
  }

  /** The due recovery email was sent (`sentAt`) or dropped (null: cooling down): nothing is due now. */
  recoveryEmailHandled(id: string, sentAt: number | null): void {
    this.sql('UPDATE checkouts SET recovery_due_at = NULL, last_recovery_email_at = COALESCE(?, last_recovery_email_at) WHERE id = ?').run(sentAt, id);
  }

  /** Records a failed attempt once, however many times it is heard of (webhook, status read, retries). */
  recordAttempt(a: { checkoutId: string; paymentIntentId: string; failureKey: string; eventId: string | null; code: string | null; declineCode: string | null; message: string | null; at: number }): boolean {
    return this.sql(`INSERT OR IGNORE INTO payment_attempts (checkout_id, payment_intent_id, failure_key, event_id, code, decline_code, message, created_at)
      VALUES (?, ?, ?, ?, ?, ?, ?, ?)`).run(a.checkoutId, a.paymentIntentId, a.failureKey, a.eventId, a.code, a.declineCode, a.message, a.at).changes === 1;
  }

  failedAttempts(checkoutId: string): number {
    return this.sql('SELECT COUNT(*) FROM payment_attempts WHERE checkout_id = ?').pluck().get(checkoutId) as number;
  }

  attempts(checkoutId: string): { code: string | null; declineCode: string | null; message: string | null }[] {
    return this.sql('SELECT code, decline_code AS declineCode, message FROM payment_attempts WHERE checkout_id = ? ORDER BY id')
      .all(checkoutId) as { code: string | null; declineCode: string | null; message: string | null }[];
  }

  customerFor(email: string): string | undefined {
    return this.sql('SELECT stripe_customer_id FROM customers WHERE email = ?').pluck().get(email) as string | undefined;
  }

  rememberCustomer(email: string, customerId: string): void {
    this.sql('INSERT OR IGNORE INTO customers (email, stripe_customer_id) VALUES (?, ?)').run(email, customerId);
  }

  /** Stripe no longer has this customer (deleted, other keys): the next checkout makes a new one. */
  forgetCustomer(email: string, customerId: string): void {
    this.sql('DELETE FROM customers WHERE email = ? AND stripe_customer_id = ?').run(email, customerId);
  }
}
