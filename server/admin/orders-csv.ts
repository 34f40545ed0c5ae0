/** The orders export: one row per order, money in minor units (as everywhere in the API). */
import type { OrderRecord } from '../stores/order-store.ts';
import { csvRows, type Cell } from './csv.ts';

const header = [
  'number', 'created_at', 'status', 'attention_reason', 'email', 'currency', 'subtotal', 'discount', 'tax', 'total',
  'amount_paid', 'amount_refunded', 'coupon_code', 'items',
] as const;

function row(o: OrderRecord): Cell[] {
  return [
    o.number, o.createdAt, o.status, o.attentionReason, o.email, o.currency, o.totals.subtotal, o.totals.discount, o.totals.tax, o.totals.total,
    o.amountPaid, o.amountRefunded, o.couponCode, o.items.map((i) => `${i.quantity} x ${i.name} (${i.productId})`).join('; '),
  ];
}

export function ordersCsv(orders: readonly OrderRecord[]): string {
  return csvRows([header, ...orders.map(row)]);
}
