/** SQL for orders and their items. Orders are unique per PaymentIntent and per checkout. */
import { randomBytes } from 'node:crypto';
import type { CartLine, Order, OrderStatus, Shipping, Totals } from '../../shared/api.ts';
import type { CustomerHistory } from '../../shared/coupons.ts';
import { sql, type Db, type Query } from '../db/database.ts';
import { totalsOf } from './checkout-store.ts';

export interface OrderRecord extends Order {
  checkoutId: string;
  paymentIntentId: string;
  attentionReason: string | null;
  amountPaid: number;
  amountRefunded: number;
  stockTaken: boolean;
}

/**
 * What a paid PaymentIntent said it ships to, kept when it is not the order's address: Stripe's
 * fields as Stripe returns them, both null when the payment carried no shipping at all.
 */
export interface PaymentShipping {
  name: string | null;
  address: { line1: string | null; line2: string | null; city: string | null; state: string | null; postal_code: string | null; country: string | null } | null;
}

export interface OrderResolution {
  attentionReason: string | null;
  resolvedBy: string;
  note: string;
  resolvedAt: string;
}

/** How the merchant narrows the list: `q` is an order number (CO-1001 or 1001) or part of an email;
 * `from` and `to` are epoch milliseconds, `from` included and `to` not. */
export interface OrderFilters {
  q?: string;
  status?: OrderStatus;
  from?: number;
  to?: number;
}

/** The filters as one WHERE clause (or none); every value is a parameter. Emails are matched case
 * aside (PostgreSQL's LIKE minds case, SQLite's does not: both compare the lower-cased text). */
function filtersSql(f: OrderFilters): Query {
  const clauses: Query[] = [];
  const q = f.q?.trim();
  if (q) {
    const number = /^\d+$/.test(q) ? `CO-${q}` : q.toUpperCase();
    const email = `%${q.toLowerCase().replace(/[\\%_]/g, (ch) => `\\${ch}`)}%`;
    clauses.push(sql`(number = ${number} OR lower(email) LIKE ${email} ESCAPE '\\')`);
  }
  if (f.status) clauses.push(sql`status = ${f.status}`);
  if (f.from !== undefined) clauses.push(sql`created_at >= ${f.from}`);
  if (f.to !== undefined) clauses.push(sql`created_at < ${f.to}`);
  return clauses.length ? sql`WHERE ${sql.join(clauses, sql` AND `)}` : sql``;
}

/** Any number that is ours alone: the advisory lock that orders order numbers on PostgreSQL. */
const ORDER_NUMBER_LOCK = 7_160_017;

interface OrderRow {
  id: string; number: string; checkout_id: string; payment_intent_id: string; status: OrderStatus; attention_reason: string | null;
  email: string; currency: string; subtotal: number; discount: number; tax: number; total: number; amount_paid: number;
  shipping: string | null; shipping_amount: number | null;
  amount_refunded: number; coupon_code: string | null; stock_taken: number; created_at: number;
}

/** The order's attention reason with `reason` after it, when it needs attention already. */
const addedReason = (reason: string) =>
  sql`CASE WHEN status = 'needs_attention' AND attention_reason IS NOT NULL THEN attention_reason || '; ' || ${reason} ELSE ${reason} END`;

export class OrderStore {
  constructor(private readonly db: Db) {}

  byId(id: string): Promise<OrderRecord | undefined> {
    return this.one(sql`SELECT * FROM orders WHERE id = ${id}`);
  }

  byCheckout(checkoutId: string): Promise<OrderRecord | undefined> {
    return this.one(sql`SELECT * FROM orders WHERE checkout_id = ${checkoutId}`);
  }

  byPaymentIntent(paymentIntentId: string): Promise<OrderRecord | undefined> {
    return this.one(sql`SELECT * FROM orders WHERE payment_intent_id = ${paymentIntentId}`);
  }

  /** The order, its row locked until the transaction ends (PostgreSQL). Call inside `tx`. */
  lockById(id: string): Promise<OrderRecord | undefined> {
    return this.one(sql`SELECT * FROM orders WHERE id = ${id} ${this.db.forUpdate}`);
  }

  /** The order, its row locked until the transaction ends (PostgreSQL): for changes made on what was read. Call inside `tx`. */
  lockByPaymentIntent(paymentIntentId: string): Promise<OrderRecord | undefined> {
    return this.one(sql`SELECT * FROM orders WHERE payment_intent_id = ${paymentIntentId} ${this.db.forUpdate}`);
  }

  async list(o: { status?: string; limit: number; offset: number }): Promise<OrderRecord[]> {
    const rows = await this.db.all<OrderRow>(o.status
      ? sql`SELECT * FROM orders WHERE status = ${o.status} ORDER BY created_at DESC, number DESC LIMIT ${o.limit} OFFSET ${o.offset}`
      : sql`SELECT * FROM orders ORDER BY created_at DESC, number DESC LIMIT ${o.limit} OFFSET ${o.offset}`);
    return Promise.all(rows.map((r) => this.withItems(r)));
  }

