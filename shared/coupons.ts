import type { CouponProblem } from './api.ts';
import { DomainError } from './errors.ts';
import { couponMessage, customerCouponMessages } from './messages.ts';
import type { MinorUnits } from './money.ts';
import type { Discount } from './pricing.ts';

export interface CouponRules extends Discount {
  code: string;
  active: boolean;
  /** Epoch milliseconds, or null for never. */
  expiresAt: number | null;
  maxUses: number | null;
  /** Uses already redeemed plus uses held by open checkouts. */
  usesTaken: number;
  minSubtotal: MinorUnits;
}

/** Codes are case-insensitive: stored and compared upper-cased and trimmed. */
export function normalizeCouponCode(code: string): string {
  return code.trim().toUpperCase();
}

/** Every use is redeemed or held by someone: the one rule for "used up", at apply, checkout and payment. */
export function isUsedUp(coupon: Pick<CouponRules, 'maxUses' | 'usesTaken'>): boolean {
  return coupon.maxUses !== null && coupon.usesTaken >= coupon.maxUses;
}

/** Why a coupon cannot be used now, or null when it can. */
export function couponProblem(coupon: CouponRules | null, subtotal: MinorUnits, now: number): CouponProblem | null {
  if (!coupon || !coupon.active) return 'coupon_invalid';
  if (coupon.expiresAt !== null && coupon.expiresAt <= now) return 'coupon_expired';
  if (isUsedUp(coupon)) return 'coupon_exhausted';
  if (subtotal < coupon.minSubtotal) return 'coupon_min_subtotal';
  return null;
}

/** The error that refuses a coupon, in the shared words. */
export function couponRefused(problem: CouponProblem): DomainError {
  return new DomainError(problem, couponMessage(problem));
}

/** Limits a coupon puts on who may use it, by the email a checkout gives. */
export interface CustomerLimits {
  /** Only for an email with no earlier paid order. */
  firstOrderOnly: boolean;
  /** At most one paid order per email with this code. */
  oncePerCustomer: boolean;
}

/** What the shop's orders say about one email and one code. */
export interface CustomerHistory {
  hasPaidOrder: boolean;
  hasUsedCode: boolean;
}

export type CustomerCouponProblem = 'coupon_first_order_only' | 'coupon_once_per_customer';

/** Why this customer may not use the coupon, or null: at checkout start and again at payment.
 * `history` is asked only for a coupon with such a limit (most have none). */
export async function customerCouponProblem(limits: CustomerLimits, history: () => Promise<CustomerHistory>): Promise<CustomerCouponProblem | null> {
  if (!limits.firstOrderOnly && !limits.oncePerCustomer) return null;
  const { hasPaidOrder, hasUsedCode } = await history();
  if (limits.firstOrderOnly && hasPaidOrder) return 'coupon_first_order_only';
  if (limits.oncePerCustomer && hasUsedCode) return 'coupon_once_per_customer';
  return null;
}

export function customerCouponRefused(problem: CustomerCouponProblem): DomainError {
  return new DomainError(problem, problem === 'coupon_first_order_only' ? customerCouponMessages.couponFirstOrderOnly : customerCouponMessages.couponOncePerCustomer);
}
