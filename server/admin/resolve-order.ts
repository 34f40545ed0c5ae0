import { z } from 'zod';
import { noControlCharacters } from '../../shared/api.ts';
import { DomainError } from '../../shared/errors.ts';
import type { OrderRecord } from '../stores/order-store.ts';
import { actorField, type AdminDeps } from './context.ts';

export const resolveRequest = z.object({
  note: noControlCharacters(z.string().trim().min(1, 'say what was done').max(2000), { lines: true }),
  by: actorField,
});

/** Marks a needs_attention order dealt with: who, when and the note are kept (the order's history). */
export function resolveOrder(deps: AdminDeps, orderId: string, note: string, actor: string): Promise<OrderRecord> {
  return deps.tx(async () => {
    const order = await deps.orders.lockById(orderId);
    if (!order) throw new DomainError('order_not_found', 'No such order.');
    if (order.status !== 'needs_attention') {
      throw new DomainError('order_not_needing_attention', `${order.number} is ${order.status}: only a needs_attention order can be resolved.`);
    }
    await deps.orders.resolve(order, { by: actor, note, now: deps.clock() });
    return await deps.orders.byId(orderId) ?? order;
  });
}
