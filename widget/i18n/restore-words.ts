/** The words for a reminder's link back to a cart, in English, in the chunk that restores it. */
import { restoreLinkMessages } from '../../shared/link-messages.ts';

export const restoreWords = {
  ...restoreLinkMessages,
  cartReplaced: 'Your cart from the email replaced your previous one.',
};
