/**
 * An order's history for the merchant, read from the rows that recorded it as it happened: the
 * checkout, each failed attempt, each email, automatic and merchant refunds, disputes and
 * resolutions. Nothing is written for the timeline's sake, so it can't disagree with them.
 */
import { LAST_CHARACTER, sql, type Db } from '../db/database.ts';
import { addressLines } from '../../shared/shipping.ts';
import type { OrderRecord, PaymentShipping } from './order-store.ts';

export type OrderEventKind =
  | 'checkout_started' | 'payment_failed' | 'order_created' | 'shipping_mismatch' | 'email' | 'automatic_refund' | 'dispute' | 'refund'
  | 'refund_failed' | 'resolved';

export interface OrderEvent {
  at: string;
  kind: OrderEventKind;
  text: string;
  /** Money the event moved, in the order's currency (minor units), for the reader to format. */
  amount?: number;
}

type Timed = Omit<OrderEvent, 'at'> & { at: number };

export class OrderHistoryStore {
  constructor(private readonly db: Db) {}

  async events(order: OrderRecord): Promise<OrderEvent[]> {
    const emails = await Promise.all([`order:${order.id}:`, `refund:${order.id}:`, `recovery:${order.checkoutId}:`, `reminder:${order.checkoutId}:`]
      .map((p) => this.emails(p)));
    const events: Timed[] = [
      ...await this.checkout(order.checkoutId), ...await this.attempts(order.checkoutId),
      await this.created(order),
      ...await this.shippingMismatch(order),
      ...await this.automaticRefunds(order.id), ...await this.disputes(order.id), ...await this.refunds(order.id),
      ...await this.refundFailures(order.id), ...await this.resolutions(order.id),
      ...emails.flat(),
    ];
    // Stable: events of one moment keep the order above (the checkout before its order, a refund
    // or a dispute before the email that tells of it, and so on).
    return events.map((e, i) => ({ e, i })).sort((a, b) => a.e.at - b.e.at || a.i - b.i)
      .map(({ e }) => ({ ...e, at: new Date(e.at).toISOString() }));
  }

  /**
   * How the order began: paid, or needing attention for the reason fulfilment gave it, which the
   * automatic refund of its own payment keeps (./../checkout/fulfil.ts). Not its attention reason
   * now: a dispute, a duplicate payment or a failed refund set that later, each an event of its own.
   */
  private async created(order: OrderRecord): Promise<Timed> {
    const reason = await this.db.value<string>(sql`SELECT reason FROM automatic_refunds WHERE payment_intent_id = ${order.paymentIntentId} AND order_id = ${order.id}`);
    return { at: Date.parse(order.createdAt), kind: 'order_created', text: `Order ${order.number} created${reason ? ` (needs attention: ${reason})` : ''}` };
  }

  private async checkout(checkoutId: string): Promise<Timed[]> {
    const at = await this.db.value<number>(sql`SELECT created_at FROM checkouts WHERE id = ${checkoutId}`);
    return at === undefined ? [] : [{ at, kind: 'checkout_started', text: 'Checkout started' }];
  }

  private async attempts(checkoutId: string): Promise<Timed[]> {
    const rows = await this.db.all<{ created_at: number; code: string | null; decline_code: string | null; message: string | null }>(
      sql`SELECT created_at, code, decline_code, message FROM payment_attempts WHERE checkout_id = ${checkoutId} ORDER BY id`);
    return rows.map((r) => ({
      at: r.created_at, kind: 'payment_failed',
      text: `Payment failed: ${[r.decline_code ?? r.code, r.message].filter(Boolean).join(', ') || 'no reason given'}`,
    }));
  }

  private async emails(keyPrefix: string): Promise<Timed[]> {
    const rows = await this.db.all<{ subject: string; status: string; created_at: number; sent_at: number | null }>(
      sql`SELECT subject, status, created_at, sent_at FROM outbox WHERE dedupe_key >= ${keyPrefix} AND dedupe_key < ${keyPrefix + LAST_CHARACTER} ORDER BY id`);
    return rows.map((r) => ({ at: r.sent_at ?? r.created_at, kind: 'email', text: `Email ${r.status === 'sent' ? 'sent' : r.status}: ${r.subject}` }));
  }

  /** The payment said it ships elsewhere than the order (kept at fulfilment, server/checkout/fulfil.ts). */
  private async shippingMismatch(order: OrderRecord): Promise<Timed[]> {
    const kept = await this.db.value<string | null>(sql`SELECT payment_shipping FROM orders WHERE id = ${order.id}`);
    if (!kept) return [];
    const payment = JSON.parse(kept) as PaymentShipping;
    const where = (s: { name: string | null; address: PaymentShipping['address'] } | null) =>
      [s?.name, ...addressLines(s?.address)].filter(Boolean).join(', ') || 'none';
    return [{
      at: Date.parse(order.createdAt), kind: 'shipping_mismatch',
      text: `Shipping on the payment differs from the order's: payment: ${where(payment)}; order ships to: ${where(order.shipping)}`,
    }];
  }

  private async automaticRefunds(orderId: string): Promise<Timed[]> {
    const rows = await this.db.all<{ amount: number; reason: string; status: string; created_at: number }>(
      sql`SELECT amount, reason, status, created_at FROM automatic_refunds WHERE order_id = ${orderId} ORDER BY created_at`);
    return rows.map((r) => ({ at: r.created_at, kind: 'automatic_refund', text: `Automatic refund (${r.reason}): ${r.status}`, amount: r.amount }));
  }

  /** Refunds Stripe made that failed later (migration 055), one event each, with Stripe's reason. */
  private async refundFailures(orderId: string): Promise<Timed[]> {
    const rows = await this.db.all<{ amount: number; failure_reason: string; refund_id: string; created_at: number }>(
      sql`SELECT amount, failure_reason, refund_id, created_at FROM refund_failures WHERE order_id = ${orderId} ORDER BY created_at, refund_id`);
    return rows.map((r) => ({
      at: r.created_at, kind: 'refund_failed', amount: r.amount,
      text: `Refund ${r.refund_id} failed at Stripe: ${r.failure_reason}; the money went back to the shop's balance`,
    }));
  }

  private async disputes(orderId: string): Promise<Timed[]> {
    const rows = await this.db.all<{ amount: number; reason: string; created_at: number }>(
      sql`SELECT amount, reason, created_at FROM disputes WHERE order_id = ${orderId} ORDER BY created_at`);
    return rows.map((r) => ({ at: r.created_at, kind: 'dispute', text: `Dispute opened: ${r.reason}`, amount: r.amount }));
  }

  private async refunds(orderId: string): Promise<Timed[]> {
    const rows = await this.db.all<{ amount: number; reason: string; actor: string; status: string; last_error: string | null; created_at: number }>(
      sql`SELECT amount, reason, actor, status, last_error, created_at FROM admin_refunds WHERE order_id = ${orderId} ORDER BY id`);
    return rows.map((r) => ({
      at: r.created_at, kind: 'refund',
      text: `Refund by ${r.actor} (${r.reason}): ${r.status}${(r.status === 'refused' || r.status === 'failed') && r.last_error ? `, ${r.last_error}` : ''}`, amount: r.amount,
    }));
  }

  private async resolutions(orderId: string): Promise<Timed[]> {
    const rows = await this.db.all<{ resolved_by: string; note: string; created_at: number }>(
      sql`SELECT resolved_by, note, created_at FROM order_resolutions WHERE order_id = ${orderId} ORDER BY id`);
    return rows.map((r) => ({ at: r.created_at, kind: 'resolved', text: `Resolved by ${r.resolved_by}: ${r.note}` }));
  }
}
