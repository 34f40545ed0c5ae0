/** SQL for the shop's shipping rates: read when a cart is priced, written by a catalog file. */
import type { ShippingRate } from '../../shared/shipping.ts';
import type { Db } from '../db/database.ts';
import type { ShippingRateInput } from './catalog-file.ts';

export interface ShippingRateRecord extends ShippingRate {
  active: boolean;
}

interface ShippingRateRow {
  id: string; label: string; amount: number; countries: string; free_over_subtotal: number | null; active: number;
}

const toRate = (r: ShippingRateRow): ShippingRateRecord => ({
  id: r.id, label: r.label, amount: r.amount, countries: JSON.parse(r.countries) as string[], freeOverSubtotal: r.free_over_subtotal, active: r.active === 1,
});

/** Active rates in the merchant's order, or every rate with `all`. */
export function listShippingRates(db: Db, o: { all?: boolean } = {}): ShippingRateRecord[] {
  const where = o.all ? '' : 'WHERE active = 1';
  return (db.prepare(`SELECT * FROM shipping_rates ${where} ORDER BY sort, id`).all() as ShippingRateRow[]).map(toRate);
}

/** An active rate, or undefined: a withdrawn rate can't be chosen. */
export function activeShippingRate(db: Db, id: string): ShippingRateRecord | undefined {
  const row = db.prepare('SELECT * FROM shipping_rates WHERE id = ? AND active = 1').get(id) as ShippingRateRow | undefined;
  return row && toRate(row);
}

/** Adds or updates the file's rates, in the file's order. Call inside the catalog's write transaction. */
export function upsertShippingRates(db: Db, rates: readonly ShippingRateInput[]): void {
  const upsert = db.prepare(`INSERT INTO shipping_rates (id, label, amount, countries, free_over_subtotal, active, sort)
    VALUES (@id, @label, @amount, @countries, @freeOverSubtotal, @active, @sort)
    ON CONFLICT (id) DO UPDATE SET label = excluded.label, amount = excluded.amount, countries = excluded.countries,
      free_over_subtotal = excluded.free_over_subtotal, active = excluded.active, sort = excluded.sort`);
  rates.forEach((r, sort) => upsert.run({ ...r, countries: JSON.stringify(r.countries), active: r.active ? 1 : 0, sort }));
}
