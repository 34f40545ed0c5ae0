/** The checkout's requests: opening a checkout, its state, a retry link's checkout, its event stream. */
import type { CheckoutBody } from '../../shared/api.ts';
import { enc, type Api, type ApiClient } from './client.ts';

export function startCheckout(client: ApiClient, cartId: string, body: CheckoutBody) {
  return client.request<Api['carts'][':id']['checkout']['$post']>('POST', `/carts/${enc(cartId)}/checkout`, body);
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
