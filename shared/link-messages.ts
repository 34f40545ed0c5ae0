/**
 * The words for links in reminder emails (the cart's restore link, the unsubscribe link), in a
 * module of their own (re-exported by ./messages.ts) so the widget's chunk that restores a cart
 * carries them without the rest of the catalogue.
 */
export const linkMessages = {
  restoreLinkInvalid: 'This link to your cart is invalid or has expired.',
  unsubscribeLinkInvalid: 'This unsubscribe link is invalid.',
} as const;
