/**
 * Abandoned-cart reminders. A shopper who gave an email at checkout and then neither paid nor
 * failed a payment (a failed one gets the recovery email instead) is reminded once,
 * `ABANDONED_CART_MINUTES` after last touching the checkout, and optionally once more
 * `ABANDONED_CART_SECOND_REMINDER_HOURS` later. Never after the cart was paid or emptied, never
 * to an address that unsubscribed, at most `REMINDERS_PER_ADDRESS_PER_DAY` to one address, and
 * each reminder claimed in a transaction so any number of sweeping processes send it once.
 */
import { DomainError } from '../../shared/errors.ts';
import type { CheckoutRecord } from '../stores/checkout-store.ts';
import { mailLanguage, shopperLocale } from '../mail/mail-words.ts';
import { cartReminderEmail } from '../mail/templates.ts';
import type { CheckoutDeps } from './context.ts';

const DAY_MS = 24 * 60 * 60 * 1000;
/** A reminder's cart link lives as long as a cart does; older checkouts are not reminded at all. */
const CART_LIFETIME_MS = 7 * DAY_MS;
/** An unsubscribe link keeps working for a long time: people act on old emails. */
const UNSUBSCRIBE_LINK_MS = 365 * DAY_MS;

type ReminderDeps = Pick<CheckoutDeps, 'tx' | 'checkouts' | 'carts' | 'outbox' | 'unsubscribes' | 'tokens' | 'clock' | 'logger' | 'settings'>;

export async function sendCartReminders(deps: ReminderDeps): Promise<number> {
  const { abandonedCartMs, secondReminderMs } = deps.settings;
  const now = deps.clock();
  const due = [
    ...await deps.checkouts.reminderDue({ remindersSent: 0, notAfter: now - abandonedCartMs, notBefore: now - CART_LIFETIME_MS, lastReminderBefore: now }),
    ...(secondReminderMs > 0
      ? await deps.checkouts.reminderDue({ remindersSent: 1, notAfter: now - abandonedCartMs, notBefore: now - CART_LIFETIME_MS, lastReminderBefore: now - secondReminderMs })
      : []),
  ];
  let sent = 0;
  for (const checkout of due) {
    try {
      if (await remind(deps, checkout)) sent++;
    } catch (err) {
      deps.logger.warn('could not send a cart reminder; will try again', { checkoutId: checkout.id, error: String(err) });
    }
  }
  return sent;
}

async function remind(deps: ReminderDeps, checkout: CheckoutRecord): Promise<boolean> {
  // The cart as it is now: what the link will show. Gone or emptied: nothing to remind of, ever.
  const cart = await deps.carts.get(checkout.cartId).catch((err: unknown) => {
    // Gone (expired) is final; anything else (Redis down) means try again next pass.
    if (err instanceof DomainError && err.code === 'cart_not_found') return null;
    throw err;
  });
  const now = deps.clock();
  return deps.tx(async () => {
    if (!await deps.checkouts.claimReminder(checkout.id, checkout.remindersSent, now)) return false;
    if (!cart || cart.items.length === 0) return false;
    if (await deps.unsubscribes.isUnsubscribed(checkout.email)) return false;
    if (await deps.outbox.queuedSince(checkout.email, 'reminder:', now - DAY_MS) >= deps.settings.remindersPerAddressPerDay) return false;
    const { publicUrl, shopName } = deps.settings;
    const locale = shopperLocale(checkout, deps.settings.locale);
    return deps.outbox.enqueue(`reminder:${checkout.id}:${checkout.remindersSent + 1}`, cartReminderEmail({
      to: checkout.email, items: cart.items, totals: cart.totals, currency: cart.currency, couponCode: cart.couponCode,
      // The pages they open speak the email's language (`lang`, outside the signed token: it grants nothing).
      restoreUrl: `${publicUrl}/cart/restore/${deps.tokens.signFor('restore', cart.id, now + CART_LIFETIME_MS)}?lang=${mailLanguage(locale)}`,
      unsubscribeUrl: `${publicUrl}/unsubscribe/${deps.tokens.signFor('unsubscribe', checkout.email.toLowerCase(), now + UNSUBSCRIBE_LINK_MS)}?lang=${mailLanguage(locale)}`,
      shopName, locale,
    }), now);
  });
}
