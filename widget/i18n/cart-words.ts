/** The cart panel's words in English (lines, coupon, totals), in the cart panel's chunk. */
import { couponMessages, rateLimitMessages } from '../../shared/messages.ts';
import { refusalWords } from './refusal-words.ts';

export const cartWords = {
  ...couponMessages,
  ...rateLimitMessages,
  ...refusalWords,
  empty: 'Your cart is empty.',
  emptyHint: 'Add something you like and it will show up here.',
  continueShopping: 'Continue shopping',
  quantityOf: 'Quantity of {name}',
  decrease: 'One fewer {name}',
  increase: 'One more {name}',
  remove: 'Remove',
  removeItem: 'Remove {name}',
  each: '{price} each',
  couponLabel: 'Discount code',
  apply: 'Apply',
  couponApplied: 'Code {code} applied',
  removeCoupon: 'Remove code {code}',
  subtotal: 'Subtotal',
  discount: 'Discount',
  tax: 'Tax',
  total: 'Total',
  totalIs: 'Total {total}',
  goToCheckout: 'Go to checkout',
};
