/**
 * The words the server writes to shoppers in English (its emails, and the pages its links open),
 * each under one key, `{placeholders}` filled in where they are used. The reference catalogue:
 * every other language (./de.ts) has exactly these keys.
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

  backToShop: 'Back to the shop',
  retryInvalidTitle: 'This payment link does not work',
  retryInvalidBody: 'The link may have been cut short or changed when it was copied from the email. Open it from the email again, or go back to {shop}: your cart may still be there.',
  retryClosedTitle: 'This checkout has closed',
  retryClosedBody: 'Your items were held for a while after the payment did not go through, and have now been released. Nothing was charged.',
  retryStartAgain: 'Start again from {shop}.',
  retryPaidTitle: 'This order is paid',
  retryPaidBody: 'Thank you: order {number} is paid. There is nothing more to pay.',
  retryPaidSent: 'We sent the confirmation with your receipt to {email}.',
  retryPaidNext: 'We are getting your order ready. Keep your order number in case you contact us.',
  retryAttentionTitle: 'We received your payment',
  retryAttentionBody: 'Something about it needs a closer look, and we will email you shortly. Please do not pay again.',
  retryPayTitle: 'Complete your payment',
  retryUnpaid: 'Your last payment for this order did not go through, so nothing was charged, and your items are still reserved. Pay with another card, or try again, in the payment panel.',
  retryProcessing: 'Your payment is being confirmed; the payment panel shows the order as soon as it is done.',
  retryReopen: 'Closed the panel? {link}.',
  retryReopenLink: 'Open the payment again',
  cartPageTitle: 'Your cart',
  cartRestored: 'Here is the cart you left. {link}',
  keepShopping: 'Keep shopping',
  cartLinkInvalid: 'This link to your cart is invalid or has expired.',
  unsubscribeTitle: 'Unsubscribe',
  unsubscribeAsk: 'Stop cart reminders to {email}?',
  unsubscribeButton: 'Unsubscribe',
  unsubscribeInvalid: 'This unsubscribe link is invalid.',
  unsubscribedTitle: 'Unsubscribed',
  unsubscribedBody: 'Done: no more cart reminders to {email}.',
};

export type MailWords = Readonly<Record<keyof typeof en, string>>;
