/**
 * Amounts the shop charges as they are written (prices, fixed discounts, shipping rates) must be
 * ones its currency can be charged in: ISK and UGX in whole units, since Stripe takes them as
 * two-decimal amounts whose decimals are always 00 (shared/currencies.ts `chargeStep`). Refused
 * when written, so no cart is ever priced at an amount Stripe would refuse.
 */
import { chargeStep } from '../../shared/currencies.ts';
import { DomainError } from '../../shared/errors.ts';

export interface WrittenAmount {
  /** Where it was given, e.g. `price` or `products[2].price`. */
  field: string;
  amount: number;
}

/** Throws 400 validation_failed naming every amount that is not a multiple of the currency's step. */
export function refuseOffStep(currency: string, amounts: readonly WrittenAmount[]): void {
  const step = chargeStep(currency);
  const off = amounts.filter((a) => a.amount % step !== 0).map((a) => a.field);
  if (off.length === 0) return;
  throw new DomainError('validation_failed',
    `${off.join(', ')}: ${currency.toUpperCase()} amounts are whole units, so in minor units a multiple of ${step} (Stripe charges ${currency.toUpperCase()} with 00 as its decimals).`,
    { fields: off, step });
}
