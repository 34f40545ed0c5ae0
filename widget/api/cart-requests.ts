/** The cart panel's requests: quantities, removals and discount codes. */
import { enc, type Api, type ApiClient } from './client.ts';

export async function setQuantity(client: ApiClient, cartId: string, productId: string, quantity: number) {
  return (await client.request<Api['carts'][':id']['items'][':productId']['$patch']>('PATCH', `/carts/${enc(cartId)}/items/${enc(productId)}`, { quantity })).cart;
}

export async function removeItem(client: ApiClient, cartId: string, productId: string) {
  return (await client.request<Api['carts'][':id']['items'][':productId']['$delete']>('DELETE', `/carts/${enc(cartId)}/items/${enc(productId)}`)).cart;
}

export async function applyCoupon(client: ApiClient, cartId: string, code: string) {
  return (await client.request<Api['carts'][':id']['coupon']['$post']>('POST', `/carts/${enc(cartId)}/coupon`, { code })).cart;
}

export async function removeCoupon(client: ApiClient, cartId: string) {
  return (await client.request<Api['carts'][':id']['coupon']['$delete']>('DELETE', `/carts/${enc(cartId)}/coupon`)).cart;
}
