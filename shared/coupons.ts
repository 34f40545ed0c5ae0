import type { CouponProblem } from './api.ts';
import { DomainError } from './errors.ts';
import { couponMessage } from './messages.ts';
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
