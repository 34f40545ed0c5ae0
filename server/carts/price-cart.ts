/** A stored cart priced from the catalog now: one function used by the cart view and by checkout. */
import type { CartLine, CouponProblem, Totals } from '../../shared/api.ts';
import { couponProblem } from '../../shared/coupons.ts';
import { chargeStep } from '../../shared/currencies.ts';
import { assertSameCurrency } from '../../shared/money.ts';
import { priceLines, lineTotal, type Discount } from '../../shared/pricing.ts';
import type { Catalog } from '../catalog/catalog.ts';
import type { StoredCart } from './cart-store.ts';

export interface PricedCart {
  lines: CartLine[];
  totals: Totals;
  /** The discount that applies now, if any. */
  discount: (Discount & { code: string }) | null;
  /** Why the cart's coupon gives no discount now, or null. */
  couponProblem: CouponProblem | null;
  /** Lines whose product was withdrawn from sale since they were added. */
  unavailable: string[];
  /** Something in the cart is shipped and the shop has shipping rates: checkout needs an address and a rate. */
  requiresShipping: boolean;
}

export async function priceCart(
  cart: StoredCart,
  deps: { catalog: Catalog; taxRateBps: number; clock: () => number; publicUrl: string },
): Promise<PricedCart> {
  const now = deps.clock();
  const catalog = await deps.catalog.forPricing(cart.items.map((i) => i.productId), cart.couponCode, now, cart.id);
  const lines: CartLine[] = [];
  const unavailable: string[] = [];
  let shippable = false;
  for (const item of cart.items) {
    const product = catalog.products.get(item.productId);
    if (!product) {
      unavailable.push(item.productId);
      continue;
    }
    assertSameCurrency(cart.currency, product.currency);
    shippable ||= product.shippable;
    const line = { unitPrice: product.price, quantity: item.quantity };
    lines.push({
      productId: product.id, name: product.name, unitPrice: product.price, quantity: item.quantity,
      imageUrl: absoluteUrl(product.image, deps.publicUrl), lineTotal: lineTotal(line),
    });
  }
  const subtotal = lines.reduce((s, l) => s + l.lineTotal, 0);
  let discount: PricedCart['discount'] = null;
  let problem: CouponProblem | null = null;
  if (cart.couponCode) {
    problem = couponProblem(catalog.coupon, subtotal, now);
    if (!problem && catalog.coupon) discount = { code: catalog.coupon.code, type: catalog.coupon.type, value: catalog.coupon.value };
  }
  const requiresShipping = shippable && catalog.hasShippingRates;
  const totals = priceLines(lines, discount, deps.taxRateBps, null, chargeStep(cart.currency));
  return { lines, totals, discount, couponProblem: problem, unavailable, requiresShipping };
}

/** Images are stored relative to the server; an embedding page on another origin needs them absolute. */
export function absoluteUrl(pathOrUrl: string, publicUrl: string): string {
  if (!pathOrUrl) return '';
  try {
    return new URL(pathOrUrl, publicUrl).toString();
  } catch {
    return '';
  }
}
