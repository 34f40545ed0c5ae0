/**
 * Coupons as the merchant makes and edits them one at a time. `uses` is what orders redeemed: it is
 * shown and never set, and a limit below it is refused rather than rewriting history.
 */
import { z } from 'zod';
import { normalizeCouponCode } from '../../shared/coupons.ts';
import { DomainError } from '../../shared/errors.ts';
import { refuseOffStep } from './charge-step.ts';
import { sql, type Db } from '../db/database.ts';
import { couponInput, type CouponInput } from './catalog-file.ts';
import type { CouponRow } from './catalog.ts';

export interface AdminCoupon {
  code: string;
  type: 'percentage' | 'fixed';
  value: number;
  expiresAt: string | null;
  maxUses: number | null;
  /** Uses redeemed by paid orders: read-only. */
  uses: number;
  minSubtotal: number;
  active: boolean;
  firstOrderOnly: boolean;
  oncePerCustomer: boolean;
}

const readOnly = (what: string) => z.never({ error: `${what} cannot be changed` }).optional();

/** An edit names only what changes. The code is the coupon's identity; its uses are its history. */
export const couponChanges = z.object({
  type: z.enum(['percentage', 'fixed']).optional(),
  value: z.number().int().min(1).optional(),
  expiresAt: z.iso.datetime({ offset: true }).nullable().optional(),
  maxUses: z.number().int().min(0).nullable().optional(),
  minSubtotal: z.number().int().min(0).optional(),
  active: z.boolean().optional(),
  firstOrderOnly: z.boolean().optional(),
  oncePerCustomer: z.boolean().optional(),
  code: readOnly('code'),
  uses: readOnly('uses: they count paid orders, and'),
}).refine((c) => Object.values(c).some((v) => v !== undefined), { message: 'name at least one field to change' });

export type CouponChanges = z.infer<typeof couponChanges>;

const toCoupon = (r: CouponRow): AdminCoupon => ({
  code: r.code, type: r.type, value: r.value, expiresAt: r.expires_at === null ? null : new Date(r.expires_at).toISOString(),
  maxUses: r.max_uses, uses: r.uses, minSubtotal: r.min_subtotal, active: r.active === 1,
  firstOrderOnly: r.first_order_only === 1, oncePerCustomer: r.once_per_customer === 1,
});

const read = (db: Db, code: string, lock = false) =>
  db.one<CouponRow>(sql`SELECT * FROM coupons WHERE code = ${code} ${lock ? db.forUpdate : sql``}`);

/** Inside the transaction that just wrote it, so it is there. */
async function written(db: Db, code: string): Promise<AdminCoupon> {
  const row = await read(db, code);
  if (!row) throw new Error(`coupon ${code} vanished inside its own transaction`);
  return toCoupon(row);
}

export async function listCoupons(db: Db): Promise<AdminCoupon[]> {
  return (await db.all<CouponRow>(sql`SELECT * FROM coupons ORDER BY active DESC, code`)).map(toCoupon);
}

export function createCoupon(db: Db, input: CouponInput): Promise<AdminCoupon> {
  const code = normalizeCouponCode(input.code);
  return db.tx(async () => {
    // The primary key decides between two creates racing for one code.
    const created = await db.run(sql`INSERT INTO coupons (code, type, value, expires_at, max_uses, uses, min_subtotal, active, first_order_only, once_per_customer)
      VALUES (${code}, ${input.type}, ${input.value}, ${input.expiresAt === null ? null : Date.parse(input.expiresAt)}, ${input.maxUses}, 0,
        ${input.minSubtotal}, ${Number(input.active)}, ${Number(input.firstOrderOnly)}, ${Number(input.oncePerCustomer)})
      ON CONFLICT DO NOTHING`);
    if (created !== 1) throw new DomainError('coupon_exists', `A coupon ${code} exists already: edit it instead.`);
    return written(db, code);
  });
}

/** `currency`: the shop's, whose charge step a fixed value must keep (./charge-step.ts). */
export function updateCoupon(db: Db, rawCode: string, changes: CouponChanges, currency: string): Promise<AdminCoupon> {
  const code = normalizeCouponCode(rawCode);
  return db.tx(async () => {
    // Locked: an order redeeming a use meanwhile can't slip under a new, lower limit.
    const row = await read(db, code, true);
    if (!row) throw new DomainError('coupon_not_found', `No coupon ${code}.`);
    const current = toCoupon(row);
    const { code: _code, uses: _uses, ...edits } = changes;
    const next = couponInput.safeParse({ ...current, ...Object.fromEntries(Object.entries(edits).filter(([, v]) => v !== undefined)) });
    if (!next.success) {
      const issue = next.error.issues[0];
      throw new DomainError('validation_failed', `${issue?.path.join('.') || 'coupon'}: ${issue?.message ?? 'invalid'}`);
    }
    const c = next.data;
    if (c.type === 'fixed') refuseOffStep(currency, [{ field: 'value', amount: c.value }]);
    if (c.maxUses !== null && c.maxUses < row.uses) {
      throw new DomainError('validation_failed', `maxUses: ${code} has been used ${row.uses} times already; the limit can't be lower.`, { uses: row.uses });
    }
    await db.run(sql`UPDATE coupons SET type = ${c.type}, value = ${c.value}, expires_at = ${c.expiresAt === null ? null : Date.parse(c.expiresAt)},
        max_uses = ${c.maxUses}, min_subtotal = ${c.minSubtotal}, active = ${Number(c.active)}, first_order_only = ${Number(c.firstOrderOnly)},
        once_per_customer = ${Number(c.oncePerCustomer)} WHERE code = ${code}`);
    return written(db, code);
  });
}
