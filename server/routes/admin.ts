import { Hono } from 'hono';
import { catalogFile } from '../catalog/catalog-file.ts';
import type { Catalog } from '../catalog/catalog.ts';
import { adminAuth } from '../http/admin-auth.ts';
import { jsonBody } from '../http/validate.ts';

/** Merchant operations behind Bearer ADMIN_TOKEN. Routers from later features mount here too. */
export function adminRoutes(o: { adminToken: string | undefined; catalog: Catalog; extra?: Hono[] }): Hono {
  const app = new Hono().use('*', adminAuth(o.adminToken));
  app.get('/products', (c) => c.json({ products: o.catalog.listAll() }));
  // Same format as server/catalog/seed.json: products and coupons are inserted or replaced.
  app.put('/catalog', async (c) => c.json({ loaded: o.catalog.load(await jsonBody(c, catalogFile)) }));
  for (const router of o.extra ?? []) app.route('/', router);
  return app;
}
