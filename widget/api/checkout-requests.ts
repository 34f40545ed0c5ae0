/** The checkout's requests: opening a checkout, its state, a retry link's checkout, its event stream. */
import type { CheckoutBody } from '../../shared/api.ts';
import { enc, type Api, type ApiClient } from './client.ts';

/** `body.shipping` only for a cart that ships (the cart's `requiresShipping`). */
export function startCheckout(client: ApiClient, cartId: string, body: CheckoutBody) {
  return client.request<Api['carts'][':id']['checkout']['$post']>('POST', `/carts/${enc(cartId)}/checkout`, body);
}

/** Where the shop ships, and (with a country) each rate for it priced for this cart. */
export function shippingRates(client: ApiClient, cartId: string, country?: string) {
  return client.request<Api['carts'][':id']['shipping-rates']['$get']>('GET', `/carts/${enc(cartId)}/shipping-rates${country ? `?country=${enc(country)}` : ''}`);
}

export function getCheckout(client: ApiClient, checkoutId: string) {
  return client.request<Api['checkouts'][':id']['$get']>('GET', `/checkouts/${enc(checkoutId)}`);
}

export function retryCheckout(client: ApiClient, token: string) {
  return client.request<Api['checkouts']['retry'][':token']['$get']>('GET', `/checkouts/retry/${enc(token)}`);
}

/** The server-sent events of a checkout's status. */
export function checkoutEventsUrl(client: ApiClient, checkoutId: string): string {
  return client.url(`/checkouts/${enc(checkoutId)}/events`);
}
