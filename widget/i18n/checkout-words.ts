/**
 * The checkout's words in English (email step, payment, confirmation, declines), in the checkout's
 * chunk: most page views never open a checkout, so the first script does not carry them.
 */
import { declineMessages, retryLinkMessages } from '../../shared/messages.ts';

export const checkoutWords = {
  ...declineMessages,
  ...retryLinkMessages,
  checkout: 'Checkout',
  payment: 'Payment',
  backToCart: 'Back to cart',
  email: 'Email',
  emailHint: 'We send your receipt here.',
  emailInvalid: 'Please enter a valid email address, like name@example.com.',
  continueToPayment: 'Continue to payment',
  orderSummary: 'Order summary',
  changeEmail: 'Change',
  paymentDetails: 'Payment details',
  paymentLoading: 'Loading the secure payment form…',
  pay: 'Pay {total}',
  paying: 'Paying…',
  processing: 'Confirming your payment…',
  processingHint: 'This usually takes a few seconds. You can keep this page open.',
  thanks: 'Thank you for your order!',
  orderNumber: 'Order number {number}',
  receiptSent: 'A receipt is on its way to {email}.',
  done: 'Done',
  needsAttention: 'We received your payment, but something needs a closer look. We will email you shortly; no need to pay again.',
  checkoutCanceled: 'This checkout has expired. Your items are back in the cart.',
  cartChangedElsewhere: 'Your cart changed in another tab. Check it, then go to checkout again.',
  stripeLoadError: 'The secure payment form could not be loaded. Please try again.',
  tryAgainHint: 'Nothing was charged. Check the details or use another card, then pay again.',
};
