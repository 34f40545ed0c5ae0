/** SQL for orders and their items. Orders are unique per PaymentIntent and per checkout. */
import { randomBytes } from 'node:crypto';
import type { CartLine, Order, OrderStatus, Shipping, Totals } from '../../shared/api.ts';
import type { CustomerHistory } from '../../shared/coupons.ts';
import type { Db } from '../db/database.ts';
import { preparedOnce } from '../db/database.ts';
import { totalsOf } from './checkout-store.ts';

export interface OrderRecord extends Order {
  checkoutId: string;
  paymentIntentId: string;
  attentionReason: string | null;
  amountPaid: number;
  amountRefunded: number;
  stockTaken: boolean;
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

/** Each filter is a fixed SQL fragment with named parameters: the text never holds a value. */
function filtersSql(f: OrderFilters): { where: string; params: Record<string, string | number> } {
  const clauses: string[] = [];
  const params: Record<string, string | number> = {};
  const q = f.q?.trim();
  if (q) {
    clauses.push("(number = @number OR email LIKE @email ESCAPE '\\')");
    params.number = /^\d+$/.test(q) ? `CO-${q}` : q.toUpperCase();
    params.email = `%${q.replace(/[\\%_]/g, (ch) => `\\${ch}`)}%`;
  }
  if (f.status) {
    clauses.push('status = @status');
    params.status = f.status;
  }
  if (f.from !== undefined) {
    clauses.push('created_at >= @from');
    params.from = f.from;
  }
  if (f.to !== undefined) {
    clauses.push('created_at < @to');
    params.to = f.to;
  }
  return { where: clauses.length ? `WHERE ${clauses.join(' AND ')}` : '', params };
}

interface OrderRow {
  id: string; number: string; checkout_id: string; payment_intent_id: string; status: OrderStatus; attention_reason: string | null;
  email: string; currency: string; subtotal: number; discount: number; tax: number; total: number; amount_paid: number;
  shipping: string | null; shipping_amount: number | null;
  amount_refunded: number; coupon_code: string | null; stock_taken: number; created_at: number;
}

export class OrderStore {
  private readonly sql: ReturnType<typeof preparedOnce>;

  constructor(db: Db) {
    this.sql = preparedOnce(db);
  }

  byId(id: string): OrderRecord | undefined {
    return this.one('SELECT * FROM orders WHERE id = ?', id);
  }

  byCheckout(checkoutId: string): OrderRecord | undefined {
    return this.one('SELECT * FROM orders WHERE checkout_id = ?', checkoutId);
  }

  byPaymentIntent(paymentIntentId: string): OrderRecord | undefined {
    return this.one('SELECT * FROM orders WHERE payment_intent_id = ?', paymentIntentId);
  }

  list(o: { status?: string; limit: number; offset: number }): OrderRecord[] {
    const rows = o.status
      ? this.sql('SELECT * FROM orders WHERE status = ? ORDER BY created_at DESC, number DESC LIMIT ? OFFSET ?').all(o.status, o.limit, o.offset)
      : this.sql('SELECT * FROM orders ORDER BY created_at DESC, number DESC LIMIT ? OFFSET ?').all(o.limit, o.offset);
    return (rows as OrderRow[]).map((r) => this.withItems(r));
  }

  count(): number {
    return this.sql('SELECT COUNT(*) FROM orders').pluck().get() as number;
  }

  /** The merchant's search: newest first, a page at a time, with how many match in all. */
  search(f: OrderFilters & { limit: number; offset: number }): { orders: OrderRecord[]; total: number } {
    const { where, params } = filtersSql(f);
    const rows = this.sql(`SELECT * FROM orders ${where} ORDER BY created_at DESC, number DESC LIMIT @limit OFFSET @offset`)
      .all({ ...params, limit: f.limit, offset: f.offset }) as OrderRow[];
    const total = this.sql(`SELECT COUNT(*) FROM orders ${where}`).pluck().get(params) as number;
    return { orders: rows.map((r) => this.withItems(r)), total };
  }

  /**
   * What a coupon limited per customer needs to know about an email: has it a paid order (one that
   * became a sale: its checkout is 'paid', so not a payment refunded for want of stock), and one
   * with this code. Emails are compared as typed, case aside.
   */
  customerHistory(email: string, couponCode: string): CustomerHistory {
    const row = this.sql(`SELECT COUNT(*) AS paid, COALESCE(SUM(o.coupon_code = @code), 0) AS withCode
      FROM orders o JOIN checkouts c ON c.id = o.checkout_id
      WHERE o.email = @email COLLATE NOCASE AND c.status = 'paid'`).get({ email, code: couponCode }) as { paid: number; withCode: number };
    return { hasPaidOrder: row.paid > 0, hasUsedCode: row.withCode > 0 };
  }

