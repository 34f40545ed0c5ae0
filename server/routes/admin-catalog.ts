import { Hono } from 'hono';
import { z } from 'zod';
import { noControlCharacters } from '../../shared/api.ts';
import { DomainError } from '../../shared/errors.ts';
import { couponInput, productInput } from '../catalog/catalog-file.ts';
import type { Catalog } from '../catalog/catalog.ts';
import { couponChanges } from '../catalog/coupon-admin.ts';
import { productChanges } from '../catalog/product-admin.ts';
import { jsonBody, validated } from '../http/validate.ts';

const productParam = validated('param', z.object({ id: productInput.shape.id }), () => new DomainError('product_not_found', 'No such product.'));
const couponParam = validated('param', z.object({ code: noControlCharacters(z.string().trim().min(1).max(64)) }), () => new DomainError('coupon_not_found', 'No such coupon.'));

/** Products and coupons one at a time (the catalog file, `PUT /catalog`, loads many). Deactivating is `{ active: false }`. */
export function adminCatalogRoutes(o: { catalog: Catalog; clock: () => number; actor: string }) {
  return new Hono()
    .post('/products', jsonBody(productInput), async (c) => c.json({ product: await o.catalog.createProduct(c.req.valid('json'), { actor: o.actor, now: o.clock() }) }, 201))
    .patch('/products/:id', productParam, jsonBody(productChanges), async (c) =>
      c.json({ product: await o.catalog.updateProduct(c.req.valid('param').id, c.req.valid('json')) }))
    .get('/coupons', async (c) => c.json({ coupons: await o.catalog.coupons() }))
    // Rates change through the catalog file (PUT /catalog); this lists them all, withdrawn ones too.
    .get('/shipping-rates', async (c) => c.json({ shippingRates: await o.catalog.shippingRates({ all: true }) }))
    .post('/coupons', jsonBody(couponInput), async (c) => c.json({ coupon: await o.catalog.createCoupon(c.req.valid('json')) }, 201))
    .patch('/coupons/:code', couponParam, jsonBody(couponChanges), async (c) =>
      c.json({ coupon: await o.catalog.updateCoupon(c.req.valid('param').code, c.req.valid('json')) }));
}
