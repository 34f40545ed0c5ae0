/**
 * The hold counts the triggers keep (migration 040) against the same counts summed from the rows
 * themselves: every test that moves checkouts through their states can check they never drift.
 */
import { openCheckoutStatuses } from '../../shared/api.ts';
import type { Db } from '../../server/db/database.ts';
import { sqlRows } from './db.ts';

const OPEN = openCheckoutStatuses.map((s) => `'${s}'`).join(', ');

/** Every product and coupon whose kept count differs from the summed one, as `key: kept != summed`; [] when none. */
export async function holdCountDrift(db: Db): Promise<string[]> {
  const kept = async (text: string) => new Map((await sqlRows<{ k: string; n: number }>(db, text)).map((r) => [r.k, Number(r.n)]));
  const pairs: [string, Map<string, number>, Map<string, number>][] = [
    ['product', await kept('SELECT product_id AS k, held AS n FROM product_holds'),
      await kept(`SELECT r.product_id AS k, SUM(r.quantity) AS n FROM reservations r JOIN checkouts c ON c.id = r.checkout_id WHERE c.status IN (${OPEN}) GROUP BY r.product_id`)],
    ['coupon', await kept('SELECT code AS k, held AS n FROM coupon_holds'),
      await kept(`SELECT coupon_code AS k, COUNT(*) AS n FROM checkouts WHERE coupon_code IS NOT NULL AND status IN (${OPEN}) GROUP BY coupon_code`)],
  ];
  const drift: string[] = [];
  for (const [kind, counted, summed] of pairs) {
    for (const key of new Set([...counted.keys(), ...summed.keys()])) {
      const a = counted.get(key) ?? 0;
      const b = summed.get(key) ?? 0;
      if (a !== b) drift.push(`${kind} ${key}: kept ${a} != summed ${b}`);
    }
  }
  return drift;
}

/** What a product's and a coupon's kept counts say now (0 when no row). */
export async function keptHolds(db: Db, productId: string, code?: string): Promise<{ stock: number; coupon: number }> {
  const one = async (text: string, key: string | undefined) => (key === undefined ? 0 : Number((await sqlRows<{ n: number }>(db, text, key))[0]?.n ?? 0));
  return {
    stock: await one('SELECT held AS n FROM product_holds WHERE product_id = ?', productId),
    coupon: await one('SELECT held AS n FROM coupon_holds WHERE code = ?', code),
  };
}
