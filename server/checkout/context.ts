import type Stripe from 'stripe';
import type { Catalog } from '../catalog/catalog.ts';
import type { CartService } from '../carts/cart-service.ts';
import type { Transaction } from '../db/database.ts';
import type { Logger } from '../logger.ts';
import type { OrderStore } from '../stores/order-store.ts';
import type { Outbox } from '../mail/outbox.ts';
import type { AutomaticRefundStore } from '../stores/automatic-refund-store.ts';
import type { DisputeStore } from '../stores/dispute-store.ts';
import type { RefundFailureStore } from '../stores/refund-failure-store.ts';
import type { CheckoutStore } from '../stores/checkout-store.ts';
import type { UnsubscribeStore } from '../stores/unsubscribe-store.ts';
import type { WebhookEventStore } from '../stores/webhook-event-store.ts';
import type { LinkTokens } from './link-tokens.ts';
import type { StatusBus } from './status-bus.ts';

export interface CheckoutSettings {
  /** How long a new checkout holds stock and its coupon use. */
  checkoutTtlMs: number;
  /** After a failed payment the hold (and the recovery link) lasts until this long after the checkout began; it never grows with more declines. */
  recoveryHoldMs: number;
  /** At most one recovery email per checkout per this period. */
  recoveryCooldownMs: number;
  /** A recovery email waits this long after a failed payment, and goes only if the checkout is still unpaid. */
  recoveryEmailDelayMs: number;
  /** A checkout with an email and no payment gets a reminder this long after it was last touched. */
  abandonedCartMs: number;
  /** A second reminder this long after the first; 0: none. */
  secondReminderMs: number;
  /** At most this many cart reminders to one address in 24 hours. */
  remindersPerAddressPerDay: number;
  /** At most this many recovery emails to one address in 24 hours, whatever the checkouts. */
  recoveryEmailsPerAddressPerDay: number;
  /** After this many failed payments a checkout is closed and its hold released (card testing). */
  maxFailedPaymentsPerCheckout: number;
  publicUrl: string;
  shopName: string;
  /** Where a shopper goes back to the shop: SHOP_URL, else the checkout server's own shop page. */
  shopUrl: string;
  locale: string;
}

/** Everything the checkout flow works with, built once in compose.ts. */
export interface CheckoutDeps {
  /** Runs its work in one write transaction across every store below. */
  tx: Transaction;
  checkouts: CheckoutStore;
  orders: OrderStore;
  refunds: AutomaticRefundStore;
  /** Refunds Stripe made that failed later (./refund-failed.ts). */
  refundFailures: RefundFailureStore;
  disputes: DisputeStore;
  webhookEvents: WebhookEventStore;
  outbox: Outbox;
  unsubscribes: UnsubscribeStore;
  catalog: Catalog;
  carts: CartService;
  stripe: Stripe;
  bus: StatusBus;
  tokens: LinkTokens;
  clock: () => number;
  logger: Logger;
  settings: CheckoutSettings;
}
