/**
 * The emails' words in English, each under one key, `{placeholders}` filled in by the templates.
 * The reference catalogue: every other language (./de.ts) has exactly these keys.
 */
import { declineMessages } from '../../../shared/messages.ts';

export const en = {
  ...declineMessages,
  item: 'Item',
  qty: 'Qty',
  price: 'Price',
  subtotal: 'Subtotal',
  discount: 'Discount',
  discountCode: 'Discount ({code})',
  shipping: 'Shipping',
  shippingRate: 'Shipping ({rate})',
  tax: 'Tax',
  total: 'Total',
  shipsTo: 'Ships to',
  refundTiming: 'It usually appears on your statement within 5 to 10 business days.',

  confirmationSubject: '{shop}: order {number} confirmed',
  confirmationTitle: 'Thank you! Order {number} is confirmed',
  confirmationIntro: 'We have your payment and are getting your order ready.',
  visitShop: 'Visit {shop}',

  failedSubject: '{shop}: your payment did not go through',
  failedTitle: 'Your payment did not go through',
  failedNext: 'We are holding your items for you. You can pay again with the same or another card:',
  completePayment: 'Complete your payment',
  linkFallback: 'If the button does not work, open this link:',

  reminderSubject: '{shop}: your cart is waiting',
  reminderTitle: 'You left something in your cart',
  reminderNext: 'Your cart is saved. Pick up where you left off:',
  returnToCart: 'Return to your cart',
  reminderOptOut: 'You get this email because you started a checkout. No more reminders:',
  unsubscribe: 'unsubscribe',

  attentionSubject: '{shop}: we could not complete order {number}',
  attentionTitle: 'We could not complete order {number}',
  attentionRefunded: 'We have refunded the full amount, {amount}, to your card. {timing}',
  attentionOnHold: 'Your order is on hold while we look into it, and we will be in touch soon.',
  attentionSorry: 'We are sorry for the trouble.',
  attentionStockGone: 'An item sold out while your payment was being completed.',
  attentionCouponGone: 'Your discount code ran out while your payment was being completed.',
  attentionAmountMismatch: 'The amount paid did not match your order.',

  refundSubject: '{shop}: {amount} refunded for order {number}',
  refundTitle: 'Refund for order {number}',
  refundBody: 'We have refunded {amount} to your card. {timing}',
};

export type MailWords = Readonly<Record<keyof typeof en, string>>;
