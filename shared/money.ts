/** Money is an integer amount of minor units (cents, or yen for zero-decimal currencies). */
export type MinorUnits = number;

export interface Currency {
  /** ISO 4217 code, upper case. */
  code: string;
  /** Minor-unit digits: 2 for USD and EUR, 0 for JPY. */
  exponent: number;
}

export function assertMinorUnits(amount: number, what = 'amount'): MinorUnits {
  if (!Number.isSafeInteger(amount)) throw new RangeError(`${what} must be an integer number of minor units, got ${amount}`);
  return amount;
}

const exponents = new Map<string, number>();

/** The currency's minor-unit exponent as the platform's ICU data knows it (JPY 0, USD 2, ...). */
export function currencyOf(code: string): Currency {
  const upper = code.toUpperCase();
  let exponent = exponents.get(upper);
  if (exponent === undefined) {
    exponent = new Intl.NumberFormat('en', { style: 'currency', currency: upper }).resolvedOptions()
      .maximumFractionDigits ?? 2;
    exponents.set(upper, exponent);
  }
  return { code: upper, exponent };
}

export function isCurrencyCode(code: string): boolean {
  if (!/^[A-Za-z]{3}$/.test(code)) return false;
  return Intl.supportedValuesOf?.('currency').includes(code.toUpperCase()) ?? true;
}

const formatters = new Map<string, Intl.NumberFormat>();

/** Formats minor units for people, e.g. 1999 USD -> "$19.99", 1999 JPY -> "¥1,999". */
export function formatMoney(amount: MinorUnits, currencyCode: string, locale = 'en-US'): string {
  assertMinorUnits(amount);
  const currency = currencyOf(currencyCode);
  const key = `${locale}|${currency.code}`;
  let formatter = formatters.get(key);
  if (!formatter) {
    formatter = new Intl.NumberFormat(locale, { style: 'currency', currency: currency.code });
    formatters.set(key, formatter);
  }
  return formatter.format(amount / 10 ** currency.exponent);
}
