/** SQL for the shop's shipping rates: read when a cart is priced, written by a catalog file. */
import type { ShippingRate } from '../../shared/shipping.ts';
import { sql, type Db } from '../db/database.ts';
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
export async function listShippingRates(db: Db, o: { all?: boolean } = {}): Promise<ShippingRateRecord[]> {
  return (await db.all<ShippingRateRow>(sql`SELECT * FROM shipping_rates ${o.all ? sql`` : sql`WHERE active = 1`} ORDER BY sort, id`)).map(toRate);
}

/** An active rate, or undefined: a withdrawn rate can't be chosen. */
export async function activeShippingRate(db: Db, id: string): Promise<ShippingRateRecord | undefined> {
  const row = await db.one<ShippingRateRow>(sql`SELECT * FROM shipping_rates WHERE id = ${id} AND active = 1`);
  return row && toRate(row);
}

/** Adds or updates the file's rates, in the file's order. Call inside the catalog's write transaction. */
export async function upsertShippingRates(db: Db, rates: readonly ShippingRateInput[]): Promise<void> {
  for (const [sort, r] of rates.entries()) {
    await db.run(sql`INSERT INTO shipping_rates (id, label, amount, countries, free_over_subtotal, active, sort)
      VALUES (${r.id}, ${r.label}, ${r.amount}, ${JSON.stringify(r.countries)}, ${r.freeOverSubtotal}, ${r.active ? 1 : 0}, ${sort})
      ON CONFLICT (id) DO UPDATE SET label = excluded.label, amount = excluded.amount, countries = excluded.countries,
        free_over_subtotal = excluded.free_over_subtotal, active = excluded.active, sort = excluded.sort`);
  }
}
