/** The orders export: one row per order, money in minor units (as everywhere in the API). */
import type { OrderRecord } from '../stores/order-store.ts';
import { linesBeforeCountry } from '../../shared/shipping.ts';
import { csvRows, type Cell } from './csv.ts';

const header = [
  'number', 'created_at', 'status', 'attention_reason', 'email', 'currency', 'subtotal', 'discount', 'tax', 'total',
  'amount_paid', 'amount_refunded', 'coupon_code', 'items', 'shipping', 'shipping_rate', 'ship_to_name', 'ship_to_address', 'ship_to_country',
] as const;

function row(o: OrderRecord): Cell[] {
  return [
    o.number, o.createdAt, o.status, o.attentionReason, o.email, o.currency, o.totals.subtotal, o.totals.discount, o.totals.tax, o.totals.total,
    o.amountPaid, o.amountRefunded, o.couponCode, o.items.map((i) => `${i.quantity} x ${i.name} (${i.productId})`).join('; '),
    // Empty for an order that ships nothing; the address lines without the country, which has its own column.
    o.totals.shipping ?? null, o.shipping?.rate.id ?? null, o.shipping?.name ?? null,
    o.shipping ? linesBeforeCountry(o.shipping.address).join(', ') : null, o.shipping?.address.country ?? null,
  ];
}

export function ordersCsv(orders: readonly OrderRecord[]): string {
  return csvRows([header, ...orders.map(row)]);
}
