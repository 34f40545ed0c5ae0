import { Hono } from 'hono';
import { z } from 'zod';
import { checkoutStatus, noControlCharacters, orderStatus } from '../../shared/api.ts';
import { dayEnd, dayStart, isDay } from '../../shared/days.ts';
import { DomainError } from '../../shared/errors.ts';
import { actorField, actorName, type AdminDeps } from '../admin/context.ts';
import { orderAddress } from '../admin/order-address.ts';
import { ordersCsv } from '../admin/orders-csv.ts';
import { refundableLeft, refundOrder, refundRequest } from '../admin/refund-order.ts';
import { resendConfirmation } from '../admin/resend-confirmation.ts';
import { resolveOrder, resolveRequest } from '../admin/resolve-order.ts';
import { toState } from '../checkout/checkout-status.ts';
import { jsonBody, validated } from '../http/validate.ts';
import type { OrderFilters } from '../stores/order-store.ts';

/** A day of the calendar (UTC), YYYY-MM-DD. */
export const dayParam = z.string().refine(isDay, 'a day as YYYY-MM-DD');

const filters = z.object({
  /** An order number (CO-1001 or 1001) or part of an email. */
  q: noControlCharacters(z.string().trim().max(254)).optional(),
  status: orderStatus.optional(),
  /** First and last day (UTC) of the orders' creation, both included. */
  from: dayParam.optional(),
  to: dayParam.optional(),
});
const inOrder = (f: { from?: string; to?: string }) => !f.from || !f.to || f.from <= f.to;
const listQuery = filters.extend({
  limit: z.coerce.number().int().min(1).max(500).default(100),
  offset: z.coerce.number().int().min(0).default(0),
}).refine(inOrder, { message: 'from is after to', path: ['from'] });
const exportQuery = filters.refine(inOrder, { message: 'from is after to', path: ['from'] });

const checkoutsQuery = z.object({ status: checkoutStatus.optional(), limit: z.coerce.number().int().min(1).max(500).default(100) });

const MAX_EXPORT_ROWS = 100_000;

const orderNotFound = () => new DomainError('order_not_found', 'No such order.');
const orderParam = validated('param', z.object({ id: noControlCharacters(z.string().max(64)) }), orderNotFound);

function toFilters(q: z.infer<typeof filters>): OrderFilters {
  return { q: q.q, status: q.status, from: q.from ? dayStart(q.from) : undefined, to: q.to ? dayEnd(q.to) : undefined };
}

/** Orders and checkouts for the merchant; mounted under the admin router (Bearer ADMIN_TOKEN). */
export function adminOrderRoutes(deps: AdminDeps) {
  return new Hono()
    .get('/orders', validated('query', listQuery), async (c) => {
      const q = c.req.valid('query');
      return c.json(await deps.orders.search({ ...toFilters(q), limit: q.limit, offset: q.offset }));
    })
    .get('/orders.csv', validated('query', exportQuery), async (c) => {
      const { orders } = await deps.orders.search({ ...toFilters(c.req.valid('query')), limit: MAX_EXPORT_ROWS, offset: 0 });
      return c.body(ordersCsv(orders), 200, {
        'content-type': 'text/csv; charset=utf-8',
        'content-disposition': `attachment; filename="orders-${new Date(deps.clock()).toISOString().slice(0, 10)}.csv"`,
        'cache-control': 'no-store',
      });
    })
    .get('/orders/:id', orderParam, async (c) => {
      const order = await deps.orders.byId(c.req.valid('param').id);
      if (!order) throw orderNotFound();
      return c.json({
        order, refundable: await refundableLeft(deps, order), attempts: await deps.checkouts.attempts(order.checkoutId),
        automaticRefunds: await deps.refunds.forOrder(order.id), disputes: await deps.disputes.forOrder(order.id), refunds: await deps.adminRefunds.forOrder(order.id),
        resolutions: await deps.orders.resolutions(order.id), events: await deps.history.events(order),
        address: await orderAddress(deps.stripe, order, deps.logger),
      });
    })
    // Full or partial, through Stripe, once per idempotency key (see admin/refund-order.ts).
    .post('/orders/:id/refunds', orderParam, jsonBody(refundRequest.extend({ by: actorField })), async (c) => {
      const { by, ...request } = c.req.valid('json');
      return c.json(await refundOrder(deps, c.req.valid('param').id, request, actorName(by)), 201);
    })
    .post('/orders/:id/resend-confirmation', orderParam, async (c) => {
      try {
        return c.json(await resendConfirmation(deps, c.req.valid('param').id), 202);
      } catch (err) {
        const wait = err instanceof DomainError && err.code === 'rate_limited' ? (err.details as { retryAfterSeconds?: number }).retryAfterSeconds : undefined;
        if (wait !== undefined) c.header('Retry-After', String(wait));
        throw err;
      }
    })
    .post('/orders/:id/resolve', orderParam, jsonBody(resolveRequest), async (c) => {
      const { note, by } = c.req.valid('json');
      return c.json({ order: await resolveOrder(deps, c.req.valid('param').id, note, actorName(by)) });
    })
    .get('/checkouts', validated('query', checkoutsQuery), async (c) => {
      const { status, limit } = c.req.valid('query');
      const checkouts = await deps.checkouts.listByStatus(status, limit);
      return c.json({ checkouts: await Promise.all(checkouts.map(async (ch) => ({ ...await toState(deps, ch), clientSecret: undefined, expiresAt: new Date(ch.expiresAt).toISOString() }))) });
    });
}