  async count(): Promise<number> {
    return await this.db.value<number>(sql`SELECT COUNT(*) FROM orders`) ?? 0;
  }

  /** The merchant's search: newest first, a page at a time, with how many match in all. */
  async search(f: OrderFilters & { limit: number; offset: number }): Promise<{ orders: OrderRecord[]; total: number }> {
    const where = filtersSql(f);
    const rows = await this.db.all<OrderRow>(sql`SELECT * FROM orders ${where} ORDER BY created_at DESC, number DESC LIMIT ${f.limit} OFFSET ${f.offset}`);
    const total = await this.db.value<number>(sql`SELECT COUNT(*) FROM orders ${where}`) ?? 0;
    return { orders: await Promise.all(rows.map((r) => this.withItems(r))), total };
  }

  /**
   * What a coupon limited per customer needs to know about an email: has it a paid order (one that
   * became a sale: its checkout is 'paid', so not a payment refunded for want of stock), and one
   * with this code. Emails are compared as typed, case aside.
   */
  async customerHistory(email: string, couponCode: string): Promise<CustomerHistory> {
    const row = await this.db.one<{ paid: number; withCode: number }>(sql`SELECT COUNT(*) AS paid,
        COALESCE(SUM(CASE WHEN o.coupon_code = ${couponCode} THEN 1 ELSE 0 END), 0) AS "withCode"
      FROM orders o JOIN checkouts c ON c.id = o.checkout_id
      WHERE lower(o.email) = lower(${email}) AND c.status = 'paid'`);
    return { hasPaidOrder: (row?.paid ?? 0) > 0, hasUsedCode: (row?.withCode ?? 0) > 0 };
  }

  /** Call inside a write transaction: the order number is the next in sequence. */
  async insert(o: {
    checkoutId: string; paymentIntentId: string; status: OrderStatus; attentionReason: string | null; email: string;
    currency: string; items: CartLine[]; totals: Totals; shipping: Shipping | null; amountPaid: number; couponCode: string | null; stockTaken: boolean; now: number;
    /** Only when the payment's shipping differs from `shipping` (the order's history shows it). */
    paymentShipping?: PaymentShipping | null;
  }): Promise<OrderRecord> {
    const id = `ord_${randomBytes(16).toString('base64url')}`;
    // Two transactions reading the same highest number would both take the next one: on
    // PostgreSQL order inserts queue on this lock until the one before commits (SQLite's write
    // lock already does that).
    await this.db.serialize(ORDER_NUMBER_LOCK);
    // The orders_number_value index (migration 041) answers this without visiting every order.
    const last = await this.db.value<number | null>(sql`SELECT MAX(CAST(SUBSTR(number, 4) AS BIGINT)) FROM orders`);
    const number = `CO-${(last ?? 1000) + 1}`;
    const row = await this.db.one<OrderRow>(sql`INSERT INTO orders (id, number, checkout_id, payment_intent_id, status, attention_reason, email, currency,
        subtotal, discount, tax, total, shipping, shipping_amount, payment_shipping, amount_paid, coupon_code, stock_taken, created_at, updated_at)
      VALUES (${id}, ${number}, ${o.checkoutId}, ${o.paymentIntentId}, ${o.status}, ${o.attentionReason}, ${o.email}, ${o.currency},
        ${o.totals.subtotal}, ${o.totals.discount}, ${o.totals.tax}, ${o.totals.total}, ${o.shipping && JSON.stringify(o.shipping)}, ${o.totals.shipping ?? null},
        ${o.paymentShipping ? JSON.stringify(o.paymentShipping) : null}, ${o.amountPaid}, ${o.couponCode}, ${o.stockTaken ? 1 : 0}, ${o.now}, ${o.now}) RETURNING *`);
    // One statement for every line (a round trip each on PostgreSQL, while fulfilment holds its locks).
    if (o.items.length > 0) {
      await this.db.run(sql`INSERT INTO order_items (order_id, product_id, name, unit_price, quantity, line_total, position)
        VALUES ${sql.join(o.items.map((l, position) => sql`(${id}, ${l.productId}, ${l.name}, ${l.unitPrice}, ${l.quantity}, ${l.lineTotal}, ${position})`))}`);
    }
    if (!row) throw new Error(`order ${id} was not written`);
    // What was just written, without reading the lines back: fulfilment holds its locks meanwhile.
    return this.toRecord(row, o.items.map((l) => ({ productId: l.productId, name: l.name, unitPrice: l.unitPrice, quantity: l.quantity, lineTotal: l.lineTotal })));
  }

  /** Something about this order needs the merchant (e.g. a second payment was refunded). */
  async markAttention(id: string, reason: string, now: number): Promise<void> {
    await this.db.run(sql`UPDATE orders SET status = 'needs_attention', attention_reason = ${reason}, updated_at = ${now} WHERE id = ${id} AND status <> 'refunded'`);
  }

