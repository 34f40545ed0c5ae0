import { Hono } from 'hono';
import { z } from 'zod';
import { addItemBody, applyCouponBody, cartIdParam, checkoutBody, productIdParam, setQuantityBody, shippingQuery } from '../../shared/api.ts';
import { DomainError } from '../../shared/errors.ts';
import { cartNotFound, type CartService } from '../carts/cart-service.ts';
import type { CheckoutDeps } from '../checkout/context.ts';
import { startCheckout } from '../checkout/start-checkout.ts';
import type { ShopLimits } from '../http/shop-limits.ts';
import { jsonBody, validated } from '../http/validate.ts';

/** A signed link's token. Its signature is its real check (LinkTokens.verifyFor); here it is only read. */
export const linkTokenParam = validated('param', z.object({ token: z.string().max(1000) }));

const lineNotFound = () => new DomainError('not_found', 'That item is not in the cart.');

// A malformed id names nothing: the same 404 as an id that is well formed but unknown.
const cartParam = validated('param', z.object({ id: cartIdParam }), cartNotFound);
const lineParam = validated('param', z.object({ id: cartIdParam, productId: productIdParam }), (field) => (field === 'id' ? cartNotFound() : lineNotFound()));

/** `/api/carts/*`: the cart and its checkout. */
export function cartRoutes(carts: CartService, checkout: CheckoutDeps, limits: ShopLimits) {
  return new Hono()
    .post('/', limits.cartCreation, async (c) => c.json({ cart: await carts.create() }, 201))
    // A reminder email's link back to a cart: the signed token names the cart; the answer hands it over.
    .get('/restore/:token', linkTokenParam, async (c) => {
      const cartId = checkout.tokens.verifyFor('restore', c.req.valid('param').token, checkout.clock());
      return c.json({ cart: await carts.get(cartId) });
    })
    .get('/:id', cartParam, async (c) => c.json({ cart: await carts.get(c.req.valid('param').id) }))
    .post('/:id/items', cartParam, jsonBody(addItemBody), async (c) => {
      const { productId, quantity } = c.req.valid('json');
      return c.json({ cart: await carts.addItem(c.req.valid('param').id, productId, quantity) });
    })
    .patch('/:id/items/:productId', lineParam, jsonBody(setQuantityBody), async (c) => {
      const { id, productId } = c.req.valid('param');
      return c.json({ cart: await carts.setQuantity(id, productId, c.req.valid('json').quantity) });
    })
    .delete('/:id/items/:productId', lineParam, async (c) => {
      const { id, productId } = c.req.valid('param');
      return c.json({ cart: await carts.removeItem(id, productId) });
    })
    .post('/:id/coupon', limits.couponAttempt, cartParam, jsonBody(applyCouponBody), async (c) =>
      c.json({ cart: await carts.applyCoupon(c.req.valid('param').id, c.req.valid('json').code) }))
    .delete('/:id/coupon', cartParam, async (c) => c.json({ cart: await carts.removeCoupon(c.req.valid('param').id) }))
    .get('/:id/shipping-rates', cartParam, validated('query', shippingQuery), async (c) =>
      c.json(await carts.shippingQuote(c.req.valid('param').id, c.req.valid('query').country)))
    .post('/:id/checkout', limits.checkoutStart, cartParam, jsonBody(checkoutBody), async (c) =>
      c.json(await startCheckout(checkout, c.req.valid('param').id, c.req.valid('json'))));
}
