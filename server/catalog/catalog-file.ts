/** The shape of a catalog file (server/catalog/seed.json, or a merchant's own) and of the admin
 * catalog upload: products and coupons, validated before anything is written. A file describes
 * what is for sale, never what was sold: it has no coupon `uses` (only orders and refunds change
 * them), and a product's `stock` is its opening stock, applied when the product is new. */
import { z } from 'zod';
import { noControlCharacters, shippingRateId } from '../../shared/api.ts';
import { normalizeCouponCode } from '../../shared/coupons.ts';
import { isCountryCode } from '../../shared/countries.ts';

export const MAX_STOCK = 1_000_000;

/** Also what a product edit takes (./product-admin.ts), without the defaults. */
export const productDescription = noControlCharacters(z.string().max(2000), { lines: true });
export const productImage = noControlCharacters(z.string().max(2000));

export const productInput = z.object({
  id: z.string().regex(/^[A-Za-z0-9_-]{1,64}$/),
  name: noControlCharacters(z.string().trim().min(1).max(200)),
  description: productDescription.default(''),
  price: z.number().int().min(0).max(100_000_000),
  image: productImage.default(''),
  /** Opening stock of a new product; an existing product's stock changes only by a stock instruction. */
  stock: z.number().int().min(0).max(MAX_STOCK).default(0),
  active: z.boolean().default(true),
  /** false for what is never shipped (a gift card, a download). */
  shippable: z.boolean().default(true),
});

export const couponInput = z.object({
  code: z.string().trim().min(1).max(64).regex(/^[A-Za-z0-9_-]+$/),
  type: z.enum(['percentage', 'fixed']),
  value: z.number().int().min(1),
  expiresAt: z.iso.datetime({ offset: true }).nullable().default(null),
  maxUses: z.number().int().min(0).nullable().default(null),
  minSubtotal: z.number().int().min(0).default(0),
  active: z.boolean().default(true),
  /** Only for an email with no earlier paid order. */
  firstOrderOnly: z.boolean().default(false),
  /** Once per email. */
  oncePerCustomer: z.boolean().default(false),
}).refine((c) => c.type !== 'percentage' || c.value <= 100, { message: 'a percentage is at most 100', path: ['value'] });

/** A way to ship: a flat `amount` to the `countries` listed, free once the goods (subtotal less
 * discount) reach `freeOverSubtotal`. */
export const shippingRateInput = z.object({
  id: shippingRateId,
  label: noControlCharacters(z.string().trim().min(1).max(100)),
  amount: z.number().int().min(0).max(100_000_000),
  countries: z.array(z.string().refine(isCountryCode, { error: (i) => `${String(i.input)} is not an ISO 3166-1 alpha-2 country code (upper case)` }))
    .min(1).max(300).refine((cs) => new Set(cs).size === cs.length, 'a country is listed twice'),
  freeOverSubtotal: z.number().int().min(0).max(100_000_000).nullable().default(null),
  active: z.boolean().default(true),
});

/** The first value that occurs twice, so a file that names one product twice is refused, not
 * applied in an order the merchant can't see. */
function firstRepeat(values: string[]): string | undefined {
  const seen = new Set<string>();
  return values.find((v) => seen.size === seen.add(v).size);
}

export const catalogFile = z.object({
  products: z.array(productInput).max(10_000).default([]),
  coupons: z.array(couponInput).max(10_000).default([]),
  shippingRates: z.array(shippingRateInput).max(1_000).default([]),
}).superRefine((file, ctx) => {
  const product = firstRepeat(file.products.map((p) => p.id));
  if (product !== undefined) ctx.addIssue({ code: 'custom', path: ['products'], message: `product ${product} is listed twice` });
  const coupon = firstRepeat(file.coupons.map((c) => normalizeCouponCode(c.code)));
  if (coupon !== undefined) ctx.addIssue({ code: 'custom', path: ['coupons'], message: `coupon ${coupon} is listed twice` });
  const rate = firstRepeat(file.shippingRates.map((r) => r.id));
  if (rate !== undefined) ctx.addIssue({ code: 'custom', path: ['shippingRates'], message: `shipping rate ${rate} is listed twice` });
});

export type ProductInput = z.infer<typeof productInput>;
export type CouponInput = z.infer<typeof couponInput>;
export type ShippingRateInput = z.infer<typeof shippingRateInput>;
export type CatalogFile = z.infer<typeof catalogFile>;
