/** The request behind an abandoned-cart reminder's link, with the code that restores the cart. */
import { enc, type Api, type ApiClient } from './client.ts';

/** The cart a reminder's signed token names; `link_invalid` (forged or expired) and `cart_not_found` (gone since) are refusals. */
export async function restoredCart(client: ApiClient, token: string) {
  return (await client.request<Api['carts']['restore'][':token']['$get']>('GET', `/carts/restore/${enc(token)}`)).cart;
}
