/**
 * The HTTP API's bodies and responses as zod schemas, with their TypeScript types.
 * The server validates requests with them and tests check responses against them; the widget
 * imports the types only (type-only imports cost nothing in its bundle).
 */
import { z } from 'zod';
import { isLocale } from './locale.ts';
import { isCountryCode } from './countries.ts';
import type { ErrorCode } from './errors.ts';

export const MAX_QUANTITY = 99;
/** Different products in one cart, as Stripe Checkout allows line items in one session: a paid
 * cart's lines are written in one statement, and SQLite takes at most 32,766 parameters in one. */
export const MAX_LINES = 100;

const minor = z.number().int().safe();
const productId = z.string().min(1).max(64).regex(/^[A-Za-z0-9_-]+$/, 'letters, digits, _ and - only');

// ---- requests. Objects are not strict: unknown fields such as `price` are dropped, never read.
export const addItemBody = z.object({
  productId,
  quantity: z.number().int().min(1).max(MAX_QUANTITY).default(1),
});
export const setQuantityBody = z.object({ quantity: z.number().int().min(0).max(MAX_QUANTITY) });
/**
 * Text a person typed, the shopper's or the merchant's, holds no control characters (no line breaks
 * smuggled into an email, a CSV or a shipping label; no NUL, which PostgreSQL refuses in text while
 * SQLite keeps it) nor half of a surrogate pair, which is no character at all: the Stripe SDK
 * throws on it when it encodes the request (a 500). `lines`: text that may span lines (a product's
 * description, a note) keeps its line breaks and tabs.
 */
export function noControlCharacters(text: z.ZodString, o: { lines?: boolean } = {}): z.ZodString {
  return o.lines
    ? text.regex(/^(?:[^\p{Cc}\p{Cs}]|[\t\n\r])*$/u, 'no control characters (line breaks and tabs aside) or broken characters')
    : text.regex(/^[^\p{Cc}\p{Cs}]*$/u, 'no control characters or broken characters');
}
/** One line of text a person typed: trimmed, bounded, printable. */
const typed = (max: number) => noControlCharacters(z.string().trim().max(max));
/** A coupon code as the shopper typed it: one printable line, like every code the merchant can create. */
export const applyCouponBody = z.object({ code: noControlCharacters(z.string().trim().min(1).max(64)) });
const shippingCountry = z.string().refine(isCountryCode, 'an ISO 3166-1 alpha-2 country code, upper case (US, DE, GB)');
export const shippingRateId = z.string().min(1).max(64).regex(/^[A-Za-z0-9_-]+$/, 'letters, digits, _ and - only');

/** An address as Stripe's Address Element gives it and a PaymentIntent's `shipping.address` takes it. */
export const shippingAddressSchema = z.object({
  line1: typed(200).pipe(z.string().min(1)),
  line2: typed(200).nullish().transform((v) => v || null),
  city: typed(100).pipe(z.string().min(1)),
  state: typed(100).nullish().transform((v) => v || null),
  postal_code: typed(20).nullish().transform((v) => v || null),
  country: shippingCountry,
});
/** Where a cart with shippable products goes, and the rate the shopper chose. */
export const shippingBody = z.object({
  name: typed(200).pipe(z.string().min(1)),
  address: shippingAddressSchema,
  rateId: shippingRateId,
});
export const checkoutBody = z.object({
  email: z.string().trim().max(254).pipe(z.email()),
  /** The name on Stripe's customer record: typed text like the address. */
  name: typed(200).pipe(z.string().min(1)).optional(),
  /** Required when the cart has shippable products (the cart says `requiresShipping`); refused otherwise. */
  shipping: shippingBody.optional(),
  /** The locale the widget speaks (its `lang`, a BCP 47 tag): the emails about this checkout use its words and money format. */
  locale: z.string().refine(isLocale, 'a BCP 47 language tag, e.g. de-DE').optional(),
});
export const shippingQuery = z.object({ country: shippingCountry.optional() });
export const cartIdParam = z.string().regex(/^[A-Za-z0-9_-]{22}$/);
export const productIdParam = productId;

export type AddItemBody = z.infer<typeof addItemBody>;
export type SetQuantityBody = z.infer<typeof setQuantityBody>;
export type ApplyCouponBody = z.infer<typeof applyCouponBody>;
export type CheckoutBody = z.infer<typeof checkoutBody>;
export type ShippingAddress = z.infer<typeof shippingAddressSchema>;
export type ShippingBody = z.infer<typeof shippingBody>;

// ---- responses
/** `shipping` is there only when the cart ships (a checkout or order with a shipping rate). */
export const totalsSchema = z.object({ subtotal: minor, discount: minor, shipping: minor.optional(), tax: minor, total: minor });

/** The shipping a checkout or order carries: who, where, and by which rate (its label as it was then). */
export const shippingSchema = z.object({
  name: z.string(),
  address: z.object({
    line1: z.string(), line2: z.string().nullable(), city: z.string(), state: z.string().nullable(),
    postal_code: z.string().nullable(), country: z.string().length(2),
  }),
  rate: z.object({ id: z.string(), label: z.string() }),
});

/** `GET /api/carts/:id/shipping-rates?country=XX`: what shipping this cart needs and costs. */
export const shippingQuoteSchema = z.object({
  requiresShipping: z.boolean(),
  /** Every country some rate serves: the Address Element's allowedCountries. */
  countries: z.array(z.string().length(2)),
  /** The rates serving `country` (none without one), each priced for this cart. */
  rates: z.array(z.object({ id: z.string(), label: z.string(), amount: minor, totals: totalsSchema })),
});

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
  /** The cart holds something to ship and the shop has shipping rates: checkout needs `shipping`. */
  requiresShipping: z.boolean(),
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
  /** The merchant's shop (SHOP_URL): where a page that is the checkout alone (a recovery link's) leads back to. */
  shopUrl: z.string(),
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
  shipping: shippingSchema.nullable(),
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
  shipping: shippingSchema.nullable(),
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
export type Shipping = z.infer<typeof shippingSchema>;
export type ShippingQuote = z.infer<typeof shippingQuoteSchema>;
