/**
 * The currencies Stripe accepts for card payments (https://docs.stripe.com/currencies), in
 * lowercase as the API takes them. Anything else is refused as Stripe refuses it.
 */
import { invalid } from './errors.ts';

export const SUPPORTED_CURRENCIES: readonly string[] = [
  'usd', 'aed', 'afn', 'all', 'amd', 'ang', 'aoa', 'ars', 'aud', 'awg', 'azn', 'bam', 'bbd', 'bdt', 'bgn', 'bif', 'bmd',
  'bnd', 'bob', 'brl', 'bsd', 'bwp', 'byn', 'bzd', 'cad', 'cdf', 'chf', 'clp', 'cny', 'cop', 'crc', 'cve', 'czk', 'djf',
  'dkk', 'dop', 'dzd', 'egp', 'etb', 'eur', 'fjd', 'fkp', 'gbp', 'gel', 'gip', 'gmd', 'gnf', 'gtq', 'gyd', 'hkd', 'hnl',
  'htg', 'huf', 'idr', 'ils', 'inr', 'isk', 'jmd', 'jpy', 'kes', 'kgs', 'khr', 'kmf', 'krw', 'kyd', 'kzt', 'lak', 'lbp',
  'lkr', 'lrd', 'lsl', 'mad', 'mdl', 'mga', 'mkd', 'mmk', 'mnt', 'mop', 'mur', 'mvr', 'mwk', 'mxn', 'myr', 'mzn', 'nad',
  'ngn', 'nio', 'nok', 'npr', 'nzd', 'pab', 'pen', 'pgk', 'php', 'pkr', 'pln', 'pyg', 'qar', 'ron', 'rsd', 'rub', 'rwf',
  'sar', 'sbd', 'scr', 'sek', 'sgd', 'shp', 'sle', 'sos', 'srd', 'std', 'szl', 'thb', 'tjs', 'top', 'try', 'ttd', 'twd',
  'tzs', 'uah', 'ugx', 'uyu', 'uzs', 'vnd', 'vuv', 'wst', 'xaf', 'xcd', 'xcg', 'xof', 'xpf', 'yer', 'zar', 'zmw',
];
const supported = new Set(SUPPORTED_CURRENCIES);

/** The lowercase code, or Stripe's 400 naming the currencies it supports. */
export function currencyParam(raw: string, param = 'currency'): string {
  const currency = raw.toLowerCase();
  if (!supported.has(currency)) {
    throw invalid(param, `Invalid currency: ${currency}. Stripe currently supports these currencies: ${SUPPORTED_CURRENCIES.join(', ')}`);
  }
  return currency;
}

/**
 * Stripe's "Special cases" (https://docs.stripe.com/currencies#special-cases): ISK and UGX
 * "transitioned to a zero-decimal currency, but backwards compatibility requires you to represent
 * it as a two-decimal value, where the decimal amount is always 00" ("to charge 5 ISK, provide an
 * amount value of 500"). An amount with other decimals is refused; the page does not quote
 * Stripe's error, so the message is ours and names the rule.
 */
const WHOLE_UNIT_CURRENCIES = new Set(['isk', 'ugx']);

/** The amount, or Stripe's 400 on `param` when `currency` takes whole units only and it has decimals. */
export function chargeableAmount(currency: string, amount: number, param = 'amount'): number {
  if (WHOLE_UNIT_CURRENCIES.has(currency) && amount % 100 !== 0) {
    throw invalid(param, `Invalid ${param}: ${currency.toUpperCase()} amounts must be whole units, given in two-decimal form with 00 as the decimals (a multiple of 100), got ${amount}.`);
  }
  return amount;
}
