import { Hono } from 'hono';
import type { Product, PublicConfig } from '../../shared/api.ts';
import type { Catalog, ProductRecord } from '../catalog/catalog.ts';
import { absoluteUrl } from '../carts/price-cart.ts';

export function toPublicProduct(p: ProductRecord, catalog: Catalog, publicUrl: string, now: number): Product {
  return {
    id: p.id, name: p.name, description: p.description, price: p.price, currency: p.currency,
    imageUrl: absoluteUrl(p.image, publicUrl), stock: catalog.available(p, now),
  };
}

/** `GET /api/config` and `GET /api/products`: what the widget needs before the first click. */
export function catalogRoutes(o: { catalog: Catalog; publicConfig: () => PublicConfig; publicUrl: string; clock: () => number }) {
  return new Hono()
    .get('/config', (c) => c.json(o.publicConfig()))
    .get('/products', (c) => {
      const now = o.clock();
      return c.json({ products: o.catalog.listActive().map((p) => toPublicProduct(p, o.catalog, o.publicUrl, now)) });
    });
}
