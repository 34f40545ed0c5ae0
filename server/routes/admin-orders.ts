import { Hono } from 'hono';
import { z } from 'zod';
import { checkoutStatus } from '../../shared/api.ts';
import { DomainError } from '../../shared/errors.ts';
import type { CheckoutDeps } from '../checkout/context.ts';
import { toState } from '../checkout/checkout-status.ts';
import { param } from '../http/validate.ts';

const listQuery = z.object({
  status: z.enum(['paid', 'needs_attention', 'refunded', 'partially_refunded']).optional(),
  limit: z.coerce.number().int().min(1).max(500).default(100),
  offset: z.coerce.number().int().min(0).default(0),
});

/** Orders and checkouts for the merchant; mounted under the admin router (Bearer ADMIN_TOKEN). */
export function adminOrderRoutes(deps: CheckoutDeps): Hono {
  const query = <S extends z.ZodType>(schema: S, value: unknown): z.infer<S> => {
    const parsed = schema.safeParse(value);
    if (!parsed.success) throw new DomainError('validation_failed', parsed.error.issues[0]?.message ?? 'Bad query.');
    return parsed.data;
  };
  return new Hono()
    .get('/orders', (c) => {
      const q = query(listQuery, c.req.query());
      return c.json({ orders: deps.orders.list(q), total: deps.orders.count() });
    })
    .get('/orders/:id', (c) => {
      const order = deps.orders.byId(param(z.string().max(64), c.req.param('id'), new DomainError('order_not_found', 'No such order.')));
      if (!order) throw new DomainError('order_not_found', 'No such order.');
      return c.json({ order, attempts: deps.checkouts.attempts(order.checkoutId), automaticRefunds: deps.refunds.forOrder(order.id) });
    })
    .get('/checkouts', (c) => {
      const q = query(z.object({ status: checkoutStatus.optional(), limit: z.coerce.number().int().min(1).max(500).default(100) }), c.req.query());
      return c.json({ checkouts: deps.checkouts.listByStatus(q.status, q.limit).map((ch) => ({ ...toState(deps, ch), clientSecret: undefined, expiresAt: new Date(ch.expiresAt).toISOString() })) });
    });
}
