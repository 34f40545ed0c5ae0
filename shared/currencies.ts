/**
 * Each currency's minor unit, from an explicit table rather than the platform's `Intl` data:
 * CLDR's display digits are not the currency's minor unit (it gives HUF, IDR and COP 0 digits, where
 * ISO 4217 and Stripe count hundredths), and they differ between ICU versions.
 */

export interface Currency {
  /** ISO 4217 code, upper case. */
  readonly code: string;
  /** How many digits the amounts' minor units have: 1999 is 19.99 for an exponent of 2. */
  readonly exponent: number;
}

/** ISO 4217 list one: the minor unit of each current currency that has one (metals, SDR and test
 * codes have none and cannot be charged). */
const iso4217MinorUnits: Readonly<Record<number, string>> = {
  0: 'BIF CLP DJF GNF ISK JPY KMF KRW PYG RWF UGX UYI VND VUV XAF XOF XPF',
  2: 'AED AFN ALL AMD ANG AOA ARS AUD AWG AZN BAM BBD BDT BGN BMD BND BOB BOV BRL BSD BTN BWP BYN BZD '
    + 'CAD CDF CHE CHF CHW CNY COP COU CRC CUP CVE CZK DKK DOP DZD EGP ERN ETB EUR FJD FKP GBP GEL GHS GIP '
    + 'GMD GTQ GYD HKD HNL HTG HUF IDR ILS INR IRR JMD KES KGS KHR KPW KYD KZT LAK LBP LKR LRD LSL MAD MDL '
    + 'MGA MKD MMK MNT MOP MRU MUR MVR MWK MXN MXV MYR MZN NAD NGN NIO NOK NPR NZD PAB PEN PGK PHP PKR PLN '
    + 'QAR RON RSD RUB SAR SBD SCR SDG SEK SGD SHP SLE SOS SRD SSP STN SVC SYP SZL THB TJS TMT TOP TRY TTD '
    + 'TWD TZS UAH USD USN UYU UZS VED VES WST XCD XCG YER ZAR ZMW ZWG',
  3: 'BHD IQD JOD KWD LYD OMR TND',
  4: 'CLF UYW',
};

/**
 * Where Stripe's `amount` counts differently from ISO 4217. Amounts here are what Stripe is sent,
 * so its rule wins. From https://docs.stripe.com/currencies ("Zero-decimal currencies" and
 * "Special cases"):
 * - MGA is in Stripe's zero-decimal list although ISO 4217 gives it 2 digits;
 * - ISK and UGX "transitioned to a zero-decimal currency, but backwards compatibility requires you
 *   to represent it as a two-decimal value, where the decimal amount is always 00" (5 ISK is 500);
 * - HUF and TWD are zero-decimal for payouts only, "even though you can charge two-decimal
 *   amounts": they keep ISO's 2 here, where `Intl` would have said HUF has 0.
 */
const stripeMinorUnits: Readonly<Record<string, number>> = { MGA: 0, ISK: 2, UGX: 2 };

const exponents = new Map<string, number>(
  Object.entries(iso4217MinorUnits).flatMap(([digits, codes]) => codes.split(' ').map((code) => [code, Number(digits)] as const)),
);
for (const [code, exponent] of Object.entries(stripeMinorUnits)) exponents.set(code, exponent);

/**
 * The currencies whose every charged amount must be a multiple of a step. Stripe's "Special cases"
 * (https://docs.stripe.com/currencies#special-cases): ISK and UGX "transitioned to a zero-decimal
 * currency, but backwards compatibility requires you to represent it as a two-decimal value, where
 * the decimal amount is always 00" ("to charge 5 ISK, provide an amount value of 500"): whole
 * krónur and shillings, so a multiple of 100. (HUF and TWD are special for payouts only.)
 */
const chargeSteps: Readonly<Record<string, number>> = { ISK: 100, UGX: 100 };

/** What every amount charged in this currency is a multiple of: 100 for ISK and UGX, else 1. */
export function chargeStep(code: string): number {
  return chargeSteps[code.toUpperCase()] ?? 1;
}

export function isCurrencyCode(code: string): boolean {
  return exponents.has(code.toUpperCase());
}

/** The currency with its minor-unit exponent (JPY 0, USD 2, HUF 2, ISK 2, KWD 3); an unknown code throws. */
export function currencyOf(code: string): Currency {
  const upper = code.toUpperCase();
  const exponent = exponents.get(upper);
  if (exponent === undefined) throw new RangeError(`unknown currency ${JSON.stringify(code)}: not in the ISO 4217 table`);
  return { code: upper, exponent };
}
