/**
 * The widget's only door to the server: hono's `hc` client typed from the server's routes
 * (`AppType`, a type-only import, so no server code reaches the bundle), with every failure turned
 * into an ApiError. A network failure, a 5xx or an answer that is not JSON is `retryable`: the
 * caller keeps what it had (the cart above all) and offers to try again.
 */
import { hc, type ClientResponse } from 'hono/client';
import type { AppType } from '../../server/app.ts';

/** Codes the client makes up for failures the server could not name. */
export type TransportErrorCode = 'network' | 'server_error' | 'bad_response';

export class ApiError extends Error {
  override readonly name = 'ApiError';
  constructor(
    /** The server's error code (`out_of_stock`, `cart_not_found`, ...) or a TransportErrorCode. */
    readonly code: string,
    message: string,
    /** HTTP status; 0 when no answer arrived. */
    readonly status: number,
    /** Trying the same request again may work (network, 5xx, malformed answer, rate limit). */
    readonly retryable: boolean,
    readonly details?: unknown,
    /** For `rate_limited`: how long the server asks us to wait (its Retry-After), when it said. */
    readonly retryAfterSeconds?: number,
  ) {
    super(message);
  }
}

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

function badResponse(status: number): ApiError {
  return new ApiError('bad_response', 'The server sent an answer we could not read.', status, true);
}

/** Retry-After in whole seconds; the HTTP-date form is not something our server sends. */
function retryAfter(response: Response | ClientResponse<unknown>): number | undefined {
  const value = response.headers.get('retry-after');
  return value && /^\d+$/.test(value) ? Number(value) : undefined;
}

/** The body of a successful answer, as its route declares it; an ApiError for anything else. */
async function answer<T>(send: () => Promise<ClientResponse<T, number, 'json'>>): Promise<T> {
  let response: ClientResponse<T, number, 'json'>;
  try {
    response = await send();
  } catch {
    throw new ApiError('network', 'The server could not be reached.', 0, true);
  }
  if (response.ok) {
    try {
      const body = await response.json();
      if (isObject(body)) return body;
    } catch { /* not JSON */ }
    throw badResponse(response.status);
  }
  let data: unknown;
  try {
    data = await response.json();
  } catch {
    throw new ApiError('server_error', `The server answered ${response.status}.`, response.status, true);
  }
  const error = isObject(data) && isObject(data.error) && typeof data.error.code === 'string' ? data.error : undefined;
  if (response.status >= 500 || !error) {
    throw new ApiError(error ? String(error.code) : 'server_error', `The server answered ${response.status}.`, response.status, true);
  }
  const message = typeof error.message === 'string' ? error.message : String(error.code);
  throw new ApiError(String(error.code), message, response.status, response.status === 429, error.details, retryAfter(response));
}

// Path values are encoded here: hc puts them into the URL as given.
const enc = encodeURIComponent;

export class ApiClient {
  /** `base` is the server's origin (the element's `api` attribute); empty means this page's origin. */
  constructor(base: string, fetchImpl: typeof fetch = (...args) => fetch(...args)) {
    this.base = base.replace(/\/+$/, '');
    this.api = hc<AppType>(this.base || '/', {
      fetch: fetchImpl,
      headers: { accept: 'application/json' },
      init: { credentials: 'omit', cache: 'no-store' },
    }).api;
  }

  private readonly base: string;
  private readonly api;

  config() {
    return answer(() => this.api.config.$get());
  }

  async createCart() {
    return (await answer(() => this.api.carts.$post())).cart;
  }

  async getCart(cartId: string) {
    return (await answer(() => this.api.carts[':id'].$get({ param: { id: enc(cartId) } }))).cart;
  }

  async addItem(cartId: string, productId: string, quantity: number) {
    return (await answer(() => this.api.carts[':id'].items.$post({ param: { id: enc(cartId) }, json: { productId, quantity } }))).cart;
  }

  async setQuantity(cartId: string, productId: string, quantity: number) {
    const param = { id: enc(cartId), productId: enc(productId) };
    return (await answer(() => this.api.carts[':id'].items[':productId'].$patch({ param, json: { quantity } }))).cart;
  }

  async removeItem(cartId: string, productId: string) {
    const param = { id: enc(cartId), productId: enc(productId) };
    return (await answer(() => this.api.carts[':id'].items[':productId'].$delete({ param }))).cart;
  }

  async applyCoupon(cartId: string, code: string) {
    return (await answer(() => this.api.carts[':id'].coupon.$post({ param: { id: enc(cartId) }, json: { code } }))).cart;
  }

  async removeCoupon(cartId: string) {
    return (await answer(() => this.api.carts[':id'].coupon.$delete({ param: { id: enc(cartId) } }))).cart;
  }

  startCheckout(cartId: string, email: string) {
    return answer(() => this.api.carts[':id'].checkout.$post({ param: { id: enc(cartId) }, json: { email } }));
  }

  getCheckout(checkoutId: string) {
    return answer(() => this.api.checkouts[':id'].$get({ param: { id: enc(checkoutId) } }));
  }

  retryCheckout(token: string) {
    return answer(() => this.api.checkouts.retry[':token'].$get({ param: { token: enc(token) } }));
  }

  checkoutEventsUrl(checkoutId: string): string {
    return this.base + this.api.checkouts[':id'].events.$path({ param: { id: enc(checkoutId) } });
  }
}
