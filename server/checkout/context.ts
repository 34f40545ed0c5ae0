import type Stripe from 'stripe';
import type { Catalog } from '../catalog/catalog.ts';
import type { CartService } from '../carts/cart-service.ts';
import type { Db } from '../db/database.ts';
import type { Logger } from '../logger.ts';
import type { OrderStore } from '../orders/order-store.ts';
import type { AutomaticRefundStore } from './automatic-refunds.ts';
import type { CheckoutStore } from './checkout-store.ts';
import type { RetryTokens } from './retry-token.ts';
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
  /** At most this many recovery emails to one address in 24 hours, whatever the checkouts. */
  recoveryEmailsPerAddressPerDay: number;
  /** After this many failed payments a checkout is closed and its hold released (card testing). */
  maxFailedPaymentsPerCheckout: number;
  publicUrl: string;
  shopName: string;
  locale: string;
}

/** Everything the checkout flow works with, built once in compose.ts. */
export interface CheckoutDeps {
  db: Db;
  checkouts: CheckoutStore;
  orders: OrderStore;
  refunds: AutomaticRefundStore;
  catalog: Catalog;
  carts: CartService;
  stripe: Stripe;
  bus: StatusBus;
  tokens: RetryTokens;
  clock: () => number;
  logger: Logger;
  settings: CheckoutSettings;
}
