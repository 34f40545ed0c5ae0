/** Shipping as the tests send it: the demo catalog's rates (server/catalog/seed.json). */
import type { ShippingBody } from '../../shared/api.ts';

/** An address in the demo's US zone, with its standard rate ($5, free from $75 of goods). */
export const US_SHIPPING: ShippingBody = {
  name: 'Ada Lovelace',
  address: { line1: '12 Analytical Row', line2: null, city: 'Springfield', state: 'IL', postal_code: '62701', country: 'US' },
  rateId: 'standard-us',
};
