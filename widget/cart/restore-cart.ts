/**
 * An abandoned-cart reminder's link back to a cart (`restore-token`), in a chunk of its own that
 * the element imports only on a page that restores one. The cart the signed token names becomes
 * this browser's cart: shown, saved, and followed by other tabs.
 *
 * A shopper who already has a different cart in this browser gets the reminder's cart in its
 * place, and is told so when that other cart had items: following the link asks for exactly that
 * cart, and one cart per browser keeps a checkout from paying for the wrong one. The replaced cart
 * is not deleted; it expires on the server as any cart left alone does. A forged or expired token,
 * or a cart gone since, changes nothing here: the cart there was stays, shown under a calm notice.
 */
import { restoredCart } from '../api/restore-requests.ts';
import type { ApiError } from '../api/client.ts';
import type { ViewContext } from '../checkout-cart/view-context.ts';
import { addMessages } from '../i18n/messages.ts';
import { restoreWords } from '../i18n/restore-words.ts';

/** Shows the reminder's cart in place of `savedCartId`'s; on a refusal, shows `savedCartId`'s with a notice. */
export async function restoreCart(c: ViewContext, token: string, savedCartId: string | null): Promise<void> {
  addMessages('en', restoreWords);
  const { shop } = c;
  const { client, session } = shop;
  let notice: keyof typeof restoreWords | null = null;
  // Back from a bank's page on this same page: the cart was restored before leaving, and may be paid and cleared by now.
  if (!location.search.includes('payment_intent_client_secret=')) {
    try {
      await session.serial(async () => {
        const cart = await restoredCart(client, token);
        const current = session.savedCartId;
        if (current && current !== cart.id && (await client.getCart(current).catch(() => null))?.items.length) notice = 'cartReplaced';
        session.accept(cart, false);
      });
      savedCartId = null;
    } catch (error) {
      // The link refused (forged or expired) or its cart gone: final. Anything else (offline, 5xx, 429, CORS) is the panel's to tell.
      if (['link_invalid', 'cart_not_found'].includes((error as ApiError).code)) notice = 'restoreLinkInvalid';
      else c.report(error, () => void restoreCart(c, token, session.savedCartId));
    }
  }
  // Stops the loading state; with no cart restored, shows the one there was.
  await shop.load(savedCartId, false);
  if (notice) {
    // The words of the shopper's language may still be on their way.
    await c.localize.whenReady();
    c.notice(c.localize.t(notice));
  }
  c.show();
}
