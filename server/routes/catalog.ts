import { Hono } from 'hono';
import type { Product, PublicConfig } from '../../shared/api.ts';
import type { Catalog, ProductRecord } from '../catalog/catalog.ts';
import { absoluteUrl } from '../carts/price-cart.ts';

export async function toPublicProduct(p: ProductRecord, catalog: Catalog, publicUrl: string, now: number): Promise<Product> {
  return {
    id: p.id, name: p.name, description: p.description, price: p.price, currency: p.currency,
    imageUrl: absoluteUrl(p.image, publicUrl), stock: await catalog.available(p, now),
  };
}

/** `GET /api/config` and `GET /api/products`: what the widget needs before the first click. */
export function catalogRoutes(o: { catalog: Catalog; publicConfig: () => PublicConfig; publicUrl: string; clock: () => number }) {
  return new Hono()
    .get('/config', (c) => c.json(o.publicConfig()))
    .get('/products', async (c) => {
      const now = o.clock();
      const products = await o.catalog.listActive();
      return c.json({ products: await Promise.all(products.map((p) => toPublicProduct(p, o.catalog, o.publicUrl, now))) });
    });
}
