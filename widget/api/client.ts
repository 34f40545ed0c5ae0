/**
 * The widget's only door to the server: JSON in and out, every failure turned into an ApiError.
 * A network failure, a 5xx or an answer that is not the JSON we expect is `retryable`: the caller
 * keeps what it had (the cart above all) and offers to try again.
 */
import type { Cart, CheckoutCreated, CheckoutState, PublicConfig } from '../../shared/api.ts';

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

type Json = Record<string, unknown>;
const isObject = (value: unknown): value is Json => typeof value === 'object' && value !== null && !Array.isArray(value);

function badResponse(status: number): ApiError {
  return new ApiError('bad_response', 'The server sent an answer we could not read.', status, true);
}

function asCart(body: Json, status: number): Cart {
  const cart = body.cart;
  if (!isObject(cart) || typeof cart.id !== 'string' || !Array.isArray(cart.items) || !isObject(cart.totals)) throw badResponse(status);
  return cart as unknown as Cart;
}

function asCheckoutState(body: Json, status: number): CheckoutState {
  if (typeof body.id !== 'string' || typeof body.status !== 'string' || !isObject(body.totals)) throw badResponse(status);
  return body as unknown as CheckoutState;
}

const enc = encodeURIComponent;

/** Retry-After in whole seconds; the HTTP-date form is not something our server sends. */
function retryAfter(response: Response): number | undefined {
  const value = response.headers.get('retry-after');
  return value && /^\d+$/.test(value) ? Number(value) : undefined;
}

export class ApiClient {
  /** `base` is the server's origin (the element's `api` attribute); empty means this page's origin. */
  constructor(base: string, private readonly fetchImpl: typeof fetch = (...args) => fetch(...args)) {
    this.base = base.replace(/\/+$/, '');
  }

  private readonly base: string;

  url(path: string): string {
    return `${this.base}/api${path}`;
  }

  private async request(method: string, path: string, body?: unknown): Promise<{ body: Json; status: number }> {
    let response: Response;
    try {
      response = await this.fetchImpl(this.url(path), {
        method,
        headers: body === undefined ? { accept: 'application/json' } : { accept: 'application/json', 'content-type': 'application/json' },
        body: body === undefined ? undefined : JSON.stringify(body),
        credentials: 'omit',
        cache: 'no-store',
      });
    } catch {
      throw new ApiError('network', 'The server could not be reached.', 0, true);
    }
    let data: unknown;
    try {
      data = await response.json();
    } catch {
      throw response.ok ? badResponse(response.status) : new ApiError('server_error', `The server answered ${response.status}.`, response.status, true);
    }
    if (!isObject(data)) throw badResponse(response.status);
    if (response.ok) return { body: data, status: response.status };
    const error = isObject(data.error) && typeof data.error.code === 'string' ? data.error : undefined;
    if (response.status >= 500 || !error) {
      throw new ApiError(error ? String(error.code) : 'server_error', `The server answered ${response.status}.`, response.status, true);
    }
    const message = typeof error.message === 'string' ? error.message : String(error.code);
    throw new ApiError(String(error.code), message, response.status, response.status === 429, error.details, retryAfter(response));
  }

  async config(): Promise<PublicConfig> {
    const { body, status } = await this.request('GET', '/config');
    if (typeof body.currency !== 'string' || typeof body.stripeJsUrl !== 'string') throw badResponse(status);
    return body as unknown as PublicConfig;
  }

  async createCart(): Promise<Cart> {
    const { body, status } = await this.request('POST', '/carts');
    return asCart(body, status);
  }

  async getCart(cartId: string): Promise<Cart> {
    const { body, status } = await this.request('GET', `/carts/${enc(cartId)}`);
    return asCart(body, status);
  }

  async addItem(cartId: string, productId: string, quantity: number): Promise<Cart> {
    const { body, status } = await this.request('POST', `/carts/${enc(cartId)}/items`, { productId, quantity });
    return asCart(body, status);
  }

  async setQuantity(cartId: string, productId: string, quantity: number): Promise<Cart> {
    const { body, status } = await this.request('PATCH', `/carts/${enc(cartId)}/items/${enc(productId)}`, { quantity });
    return asCart(body, status);
  }

  async removeItem(cartId: string, productId: string): Promise<Cart> {
    const { body, status } = await this.request('DELETE', `/carts/${enc(cartId)}/items/${enc(productId)}`);
    return asCart(body, status);
  }

  async applyCoupon(cartId: string, code: string): Promise<Cart> {
    const { body, status } = await this.request('POST', `/carts/${enc(cartId)}/coupon`, { code });
    return asCart(body, status);
  }

  async removeCoupon(cartId: string): Promise<Cart> {
    const { body, status } = await this.request('DELETE', `/carts/${enc(cartId)}/coupon`);
    return asCart(body, status);
  }

  async startCheckout(cartId: string, email: string): Promise<CheckoutCreated> {
    const { body, status } = await this.request('POST', `/carts/${enc(cartId)}/checkout`, { email });
    if (typeof body.checkoutId !== 'string' || typeof body.clientSecret !== 'string' || !isObject(body.totals)) throw badResponse(status);
    return body as unknown as CheckoutCreated;
  }

  async getCheckout(checkoutId: string): Promise<CheckoutState> {
    const { body, status } = await this.request('GET', `/checkouts/${enc(checkoutId)}`);
    return asCheckoutState(body, status);
  }

  async retryCheckout(token: string): Promise<CheckoutState> {
    const { body, status } = await this.request('GET', `/checkouts/retry/${enc(token)}`);
    return asCheckoutState(body, status);
  }

  checkoutEventsUrl(checkoutId: string): string {
    return this.url(`/checkouts/${enc(checkoutId)}/events`);
  }
}
