/** SQL for orders and their items. Orders are unique per PaymentIntent and per checkout. */
import { randomBytes } from 'node:crypto';
import type { CartLine, Order, OrderStatus, Totals } from '../../shared/api.ts';
import type { Db } from '../db/database.ts';
import { preparedOnce } from '../db/database.ts';

export interface OrderRecord extends Order {
  checkoutId: string;
  paymentIntentId: string;
  attentionReason: string | null;
  amountPaid: number;
  amountRefunded: number;
  stockTaken: boolean;
}

interface OrderRow {
  id: string; number: string; checkout_id: string; payment_intent_id: string; status: OrderStatus; attention_reason: string | null;
  email: string; currency: string; subtotal: number; discount: number; tax: number; total: number; amount_paid: number;
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

  /** Call inside a write transaction: the order number is the next in sequence. */
  insert(o: {
    checkoutId: string; paymentIntentId: string; status: OrderStatus; attentionReason: string | null; email: string;
    currency: string; items: CartLine[]; totals: Totals; amountPaid: number; couponCode: string | null; stockTaken: boolean; now: number;
  }): OrderRecord {
    const id = `ord_${randomBytes(16).toString('base64url')}`;
    const last = this.sql("SELECT MAX(CAST(SUBSTR(number, 4) AS INTEGER)) FROM orders").pluck().get() as number | null;
    const number = `CO-${(last ?? 1000) + 1}`;
    this.sql(`INSERT INTO orders (id, number, checkout_id, payment_intent_id, status, attention_reason, email, currency,
        subtotal, discount, tax, total, amount_paid, coupon_code, stock_taken, created_at, updated_at)
      VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`)
      .run(id, number, o.checkoutId, o.paymentIntentId, o.status, o.attentionReason, o.email, o.currency, o.totals.subtotal,
        o.totals.discount, o.totals.tax, o.totals.total, o.amountPaid, o.couponCode, o.stockTaken ? 1 : 0, o.now, o.now);
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
      totals: { subtotal: r.subtotal, discount: r.discount, tax: r.tax, total: r.total }, couponCode: r.coupon_code,
      createdAt: new Date(r.created_at).toISOString(), checkoutId: r.checkout_id, paymentIntentId: r.payment_intent_id,
      attentionReason: r.attention_reason, amountPaid: r.amount_paid, amountRefunded: r.amount_refunded, stockTaken: r.stock_taken === 1,
    };
  }
}

/** The shopper's view of an order: no internal ids. */
export function publicOrder(o: OrderRecord): Order {
  return { id: o.id, number: o.number, status: o.status, email: o.email, currency: o.currency, items: o.items, totals: o.totals, couponCode: o.couponCode, createdAt: o.createdAt };
}
