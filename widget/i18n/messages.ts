/**
 * Every word the widget shows, in one table. English is the reference: a locale that lacks a key
 * falls back to it, so a missing translation shows English instead of nothing. The words the server
 * says too (declines, coupons, payment links, rate limits) come from shared/messages.ts, under the same keys.
 */
import {
  couponMessages, declineMessages, fillIn, messageKeyFor, rateLimitKey, rateLimitMessages, retryLinkMessages,
} from '../../shared/messages.ts';

const en = {
  ...declineMessages,
  ...couponMessages,
  ...retryLinkMessages,
  ...rateLimitMessages,
  cart: 'Cart',
  itemsOne: '1 item',
  itemsOther: '{count} items',
  yourCart: 'Your cart',
  checkout: 'Checkout',
  payment: 'Payment',
  close: 'Close',
  loading: 'Loading…',
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
  startOver: 'Start over',
  retry: 'Try again',
  dismiss: 'Dismiss',
  networkError: 'We could not reach the shop. Your cart is safe; please try again.',
  serverError: 'Something went wrong on our side. Your cart is safe; please try again.',
  stripeLoadError: 'The secure payment form could not be loaded. Please try again.',
  tryAgainHint: 'Nothing was charged. Check the details or use another card, then pay again.',
};

export type MessageKey = keyof typeof en;
type Table = Record<MessageKey, string>;

const de: Table = {
  cart: 'Warenkorb',
  itemsOne: '1 Artikel',
  itemsOther: '{count} Artikel',
  yourCart: 'Dein Warenkorb',
  checkout: 'Kasse',
  payment: 'Zahlung',
  close: 'Schließen',
  loading: 'Wird geladen…',
  empty: 'Dein Warenkorb ist leer.',
  emptyHint: 'Leg etwas hinein, das dir gefällt, und es erscheint hier.',
  continueShopping: 'Weiter einkaufen',
  quantityOf: 'Menge von {name}',
  decrease: 'Ein {name} weniger',
  increase: 'Ein {name} mehr',
  remove: 'Entfernen',
  removeItem: '{name} entfernen',
  each: 'je {price}',
  couponLabel: 'Rabattcode',
  apply: 'Einlösen',
  couponApplied: 'Code {code} eingelöst',
  removeCoupon: 'Code {code} entfernen',
  subtotal: 'Zwischensumme',
  discount: 'Rabatt',
  tax: 'Steuer',
  total: 'Gesamt',
  totalIs: 'Gesamt {total}',
  goToCheckout: 'Zur Kasse',
  backToCart: 'Zurück zum Warenkorb',
  email: 'E-Mail',
  emailHint: 'Hierhin senden wir deine Quittung.',
  emailInvalid: 'Bitte gib eine gültige E-Mail-Adresse ein, z. B. name@example.com.',
  continueToPayment: 'Weiter zur Zahlung',
  orderSummary: 'Bestellübersicht',
  changeEmail: 'Ändern',
  paymentDetails: 'Zahlungsdaten',
  paymentLoading: 'Das sichere Zahlungsformular wird geladen…',
  pay: '{total} bezahlen',
  paying: 'Zahlung läuft…',
  processing: 'Deine Zahlung wird bestätigt…',
  processingHint: 'Das dauert meist nur wenige Sekunden. Lass diese Seite einfach offen.',
  thanks: 'Danke für deine Bestellung!',
  orderNumber: 'Bestellnummer {number}',
  receiptSent: 'Eine Quittung ist unterwegs an {email}.',
  done: 'Fertig',
  needsAttention: 'Wir haben deine Zahlung erhalten, müssen aber etwas prüfen. Wir melden uns per E-Mail; bitte nicht erneut bezahlen.',
  checkoutCanceled: 'Dieser Bezahlvorgang ist abgelaufen. Deine Artikel liegen wieder im Warenkorb.',
  startOver: 'Neu beginnen',
  retry: 'Erneut versuchen',
  dismiss: 'Ausblenden',
  networkError: 'Der Shop ist gerade nicht erreichbar. Dein Warenkorb bleibt erhalten; bitte versuche es erneut.',
  serverError: 'Bei uns ist etwas schiefgelaufen. Dein Warenkorb bleibt erhalten; bitte versuche es erneut.',
  stripeLoadError: 'Das sichere Zahlungsformular konnte nicht geladen werden. Bitte versuche es erneut.',
  paymentFailed: 'Deine Zahlung ist nicht durchgegangen.',
  tryAgainHint: 'Es wurde nichts abgebucht. Prüfe die Angaben oder nutze eine andere Karte und bezahle erneut.',
  cardDeclined: 'Deine Karte wurde abgelehnt.',
  insufficientFunds: 'Deine Karte ist nicht ausreichend gedeckt.',
  expiredCard: 'Deine Karte ist abgelaufen.',
  incorrectCvc: 'Die Prüfnummer (CVC) deiner Karte ist falsch.',
  incorrectNumber: 'Deine Kartennummer ist falsch.',
  processingError: 'Bei der Verarbeitung deiner Karte ist ein Fehler aufgetreten. Bitte versuche es erneut.',
  authenticationFailed: 'Die Sicherheitsprüfung der Bank (3D Secure) wurde nicht abgeschlossen.',
  couponInvalid: 'Dieser Code ist ungültig.',
  couponExpired: 'Dieser Code ist abgelaufen.',
  couponExhausted: 'Dieser Code ist bereits aufgebraucht.',
  couponMinSubtotal: 'Dein Warenkorb liegt unter dem Mindestwert für diesen Code.',
  retryLinkInvalid: 'Dieser Zahlungslink ist ungültig oder abgelaufen.',
  rateLimited: 'Zu viele Versuche. Bitte warte einen Moment und versuche es dann erneut.',
  rateLimitedOne: 'Zu viele Versuche. Bitte warte 1 Sekunde und versuche es dann erneut.',
  rateLimitedOther: 'Zu viele Versuche. Bitte warte {seconds} Sekunden und versuche es dann erneut.',
};

const tables: Record<string, Table> = { en, de };

export type Translate = (key: MessageKey, params?: Record<string, string | number>) => string;

/** The language part of a BCP 47 tag we have a table for, else English: "de-AT" -> "de". */
export function supportedLanguage(locale: string | null | undefined): string {
  const language = (locale ?? '').toLowerCase().split('-')[0] ?? '';
  return language in tables ? language : 'en';
}

/** A translator for one locale; `{name}` placeholders are filled from `params`. */
export function translator(locale: string | null | undefined): Translate {
  const table = tables[supportedLanguage(locale)] ?? en;
  return (key, params) => {
    const text = table[key] ?? en[key];
    return params ? fillIn(text, params) : text;
  };
}

/** The shopper-facing words for an error code (ours or Stripe's) in the shopper's language, or
 * `fallback` (the server's or Stripe's message) for codes without shared words. */
export function messageFor(t: Translate, code: string | null | undefined, fallback: string): string {
  const key = messageKeyFor(code);
  return key ? t(key) : fallback;
}

/** A 429 in the shopper's words, with the wait the server asked for when it gave one. */
export function rateLimitedMessage(t: Translate, retryAfterSeconds: number | undefined): string {
  return t(rateLimitKey(retryAfterSeconds), retryAfterSeconds === undefined ? undefined : { seconds: retryAfterSeconds });
}
