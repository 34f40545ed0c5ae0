import { Hono } from 'hono';
import { z } from 'zod';
import { DomainError } from '../../shared/errors.ts';
import { catalogFile, productInput } from '../catalog/catalog-file.ts';
import type { Catalog } from '../catalog/catalog.ts';
import { stockInstruction } from '../catalog/stock.ts';
import type { CheckoutDeps } from '../checkout/context.ts';
import { adminAuth } from '../http/admin-auth.ts';
import { jsonBody, param } from '../http/validate.ts';
import { adminOrderRoutes } from './admin-orders.ts';

/** Whoever holds ADMIN_TOKEN; there is one token, so one name in the stock ledger. */
const ADMIN_ACTOR = 'admin';
const productNotFound = new DomainError('product_not_found', 'No such product.');
const historyLimit = z.coerce.number().int().min(1).max(1000).default(100);

/** Merchant operations behind Bearer ADMIN_TOKEN: the catalog, stock, orders and checkouts. */
export function adminRoutes(o: { adminToken: string | undefined; catalog: Catalog; checkout: CheckoutDeps; clock: () => number }): Hono {
  const app = new Hono().use('*', adminAuth(o.adminToken));
  const productId = (id: string | undefined) => param(productInput.shape.id, id, productNotFound);
  app.get('/products', (c) => c.json({ products: o.catalog.listAll() }));
  // Same format as server/catalog/seed.json. Adds and updates products and coupons; never touches
  // an existing product's stock or a coupon's uses (see README, "Loading your own catalog").
  app.put('/catalog', async (c) => {
    const file = await jsonBody(c, catalogFile);
    return c.json({ loaded: o.catalog.load(file, { actor: 'catalog-upload', now: o.clock() }) });
  });
  // The one way to change an existing product's stock by hand: `{ set | adjust, reason }`.
  app.post('/products/:id/stock', async (c) => {
    const id = productId(c.req.param('id'));
    const movement = o.catalog.changeStock(id, await jsonBody(c, stockInstruction), { actor: ADMIN_ACTOR, now: o.clock() });
    return c.json({ movement }, 201);
  });
  app.get('/products/:id/stock-movements', (c) => {
    const id = productId(c.req.param('id'));
    const limit = historyLimit.safeParse(c.req.query('limit'));
    if (!limit.success) throw new DomainError('validation_failed', 'limit must be an integer from 1 to 1000.');
    return c.json({ movements: o.catalog.stockHistory(id, limit.data) });
  });
  app.route('/', adminOrderRoutes(o.checkout));
  return app;
}
