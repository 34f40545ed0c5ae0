/** Money and dates as the console shows and reads them. Amounts stay integer minor units; only
 * the text a merchant types or reads is in major units, converted exactly, never through floats. */
import { currencyOf } from '../../shared/currencies.ts';
import { formatMoney } from '../../shared/money.ts';

export interface Formats {
  money(amount: number): string;
  /** "12.50" -> 1250 (USD), "1200" -> 1200 (JPY); null for anything else (negative, too many decimals, not a number). */
  parseMoney(text: string): number | null;
  /** Minor units as the merchant types them: 1250 -> "12.50". */
  moneyInput(amount: number): string;
  date(iso: string): string;
}

export function formats(currency: string, locale: string): Formats {
  const { exponent } = currencyOf(currency);
  const dateTime = new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeStyle: 'short' });
  return {
    money: (amount) => formatMoney(amount, currency, locale),
    parseMoney: (text) => {
      const match = /^(\d{1,12})(?:\.(\d+))?$/.exec(text.trim());
      if (!match || (match[2] ?? '').length > exponent) return null;
      const amount = Number(`${match[1]}${(match[2] ?? '').padEnd(exponent, '0')}`);
      return Number.isSafeInteger(amount) ? amount : null;
    },
    moneyInput: (amount) => {
      if (exponent === 0) return String(amount);
      const digits = String(amount).padStart(exponent + 1, '0');
      return `${digits.slice(0, -exponent)}.${digits.slice(-exponent)}`;
    },
    date: (iso) => dateTime.format(new Date(iso)),
  };
}

/** Basis points as a percentage: 3333 -> "33.33 %". */
export function percent(bps: number, locale: string): string {
  return new Intl.NumberFormat(locale, { style: 'percent', minimumFractionDigits: 2, maximumFractionDigits: 2 }).format(bps / 10_000);
}
