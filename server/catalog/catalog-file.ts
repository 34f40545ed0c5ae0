/** The shape of a catalog file (server/catalog/seed.json, or a merchant's own) and of the admin
 * catalog upload: products and coupons, validated before anything is written. */
import { z } from 'zod';

export const productInput = z.object({
  id: z.string().regex(/^[A-Za-z0-9_-]{1,64}$/),
  name: z.string().trim().min(1).max(200),
  description: z.string().max(2000).default(''),
  price: z.number().int().min(0).max(100_000_000),
  image: z.string().max(2000).default(''),
  stock: z.number().int().min(0).max(1_000_000),
  active: z.boolean().default(true),
});

export const couponInput = z.object({
  code: z.string().trim().min(1).max(64).regex(/^[A-Za-z0-9_-]+$/),
  type: z.enum(['percentage', 'fixed']),
  value: z.number().int().min(1),
  expiresAt: z.iso.datetime({ offset: true }).nullable().default(null),
  maxUses: z.number().int().min(0).nullable().default(null),
  uses: z.number().int().min(0).default(0),
  minSubtotal: z.number().int().min(0).default(0),
  active: z.boolean().default(true),
}).refine((c) => c.type !== 'percentage' || c.value <= 100, { message: 'a percentage is at most 100', path: ['value'] })
  .refine((c) => c.maxUses === null || c.uses <= c.maxUses, { message: 'uses cannot exceed maxUses', path: ['uses'] });

export const catalogFile = z.object({
  products: z.array(productInput).max(10_000).default([]),
  coupons: z.array(couponInput).max(10_000).default([]),
});

export type ProductInput = z.infer<typeof productInput>;
export type CouponInput = z.infer<typeof couponInput>;
export type CatalogFile = z.infer<typeof catalogFile>;