  /** A full refund put this order's units back: it holds no stock any more. */
  async stockReturned(id: string): Promise<void> {
    await this.db.run(sql`UPDATE orders SET stock_taken = 0 WHERE id = ${id}`);
  }

  /** The merchant dealt with a needs_attention order: recorded, and its status goes back to what
   * its money says. Call inside a write transaction. */
  async resolve(order: OrderRecord, r: { by: string; note: string; now: number }): Promise<void> {
    await this.db.run(sql`INSERT INTO order_resolutions (order_id, attention_reason, resolved_by, note, created_at)
      VALUES (${order.id}, ${order.attentionReason}, ${r.by}, ${r.note}, ${r.now})`);
    const status: OrderStatus = order.amountRefunded >= order.amountPaid ? 'refunded' : order.amountRefunded > 0 ? 'partially_refunded' : 'paid';
    await this.db.run(sql`UPDATE orders SET status = ${status}, updated_at = ${r.now} WHERE id = ${order.id} AND status = 'needs_attention'`);
  }

  async resolutions(orderId: string): Promise<OrderResolution[]> {
    return (await this.db.all<{ attention_reason: string | null; resolved_by: string; note: string; created_at: number }>(
      sql`SELECT attention_reason, resolved_by, note, created_at FROM order_resolutions WHERE order_id = ${orderId} ORDER BY id`))
      .map((r) => ({ attentionReason: r.attention_reason, resolvedBy: r.resolved_by, note: r.note, resolvedAt: new Date(r.created_at).toISOString() }));
  }

  /**
   * A refund of this order failed at Stripe: what is refunded goes back to `amountRefunded`, and
   * the merchant is told why (after any reason already waiting for them).
   */
  async refundFailed(id: string, amountRefunded: number, reason: string, now: number): Promise<void> {
    await this.db.run(sql`UPDATE orders SET amount_refunded = ${amountRefunded}, status = 'needs_attention', attention_reason = ${addedReason(reason)},
      updated_at = ${now} WHERE id = ${id}`);
  }

  /** One more thing the merchant must know, after what the order already needs attention for. */
  async addAttention(id: string, reason: string, now: number): Promise<void> {
    await this.db.run(sql`UPDATE orders SET status = 'needs_attention', attention_reason = ${addedReason(reason)}, updated_at = ${now} WHERE id = ${id}`);
  }

  /** A full refund put this order's units back on the shelf (the ledger's 'refund' movements, migration 005). */
  async restockedByRefund(id: string): Promise<boolean> {
    return await this.db.value<number>(sql`SELECT 1 FROM stock_movements WHERE actor = ${`order:${id}`} AND reason = 'refund' LIMIT 1`) !== undefined;
  }

  async setRefund(id: string, amountRefunded: number, status: OrderStatus, now: number): Promise<void> {
    await this.db.run(sql`UPDATE orders SET amount_refunded = ${amountRefunded}, status = ${status}, updated_at = ${now} WHERE id = ${id}`);
  }

  private async one(query: Query): Promise<OrderRecord | undefined> {
    const row = await this.db.one<OrderRow>(query);
    return row && this.withItems(row);
  }

  private async withItems(r: OrderRow): Promise<OrderRecord> {
    const items = await this.db.all<CartLine>(sql`SELECT product_id AS "productId", name, unit_price AS "unitPrice", quantity, line_total AS "lineTotal"
      FROM order_items WHERE order_id = ${r.id} ORDER BY position`);
    return this.toRecord(r, items);
  }

  private toRecord(r: OrderRow, items: Pick<CartLine, 'productId' | 'name' | 'unitPrice' | 'quantity' | 'lineTotal'>[]): OrderRecord {
    return {
      id: r.id, number: r.number, status: r.status, email: r.email, currency: r.currency,
      items: items.map((i) => ({ productId: i.productId, name: i.name, unitPrice: i.unitPrice, quantity: i.quantity, lineTotal: i.lineTotal })),
      totals: totalsOf(r), couponCode: r.coupon_code, shipping: r.shipping === null ? null : JSON.parse(r.shipping) as Shipping,
      createdAt: new Date(r.created_at).toISOString(), checkoutId: r.checkout_id, paymentIntentId: r.payment_intent_id,
      attentionReason: r.attention_reason, amountPaid: r.amount_paid, amountRefunded: r.amount_refunded, stockTaken: r.stock_taken === 1,
    };
  }
}

/** The shopper's view of an order: no internal ids. */
export function publicOrder(o: OrderRecord): Order {
  return {
    id: o.id, number: o.number, status: o.status, email: o.email, currency: o.currency, items: o.items, totals: o.totals,
    couponCode: o.couponCode, shipping: o.shipping, createdAt: o.createdAt,
  };
}