  /** Call inside a write transaction: the order number is the next in sequence. */
  insert(o: {
    checkoutId: string; paymentIntentId: string; status: OrderStatus; attentionReason: string | null; email: string;
    currency: string; items: CartLine[]; totals: Totals; shipping: Shipping | null; amountPaid: number; couponCode: string | null; stockTaken: boolean; now: number;
  }): OrderRecord {
    const id = `ord_${randomBytes(16).toString('base64url')}`;
    const last = this.sql("SELECT MAX(CAST(SUBSTR(number, 4) AS INTEGER)) FROM orders").pluck().get() as number | null;
    const number = `CO-${(last ?? 1000) + 1}`;
    this.sql(`INSERT INTO orders (id, number, checkout_id, payment_intent_id, status, attention_reason, email, currency,
        subtotal, discount, tax, total, shipping, shipping_amount, amount_paid, coupon_code, stock_taken, created_at, updated_at)
      VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`)
      .run(id, number, o.checkoutId, o.paymentIntentId, o.status, o.attentionReason, o.email, o.currency, o.totals.subtotal,
        o.totals.discount, o.totals.tax, o.totals.total, o.shipping && JSON.stringify(o.shipping), o.totals.shipping ?? null,
        o.amountPaid, o.couponCode, o.stockTaken ? 1 : 0, o.now, o.now);
    const item = this.sql('INSERT INTO order_items (order_id, product_id, name, unit_price, quantity, line_total) VALUES (?, ?, ?, ?, ?, ?)');
    for (const l of o.items) item.run(id, l.productId, l.name, l.unitPrice, l.quantity, l.lineTotal);
    const order = this.byId(id);
    if (!order) throw new Error(`order ${id} vanished inside its own transaction`);
    return order;
  }

  /** Something about this order needs the merchant (e.g. a second payment was refunded). */
  markAttention(id: string, reason: string, now: number): void {
    this.sql("UPDATE orders SET status = 'needs_attention', attention_reason = ?, updated_at = ? WHERE id = ? AND status <> 'refunded'").run(reason, now, id);
  }

  /** A full refund put this order's units back: it holds no stock any more. */
  stockReturned(id: string): void {
    this.sql('UPDATE orders SET stock_taken = 0 WHERE id = ?').run(id);
  }

  /** The merchant dealt with a needs_attention order: recorded, and its status goes back to what
   * its money says. Call inside a write transaction. */
  resolve(order: OrderRecord, r: { by: string; note: string; now: number }): void {
    this.sql('INSERT INTO order_resolutions (order_id, attention_reason, resolved_by, note, created_at) VALUES (?, ?, ?, ?, ?)')
      .run(order.id, order.attentionReason, r.by, r.note, r.now);
    const status: OrderStatus = order.amountRefunded >= order.amountPaid ? 'refunded' : order.amountRefunded > 0 ? 'partially_refunded' : 'paid';
    this.sql("UPDATE orders SET status = ?, updated_at = ? WHERE id = ? AND status = 'needs_attention'").run(status, r.now, order.id);
  }

  resolutions(orderId: string): OrderResolution[] {
    return (this.sql('SELECT attention_reason, resolved_by, note, created_at FROM order_resolutions WHERE order_id = ? ORDER BY id')
      .all(orderId) as { attention_reason: string | null; resolved_by: string; note: string; created_at: number }[])
      .map((r) => ({ attentionReason: r.attention_reason, resolvedBy: r.resolved_by, note: r.note, resolvedAt: new Date(r.created_at).toISOString() }));
  }

  setRefund(id: string, amountRefunded: number, status: OrderStatus, now: number): void {
    this.sql('UPDATE orders SET amount_refunded = ?, status = ?, updated_at = ? WHERE id = ?').run(amountRefunded, status, now, id);
  }

  private one(sql: string, value: string): OrderRecord | undefined {
    const row = this.sql(sql).get(value) as OrderRow | undefined;
    return row && this.withItems(row);
  }

  private withItems(r: OrderRow): OrderRecord {
    const items = this.sql(`SELECT product_id AS productId, name, unit_price AS unitPrice, quantity, line_total AS lineTotal
      FROM order_items WHERE order_id = ? ORDER BY rowid`).all(r.id) as CartLine[];
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
