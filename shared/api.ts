/**
 * The HTTP API's bodies and responses as zod schemas, with their TypeScript types.
 * The server validates requests with them and tests check responses against them; the widget
 * imports the types only (type-only imports cost nothing in its bundle).
 */
import { z } from 'zod';
import type { ErrorCode } from './errors.ts';

export const MAX_QUANTITY = 99;

const minor = z.number().int().safe();
const productId = z.string().min(1).max(64).regex(/^[A-Za-z0-9_-]+$/, 'letters, digits, _ and - only');

// ---- requests. Objects are not strict: unknown fields such as `price` are dropped, never read.
export const addItemBody = z.object({
  productId,
  quantity: z.number().int().min(1).max(MAX_QUANTITY).default(1),
});
export const setQuantityBody = z.object({ quantity: z.number().int().min(0).max(MAX_QUANTITY) });
export const applyCouponBody = z.object({ code: z.string().trim().min(1).max(64) });
export const checkoutBody = z.object({
  email: z.string().trim().max(254).pipe(z.email()),
  name: z.string().trim().min(1).max(200).optional(),
});
export const cartIdParam = z.string().regex(/^[A-Za-z0-9_-]{22}$/);
export const productIdParam = productId;

export type AddItemBody = z.infer<typeof addItemBody>;
export type SetQuantityBody = z.infer<typeof setQuantityBody>;
export type ApplyCouponBody = z.infer<typeof applyCouponBody>;
export type CheckoutBody = z.infer<typeof checkoutBody>;

// ---- responses
export const totalsSchema = z.object({ subtotal: minor, discount: minor, tax: minor, total: minor });

export const productSchema = z.object({
  id: productId,
  name: z.string(),
  description: z.string(),
  price: minor,
  currency: z.string().length(3),
  imageUrl: z.string(),
  stock: z.number().int().min(0),
});

export const cartLineSchema = z.object({
  productId,
  name: z.string(),
  unitPrice: minor,
  quantity: z.number().int().min(1).max(MAX_QUANTITY),
  imageUrl: z.string(),
  lineTotal: minor,
});

/** Why an applied coupon gives no discount now (each is also an error code). */
export const couponProblemCode = z.enum(['coupon_invalid', 'coupon_expired', 'coupon_exhausted', 'coupon_min_subtotal'] as const satisfies readonly ErrorCode[]);

export const cartSchema = z.object({
  id: z.string(),
  currency: z.string().length(3),
  items: z.array(cartLineSchema),
  couponCode: z.string().nullable(),
  /** Set when the applied coupon no longer applies (expired, used up, below minimum): no discount. */
  couponProblem: couponProblemCode.nullable(),
  totals: totalsSchema,
  itemCount: z.number().int().min(0),
  version: z.number().int().min(0),
  updatedAt: z.string(),
});

export const configSchema = z.object({
  publishableKey: z.string(),
  currency: z.string().length(3),
  locale: z.string(),
  stripeJsUrl: z.string(),
  taxRateBps: z.number().int(),
});

export const checkoutStatus = z.enum(['pending', 'processing', 'paid', 'failed', 'needs_attention', 'canceled']);
/** A checkout still holding its stock and coupon use: it can be paid, or is being paid. */
export const openCheckoutStatuses = ['pending', 'processing', 'failed'] as const satisfies readonly CheckoutStatus[];
export const isOpenCheckoutStatus = (status: CheckoutStatus): boolean => (openCheckoutStatuses as readonly CheckoutStatus[]).includes(status);

export const orderStatus = z.enum(['paid', 'needs_attention', 'refunded', 'partially_refunded']);

export const checkoutCreatedSchema = z.object({
  checkoutId: z.string(),
  clientSecret: z.string(),
  amount: minor,
  currency: z.string().length(3),
  totals: totalsSchema,
});

export const orderSchema = z.object({
  id: z.string(),
  number: z.string(),
  status: orderStatus,
  email: z.string(),
  currency: z.string().length(3),
  items: z.array(z.object({ productId, name: z.string(), unitPrice: minor, quantity: z.number().int(), lineTotal: minor })),
  totals: totalsSchema,
  couponCode: z.string().nullable(),
  createdAt: z.string(),
});

/** `GET /api/checkouts/:id`, `GET /api/checkouts/retry/:token` and each server-sent status event.
 * `clientSecret` is present while the shopper can still pay (pending or failed). */
export const checkoutStateSchema = z.object({
  id: z.string(),
  status: checkoutStatus,
  amount: minor,
  currency: z.string().length(3),
  email: z.string(),
  items: z.array(cartLineSchema),
  totals: totalsSchema,
  couponCode: z.string().nullable(),
  clientSecret: z.string().optional(),
  /** The last failed payment attempt, in plain words for the shopper. */
  lastError: z.object({ code: z.string(), message: z.string() }).nullable(),
  order: orderSchema.optional(),
});

export const errorBodySchema = z.object({
  error: z.object({ code: z.string(), message: z.string(), details: z.unknown().optional() }),
});

export type Totals = z.infer<typeof totalsSchema>;
export type Product = z.infer<typeof productSchema>;
export type CartLine = z.infer<typeof cartLineSchema>;
export type Cart = z.infer<typeof cartSchema>;
export type PublicConfig = z.infer<typeof configSchema>;
export type CheckoutStatus = z.infer<typeof checkoutStatus>;
export type OrderStatus = z.infer<typeof orderStatus>;
export type CouponProblem = z.infer<typeof couponProblemCode>;
export type CheckoutCreated = z.infer<typeof checkoutCreatedSchema>;
export type Order = z.infer<typeof orderSchema>;
export type CheckoutState = z.infer<typeof checkoutStateSchema>;
