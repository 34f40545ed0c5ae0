import { z } from 'zod';
import { noControlCharacters } from '../../shared/api.ts';
import type { CheckoutDeps } from '../checkout/context.ts';
import type { Db } from '../db/database.ts';
import type { Logger } from '../logger.ts';
import { AdminRefundStore } from '../stores/admin-refund-store.ts';
import { FunnelStore } from '../stores/funnel-store.ts';
import { MetricsStore } from '../stores/metrics-store.ts';
import { OrderHistoryStore } from '../stores/order-history-store.ts';

/** What the merchant's operations read and write, beside the checkout flow's own stores. */
export interface AdminStores {
  adminRefunds: AdminRefundStore;
  history: OrderHistoryStore;
  metrics: MetricsStore;
  funnel: FunnelStore;
}

export function adminStores(db: Db, logger: Logger): AdminStores {
  return { adminRefunds: new AdminRefundStore(db), history: new OrderHistoryStore(db), metrics: new MetricsStore(db), funnel: new FunnelStore(db, logger) };
}

/** The checkout flow's deps (orders, Stripe, outbox, the one transaction) and the admin stores. */
export type AdminDeps = CheckoutDeps & AdminStores;

/** The name of whoever acts, for the record (one token, many people). */
export const actorField = noControlCharacters(z.string().trim().min(1).max(100)).optional();

/** Whoever holds ADMIN_TOKEN, optionally with the name they gave ("admin:Ada"): who did what, in the records. */
export function actorName(name: string | undefined): string {
  return name ? `admin:${name}` : 'admin';
}
