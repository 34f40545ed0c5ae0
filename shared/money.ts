import { currencyOf } from './currencies.ts';

/** Money is an integer amount of minor units (cents, or yen for zero-decimal currencies). */
export type MinorUnits = number;

export function assertMinorUnits(amount: number, what = 'amount'): MinorUnits {
  if (!Number.isSafeInteger(amount)) throw new RangeError(`${what} must be an integer number of minor units, got ${amount}`);
  return amount;
}

/** Amounts in two currencies were about to be added, compared or charged together. */
export class CurrencyMismatchError extends Error {
  override readonly name = 'CurrencyMismatchError';
  constructor(readonly expected: string, readonly actual: string) {
    super(`refusing to combine ${actual} money with ${expected} money`);
  }
}

/** Before any arithmetic on amounts from two sources: they must be in one currency. */
export function assertSameCurrency(expected: string, actual: string): void {
  const a = currencyOf(expected).code;
  const b = currencyOf(actual).code;
  if (a !== b) throw new CurrencyMismatchError(a, b);
}

const formatters = new Map<string, Intl.NumberFormat>();

/** Formats minor units for people with the table's digits, e.g. 1999 USD -> "$19.99", 1999 JPY -> "¥1,999". */
export function formatMoney(amount: MinorUnits, currencyCode: string, locale = 'en-US'): string {
  assertMinorUnits(amount);
  const currency = currencyOf(currencyCode);
  const key = `${locale}|${currency.code}`;
  let formatter = formatters.get(key);
  if (!formatter) {
    // Intl's own digits are CLDR's (HUF 0): ours say how many digits the amount really has.
    const digits = currency.exponent;
    formatter = new Intl.NumberFormat(locale, { style: 'currency', currency: currency.code, minimumFractionDigits: digits, maximumFractionDigits: digits });
    formatters.set(key, formatter);
  }
  return formatter.format(amount / 10 ** currency.exponent);
}
