/**
 * An abandoned-cart reminder's link back to a cart (`restore-token`), in a chunk of its own that
 * the element imports only on a page that restores one. The cart the signed token names becomes
 * this browser's cart: shown, saved, and followed by other tabs.
 *
 * A shopper who already has a different cart in this browser gets the reminder's cart in its
 * place, and is told so when that other cart had items: following the link asks for exactly that
 * cart, and one cart per browser keeps a checkout from paying for the wrong one. The replaced cart
 * is not deleted; it expires on the server as any cart left alone does. A forged or expired token,
 * or a cart gone since, changes nothing here: the cart there was stays, with a calm notice.
 */
import type { Cart } from '../../shared/api.ts';
import { restoredCart } from '../api/restore-requests.ts';
import { ApiError } from '../api/client.ts';
import type { ViewContext } from '../checkout-cart/view-context.ts';
import { addMessages } from '../i18n/messages.ts';
import { restoreWords } from '../i18n/restore-words.ts';

/** Shows the reminder's cart in place of `savedCartId`'s; on a refusal, shows `savedCartId`'s with a notice. */
export async function restoreCart(c: ViewContext, token: string, savedCartId: string | null): Promise<void> {
  addMessages('en', restoreWords);
  const { shop } = c;
  const { client, session } = shop;
  // Back from a bank's page on this same page: the cart was restored before leaving, and may be paid and cleared by now.
  if (new URLSearchParams(location.search).has('payment_intent_client_secret')) return shop.load(savedCartId, false);
  let replaced: Cart | null;
  try {
    replaced = await session.serial(async () => {
      const cart = await restoredCart(client, token);
      const current = session.savedCartId;
      const previous = current && current !== cart.id ? await client.getCart(current).catch(() => null) : null;
      session.accept(cart, false);
      return previous;
    });
  } catch (error) {
    await shop.load(savedCartId, false);
    if (error instanceof ApiError && !error.retryable) await say(c, savedCartId ? ['restoreLinkInvalid', 'cartUnchanged'] : ['restoreLinkInvalid']);
    else c.report(error, () => void restoreCart(c, token, session.savedCartId));
    return c.show();
  }
  await shop.load(null, false);
  if (replaced && replaced.items.length > 0) await say(c, ['cartReplaced']);
  c.show();
}

/** A notice in the shopper's language (its words may still be on their way). */
async function say(c: ViewContext, keys: (keyof typeof restoreWords)[]): Promise<void> {
  await c.localize.whenReady();
  c.notice(keys.map((key) => c.localize.t(key)).join(' '));
}
