/**
 * Sends an order's confirmation again (the shopper lost it, or typed their address with a typo
 * the merchant has since fixed at their end). Each resend is a new outbox row with a key of its
 * own, so it goes out even though the original was sent; at most one per order per
 * RESEND_COOLDOWN_MS and RESENDS_PER_DAY a day, so a stuck button or script can't flood an inbox.
 */
import { DomainError } from '../../shared/errors.ts';
import { rateLimitedError } from '../http/rate-limit.ts';
import { shopperLocale } from '../mail/mail-words.ts';
import { orderConfirmationEmail } from '../mail/templates.ts';
import { publicOrder } from '../stores/order-store.ts';
import type { AdminDeps } from './context.ts';

export const RESEND_COOLDOWN_MS = 5 * 60_000;
export const RESENDS_PER_DAY = 5;
const DAY_MS = 24 * 60 * 60_000;

export function resendConfirmation(deps: AdminDeps, orderId: string): Promise<{ queued: string }> {
  return deps.tx(async () => {
    // Locked: two resends at once count each other (PostgreSQL; SQLite's write lock does it there).
    const order = await deps.orders.lockById(orderId);
    if (!order) throw new DomainError('order_not_found', 'No such order.');
    // An order refunded at once for want of stock or its coupon was never confirmed: nothing to resend.
    if (!await deps.outbox.has(`order:${order.id}:confirmation`)) {
      throw new DomainError('order_not_confirmed', `${order.number} was never confirmed to the shopper, so there is nothing to resend.`);
    }
    const now = deps.clock();
    const prefix = `order:${order.id}:resend:`;
    const recent = await deps.outbox.countWithPrefix(prefix, now - RESEND_COOLDOWN_MS);
    if (recent > 0 || await deps.outbox.countWithPrefix(prefix, now - DAY_MS) >= RESENDS_PER_DAY) {
      const wait = recent > 0 ? RESEND_COOLDOWN_MS : DAY_MS;
      throw rateLimitedError(Math.ceil(wait / 1000));
    }
    const key = `${prefix}${await deps.outbox.countWithPrefix(prefix, 0) + 1}`;
    const { shopName, shopUrl } = deps.settings;
    const locale = shopperLocale(await deps.checkouts.byId(order.checkoutId), deps.settings.locale);
    await deps.outbox.enqueue(key, orderConfirmationEmail({ order: publicOrder(order), shopName, locale, shopUrl }), now);
    return { queued: key };
  });
}
