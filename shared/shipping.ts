/**
 * Shipping rates: what the shop charges to ship a cart to a country. Pure functions, used by the
 * server (which decides) and the widget (which shows the server's numbers).
 *
 * A rate serves the countries it lists; it is free when the goods (subtotal less discount) reach
 * `freeOverSubtotal`. Discounts never reduce shipping. Whether tax is charged on shipping is the
 * shop's setting (SHIPPING_TAXABLE), applied in pricing.ts.
 */
import { assertMinorUnits, type MinorUnits } from './money.ts';

export interface ShippingRate {
  id: string;
  label: string;
  amount: MinorUnits;
  /** ISO 3166-1 alpha-2 codes, upper case. */
  countries: readonly string[];
  /** Free when the goods come to at least this much; null: never free. */
  freeOverSubtotal: MinorUnits | null;
}

export const servesCountry = (rate: Pick<ShippingRate, 'countries'>, country: string): boolean => rate.countries.includes(country);

/** What the rate costs for goods worth `goods` (subtotal less discount). */
export function shippingCost(rate: Pick<ShippingRate, 'amount' | 'freeOverSubtotal'>, goods: MinorUnits): MinorUnits {
  assertMinorUnits(rate.amount, 'shipping amount');
  if (rate.freeOverSubtotal !== null && goods >= rate.freeOverSubtotal) return 0;
  return rate.amount;
}

/** Every country at least one rate serves, sorted: the Address Element's allowedCountries. */
export function servedCountries(rates: readonly Pick<ShippingRate, 'countries'>[]): string[] {
  return [...new Set(rates.flatMap((r) => r.countries))].sort();
}

interface AddressParts {
  line1?: string | null; line2?: string | null; city?: string | null; state?: string | null; postal_code?: string | null; country?: string | null;
}

/** An address as lines on a label: street, second line, the city line as its country writes it, country code. */
export function addressLines(a: AddressParts | null | undefined): string[] {
  return a ? [...linesBeforeCountry(a), a.country].filter((l): l is string => Boolean(l)) : [];
}

/** The same lines without the country code (the CSV gives the country a column of its own). */
export function linesBeforeCountry(a: AddressParts): string[] {
  return [a.line1, a.line2, cityLine(a)].filter((l): l is string => Boolean(l));
}

/**
 * "Springfield, IL 62701" in the US and Canada, "Sydney NSW 2000" in Australia, "London SW1A 2AA"
 * in the UK, and elsewhere the postal code first, as most of Europe writes it ("10115 Berlin"): a
 * shopper checks the address in the form they know, and a label reads the way the post sorts it.
 */
function cityLine({ city, state, postal_code: postal, country }: AddressParts): string {
  const words = (...parts: (string | null | undefined)[]) => parts.filter(Boolean).join(' ');
  if (country === 'US' || country === 'CA') return words([city, state].filter(Boolean).join(', '), postal);
  if (country === 'AU' || country === 'GB') return words(city, state, postal);
  return words(postal, city, state);
}
