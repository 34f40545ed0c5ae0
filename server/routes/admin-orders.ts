import { Hono } from 'hono';
import { z } from 'zod';
import { checkoutStatus, orderStatus } from '../../shared/api.ts';
import { DomainError } from '../../shared/errors.ts';
import type { CheckoutDeps } from '../checkout/context.ts';
import { toState } from '../checkout/checkout-status.ts';
import { validated } from '../http/validate.ts';

const listQuery = z.object({
  status: orderStatus.optional(),
  limit: z.coerce.number().int().min(1).max(500).default(100),
  offset: z.coerce.number().int().min(0).default(0),
});

const checkoutsQuery = z.object({ status: checkoutStatus.optional(), limit: z.coerce.number().int().min(1).max(500).default(100) });

const orderNotFound = () => new DomainError('order_not_found', 'No such order.');

/** Orders and checkouts for the merchant; mounted under the admin router (Bearer ADMIN_TOKEN). */
export function adminOrderRoutes(deps: CheckoutDeps) {
  return new Hono()
    .get('/orders', validated('query', listQuery), (c) => c.json({ orders: deps.orders.list(c.req.valid('query')), total: deps.orders.count() }))
    .get('/orders/:id', validated('param', z.object({ id: z.string().max(64) }), orderNotFound), (c) => {
      const order = deps.orders.byId(c.req.valid('param').id);
      if (!order) throw orderNotFound();
      return c.json({ order, attempts: deps.checkouts.attempts(order.checkoutId), automaticRefunds: deps.refunds.forOrder(order.id), disputes: deps.disputes.forOrder(order.id) });
    })
    .get('/checkouts', validated('query', checkoutsQuery), (c) => {
      const { status, limit } = c.req.valid('query');
      return c.json({ checkouts: deps.checkouts.listByStatus(status, limit).map((ch) => ({ ...toState(deps, ch), clientSecret: undefined, expiresAt: new Date(ch.expiresAt).toISOString() })) });
    });
}
