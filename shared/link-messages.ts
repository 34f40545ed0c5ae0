/**
 * The words for a reminder's link back to a cart, which the server and the widget both say: a
 * module of its own, not in ./messages.ts, so the widget's chunk that restores a cart carries them
 * without the rest of the catalogue (and the cart panel's chunk does not share a module with it).
 */
export const restoreLinkMessages = {
  restoreLinkInvalid: 'This link to your cart is invalid or has expired.',
} as const;
