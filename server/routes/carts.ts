import { Hono } from 'hono';
import { addItemBody, applyCouponBody, cartIdParam, checkoutBody, productIdParam, setQuantityBody } from '../../shared/api.ts';
import { DomainError } from '../../shared/errors.ts';
import { cartNotFound, type CartService } from '../carts/cart-service.ts';
import type { CheckoutDeps } from '../checkout/context.ts';
import { startCheckout } from '../checkout/start-checkout.ts';
import type { ShopLimits } from '../http/shop-limits.ts';
import { jsonBody, param } from '../http/validate.ts';

const lineNotFound = new DomainError('not_found', 'That item is not in the cart.');

/** `/api/carts/*`: the cart and its checkout. */
export function cartRoutes(carts: CartService, checkout: CheckoutDeps, limits: ShopLimits): Hono {
  const cartId = (id: string | undefined) => param(cartIdParam, id, cartNotFound());
  const productId = (id: string | undefined) => param(productIdParam, id, lineNotFound);

  return new Hono()
    .post('/', limits.cartCreation, async (c) => c.json({ cart: await carts.create() }, 201))
    .get('/:id', async (c) => c.json({ cart: await carts.get(cartId(c.req.param('id'))) }))
    .post('/:id/items', async (c) => {
      const id = cartId(c.req.param('id'));
      const body = await jsonBody(c, addItemBody);
      return c.json({ cart: await carts.addItem(id, body.productId, body.quantity) });
    })
    .patch('/:id/items/:productId', async (c) => {
      const id = cartId(c.req.param('id'));
      const product = productId(c.req.param('productId'));
      const body = await jsonBody(c, setQuantityBody);
      return c.json({ cart: await carts.setQuantity(id, product, body.quantity) });
    })
    .delete('/:id/items/:productId', async (c) => {
      const id = cartId(c.req.param('id'));
      return c.json({ cart: await carts.removeItem(id, productId(c.req.param('productId'))) });
    })
    .post('/:id/coupon', limits.couponAttempt, async (c) => {
      const id = cartId(c.req.param('id'));
      const body = await jsonBody(c, applyCouponBody);
      return c.json({ cart: await carts.applyCoupon(id, body.code) });
    })
    .delete('/:id/coupon', async (c) => c.json({ cart: await carts.removeCoupon(cartId(c.req.param('id'))) }))
    .post('/:id/checkout', limits.checkoutStart, async (c) => {
      const id = cartId(c.req.param('id'));
      return c.json(await startCheckout(checkout, id, await jsonBody(c, checkoutBody)));
    });
}
