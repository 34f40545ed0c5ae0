import { Hono, type Context, type MiddlewareHandler } from 'hono';
import { bearerAuth } from 'hono/bearer-auth';
import { z } from 'zod';
import { DomainError } from '../../shared/errors.ts';
import { catalogFile, productInput } from '../catalog/catalog-file.ts';
import type { Catalog } from '../catalog/catalog.ts';
import { stockInstruction } from '../catalog/stock.ts';
import type { AdminStores } from '../admin/context.ts';
import type { CheckoutDeps } from '../checkout/context.ts';
import { errorResponse } from '../http/errors.ts';
import { jsonBody, validated } from '../http/validate.ts';
import { adminCatalogRoutes } from './admin-catalog.ts';
import { adminMetricsRoutes } from './admin-metrics.ts';
import { adminOrderRoutes } from './admin-orders.ts';

/** Whoever holds ADMIN_TOKEN; there is one token, so one name in the stock ledger. */
const ADMIN_ACTOR = 'admin';
const productParam = validated('param', z.object({ id: productInput.shape.id }), () => new DomainError('product_not_found', 'No such product.'));
const historyQuery = z.object({ limit: z.coerce.number().int().min(1).max(1000).default(100) });

/**
 * Bearer ADMIN_TOKEN through hono's bearerAuth (compared in constant time). A missing, malformed
 * or wrong token is one 401 in the API's envelope. With no token configured the admin API is
 * closed, not open.
 */
function adminAuth(adminToken: string | undefined): MiddlewareHandler {
  if (!adminToken) {
    return async () => {
      throw new DomainError('forbidden', 'The admin API is disabled: set ADMIN_TOKEN to enable it.');
    };
  }
  const refuse = { message: (c: Context) => errorResponse(c, new DomainError('unauthorized', 'A valid admin token is required.')) };
  return bearerAuth({ token: adminToken, noAuthenticationHeader: refuse, invalidAuthenticationHeader: refuse, invalidToken: refuse });
}

/** Merchant operations behind Bearer ADMIN_TOKEN: the catalog, stock, orders, checkouts and the funnel. */
export function adminRoutes(o: { adminToken: string | undefined; catalog: Catalog; checkout: CheckoutDeps; stores: AdminStores; currency: string; clock: () => number }) {
  return new Hono()
    .use('*', adminAuth(o.adminToken))
    .get('/products', async (c) => c.json({ products: await o.catalog.listAll() }))
    // Same format as server/catalog/seed.json. Adds and updates products and coupons; never touches
    // an existing product's stock or a coupon's uses (see README, "Loading your own catalog").
    .put('/catalog', jsonBody(catalogFile), async (c) => c.json({ loaded: await o.catalog.load(c.req.valid('json'), { actor: 'catalog-upload', now: o.clock() }) }))
    // The one way to change an existing product's stock by hand: `{ set | adjust, reason }`.
    .post('/products/:id/stock', productParam, jsonBody(stockInstruction), async (c) => {
      const movement = await o.catalog.changeStock(c.req.valid('param').id, c.req.valid('json'), { actor: ADMIN_ACTOR, now: o.clock() });
      return c.json({ movement }, 201);
    })
    .get('/products/:id/stock-movements', productParam, validated('query', historyQuery), async (c) =>
      c.json({ movements: await o.catalog.stockHistory(c.req.valid('param').id, c.req.valid('query').limit) }))
    .route('/', adminCatalogRoutes({ catalog: o.catalog, clock: o.clock, actor: ADMIN_ACTOR }))
    .route('/', adminOrderRoutes({ ...o.checkout, ...o.stores }))
    .route('/', adminMetricsRoutes({ stores: o.stores, currency: o.currency, clock: o.clock }));
}
