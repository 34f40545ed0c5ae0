/** The admin API as tests call it: with the test server's token, and orders paid through the real flow. */
import type { JsonAnswer, JsonRequest } from './fetch-json.ts';
import { ADMIN_TOKEN, cartWith, checkout, pay, webhooksSettled, type TestServer } from './server.ts';
import type { OrderRecord } from '../../server/stores/order-store.ts';

export function admin<T = unknown>(s: TestServer, path: string, init: JsonRequest = {}): Promise<JsonAnswer<T>> {
  return s.api<T>(`/api/admin${path}`, { ...init, headers: { authorization: `Bearer ${ADMIN_TOKEN}`, ...init.headers } });
}

/** A cart paid (with 4242 unless told) and its webhooks handled: the order it became. */
export async function paidOrder(s: TestServer, lines: [productId: string, quantity: number][], email: string, coupon?: string, paymentMethod?: string): Promise<OrderRecord> {
  const cart = await cartWith(s, lines, coupon);
  const started = await checkout(s, cart.id, email);
  if (started.status !== 200) throw new Error(`checkout: ${JSON.stringify(started.body)}`);
  await pay(s, started.body.clientSecret, paymentMethod);
  await webhooksSettled(s);
  const order = await s.checkout.orders.byCheckout(started.body.checkoutId);
  if (!order) throw new Error(`no order for checkout ${started.body.checkoutId}`);
  return order;
}
