/**
 * A priced cart with the shipping the shopper chose: the rate must exist, be active and serve the
 * address's country, or the choice is refused (4xx) before anything is written.
 */
import type { Totals } from '../../shared/api.ts';
import { DomainError } from '../../shared/errors.ts';
import { chargeStep } from '../../shared/currencies.ts';
import { priceLines } from '../../shared/pricing.ts';
import { servesCountry } from '../../shared/shipping.ts';
import type { Catalog } from '../catalog/catalog.ts';
import type { ShippingRateRecord } from '../catalog/shipping-rates.ts';
import type { PricedCart } from './price-cart.ts';

export interface ShippingDestination {
  rateId: string;
  country: string;
}

export interface ShippingPricing {
  taxRateBps: number;
  /** SHIPPING_TAXABLE: tax is charged on shipping too. */
  shippingTaxable: boolean;
  /** The cart's currency: its charge step rounds discount and tax (whole krónur in ISK). */
  currency: string;
}

export async function chooseRate(catalog: Catalog, to: ShippingDestination): Promise<ShippingRateRecord> {
  const rate = await catalog.shippingRate(to.rateId);
  if (!rate) throw new DomainError('shipping_rate_invalid', `There is no shipping rate "${to.rateId}".`, { rateId: to.rateId });
  if (!servesCountry(rate, to.country)) {
    throw new DomainError('shipping_rate_invalid', `"${rate.label}" does not ship to ${to.country}.`, { rateId: to.rateId, country: to.country });
  }
  return rate;
}

/** The cart's totals with this rate's shipping (free above its threshold, taxed as the shop says). */
export function totalsWithShipping(priced: PricedCart, rate: ShippingRateRecord, o: ShippingPricing): Totals {
  return priceLines(priced.lines, priced.discount, o.taxRateBps, { rate, taxed: o.shippingTaxable }, chargeStep(o.currency));
}
