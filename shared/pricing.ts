import type { Totals } from './api.ts';
import { divideRoundedToStep } from './rounding.ts';
import { assertMinorUnits, type MinorUnits } from './money.ts';
import { shippingCost, type ShippingRate } from './shipping.ts';

export interface PricedLine {
  unitPrice: MinorUnits;
  quantity: number;
}

export type CouponType = 'percentage' | 'fixed';

/** What a coupon takes off: `value` is whole percent (1..100) or minor units. */
export interface Discount {
  type: CouponType;
  value: number;
}

export const BASIS_POINTS = 10_000;

export function lineTotal(line: PricedLine): MinorUnits {
  assertMinorUnits(line.unitPrice, 'unitPrice');
  if (!Number.isSafeInteger(line.quantity) || line.quantity < 0) throw new RangeError(`bad quantity ${line.quantity}`);
  return line.unitPrice * line.quantity;
}

export function subtotalOf(lines: readonly PricedLine[]): MinorUnits {
  return lines.reduce((sum, line) => sum + lineTotal(line), 0);
}

/**
 * Never more than the subtotal, never negative. `step` is the currency's charge step (shared/
 * currencies.ts `chargeStep`: 100 for ISK): a percentage is rounded to it, as every amount charged
 * in that currency must be a multiple of it; fixed values and prices are multiples already (the
 * catalog refuses others).
 */
export function discountOf(subtotal: MinorUnits, discount: Discount | null, step = 1): MinorUnits {
  if (!discount || subtotal <= 0) return 0;
  const amount = discount.type === 'percentage'
    ? divideRoundedToStep(subtotal * Math.min(Math.max(discount.value, 0), 100), 100, step)
    : Math.max(discount.value, 0);
  return Math.min(amount, subtotal);
}

/** How a cart is shipped: the chosen rate, and whether the shop charges tax on shipping. */
export interface ShippingTerms {
  rate: Pick<ShippingRate, 'amount' | 'freeOverSubtotal'>;
  taxed: boolean;
}

/** Tax is charged on the discounted amount (plus shipping when the shop taxes shipping), rounded to the currency's charge `step`. */
export function taxOf(taxable: MinorUnits, taxRateBps: number, step = 1): MinorUnits {
  return divideRoundedToStep(taxable * taxRateBps, BASIS_POINTS, step);
}

/**
 * The totals of a cart, from the catalog's prices. Recomputed from scratch on every change, so a
 * percentage coupon follows the cart and the order of the lines never matters.
 *
 * With shipping: total = subtotal - discount + shipping + tax, where the rate is free once the
 * goods (subtotal - discount) reach its threshold, the discount never touches shipping, and tax is
 * round((subtotal - discount + shipping) x rate) when shipping is taxed, else
 * round((subtotal - discount) x rate). `shipping` is in the totals only when the cart ships.
 * `step`: the currency's charge step (100 for ISK and UGX); discount and tax round to it.
 */
export function priceLines(lines: readonly PricedLine[], discount: Discount | null, taxRateBps: number, shipping: ShippingTerms | null = null, step = 1): Totals {
  const subtotal = subtotalOf(lines);
  const discountAmount = discountOf(subtotal, discount, step);
  const goods = subtotal - discountAmount;
  if (!shipping) {
    const tax = taxOf(goods, taxRateBps, step);
    return { subtotal, discount: discountAmount, tax, total: goods + tax };
  }
  const shippingAmount = shippingCost(shipping.rate, goods);
  const tax = taxOf(goods + (shipping.taxed ? shippingAmount : 0), taxRateBps, step);
  return { subtotal, discount: discountAmount, shipping: shippingAmount, tax, total: goods + shippingAmount + tax };
}
