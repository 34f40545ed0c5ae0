/**
 * The server's refusals in the shopper's words, in the cart panel's chunk. The server's own
 * `message` is English written for developers (`No product "x".`): shoppers never see it; the
 * merchant finds it in the console, with what to fix where there is something to fix.
 */
import { amountMessages, customerCouponMessages, stockMessages } from '../../shared/messages.ts';
import type { ApiError } from '../api/client.ts';
import { messageFor } from './error-words.ts';
import type { Translate } from './messages.ts';

export const refusalWords = {
  ...customerCouponMessages,
  ...stockMessages,
  ...amountMessages,
  unavailable: 'Checkout is unavailable right now. Please try again later.',
  productUnavailable: 'Sorry, this product is not available.',
  someUnavailable: 'Some items are no longer available. Please check your cart.',
  quantityLimit: 'That is more of one item than we can sell in one order.',
  lineLimit: 'That is more different items than one order can hold.',
  cartEmptied: 'Your cart is empty.',
  refused: 'Sorry, that did not work. Please reload the page and try again.',
};

/** Each page says once which origin to allow, however many requests failed. */
const advised = new Set<string>();

/** For the merchant: what the server refused, or what to configure. */
function tellMerchant(error: ApiError): void {
  if (error.code !== 'origin_refused') {
    console.warn(`<checkout-cart>: the server refused a request (${error.code}): ${error.message}`);
  } else if (!advised.has(error.message)) {
    advised.add(error.message);
    console.error(`<checkout-cart>: the checkout server ${error.message} refuses this page's origin (CORS). `
      + `Add ${location.origin} to the server's ALLOWED_ORIGINS, e.g. ALLOWED_ORIGINS=${location.origin}`);
  }
}

/** The product and how many are left, from an `out_of_stock` refusal's details. */
function stockIn(details: unknown): { name: string; available: number } | undefined {
  const { name, available } = (details ?? {}) as { name?: unknown; available?: unknown };
  return typeof name === 'string' && typeof available === 'number' ? { name, available } : undefined;
}

/** A refusal (a 4xx the server named) in the shopper's words. */
export function describeRefusal(t: Translate, error: ApiError): string {
  switch (error.code) {
    case 'origin_refused':
      tellMerchant(error);
      return t('unavailable');
    case 'out_of_stock': {
      const stock = stockIn(error.details);
      if (!stock) return t('someUnavailable');
      return stock.available === 0 ? t('soldOut', stock) : t('onlyLeft', stock);
    }
    case 'quantity_limit':
      return t('quantityLimit');
    case 'cart_line_limit':
      return t('lineLimit');
    case 'cart_empty':
      return t('cartEmptied');
    case 'coupon_first_order_only':
      return t('couponFirstOrderOnly');
    case 'coupon_once_per_customer':
      return t('couponOncePerCustomer');
    case 'amount_too_small':
      return t('totalTooSmall');
    case 'amount_too_large':
      return t('totalTooLarge');
    case 'product_not_found':
      tellMerchant(error);
      return t('productUnavailable');
  }
  const shared = messageFor(t, error.code, '');
  if (shared) return shared;
  tellMerchant(error);
  return t('refused');
}
