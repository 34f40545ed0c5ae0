/** The words for a reminder's link back to a cart, in English, in the chunk that restores it. */
import { linkMessages } from '../../shared/link-messages.ts';

export const restoreWords = {
  restoreLinkInvalid: linkMessages.restoreLinkInvalid,
  cartUnchanged: 'The cart in this browser is as you left it.',
  cartReplaced: 'This is the cart from your email. It replaces the cart you had open in this browser.',
};
