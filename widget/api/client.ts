/**
 * The widget's only door to the server: plain `fetch`, with request and answer bodies typed from
 * the server's routes (`AppType` through hono's client types, type-only imports, so neither server
 * code nor hono's client reaches the bundle), and every failure turned into an ApiError. A network
 * failure, a 5xx or an answer that is not JSON is `retryable`: the caller keeps what it had (the
 * cart above all) and offers to try again.
 */
import type { hc, InferRequestType, InferResponseType } from 'hono/client';
import type { AppType } from '../../server/app.ts';

/** The server's routes as hono's client types them: `Api['carts'][':id']['$get']` is one endpoint. */
export type Api = ReturnType<typeof hc<AppType>>['api'];
/** The JSON body an endpoint takes. */
type Body<E> = InferRequestType<E> extends { json: infer J } ? J : never;

/** Codes the client makes up for failures the server could not name; `origin_refused`: the server
 * is up but its CORS refuses this page's origin (ALLOWED_ORIGINS). */
export type TransportErrorCode = 'network' | 'server_error' | 'bad_response' | 'origin_refused';

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
function retryAfter(response: Response): number | undefined {
  const value = response.headers.get('retry-after');
  return value && /^\d+$/.test(value) ? Number(value) : undefined;
}

/** The body of a successful answer; an ApiError for anything else; `failed` names a request that got no answer. */
async function answer<T>(send: () => Promise<Response>, failed: () => Promise<ApiError>): Promise<T> {
  let response: Response;
  try {
    response = await send();
  } catch {
    throw await failed();
  }
  let data: unknown;
  try {
    data = await response.json();
  } catch {
    throw response.ok ? badResponse(response.status) : new ApiError('server_error', `The server answered ${response.status}.`, response.status, true);
  }
  if (response.ok) {
    if (isObject(data)) return data as T;
    throw badResponse(response.status);
  }
  const error = isObject(data) && isObject(data.error) && typeof data.error.code === 'string' ? data.error : undefined;
  if (response.status >= 500 || !error) {
    throw new ApiError(error ? String(error.code) : 'server_error', `The server answered ${response.status}.`, response.status, true);
  }
  const message = typeof error.message === 'string' ? error.message : String(error.code);
  throw new ApiError(String(error.code), message, response.status, response.status === 429, error.details, retryAfter(response));
}

/** A path segment from an id: ids go into the URL as given. */
export const enc = encodeURIComponent;

/**
 * Requests the first script makes (config, loading a cart, adding to it). The cart panel's and the
 * checkout's requests live with their code (./cart-requests.ts, ./checkout-requests.ts) and go
 * through `request` too.
 */
export class ApiClient {
  private readonly base: string;
  /** An answer came through once: this page's origin is allowed, a later failure is the network. */
  private reached = false;

  /** `base` is the server's origin (the element's `api` attribute); empty means this page's origin. */
  constructor(base: string, private readonly fetchImpl: typeof fetch = (...args) => fetch(...args)) {
    this.base = base.replace(/\/+$/, '');
  }

  /** The URL of an API path on this server. */
  url(path: string): string {
    return `${this.base}/api${path}`;
  }

  /** One request to the endpoint `E` at `path`, its answer typed as that route declares it. */
  request<E>(method: string, path: string, json?: Body<E>): Promise<InferResponseType<E>> {
    const headers: Record<string, string> = { accept: 'application/json' };
    if (json !== undefined) headers['content-type'] = 'application/json';
    return answer(async () => {
      const response = await this.fetchImpl(this.url(path), {
        method, headers, body: json === undefined ? null : JSON.stringify(json), credentials: 'omit', cache: 'no-store',
      });
      this.reached = true;
      return response;
    }, () => this.failure());
  }

  /**
   * No answer, before any came through: the server asked without CORS (`no-cors`, an answer the
   * page can't read) tells a server that is up but refuses this page's origin (its ALLOWED_ORIGINS)
   * from one that is down. The cart panel says what to do about it (../i18n/refusal-words.ts). It
   * asks `GET /config`, a route that exists, not the failed request's path: `GET /carts` would put
   * a 404 in the merchant's console.
   */
  private async failure(): Promise<ApiError> {
    if (!this.reached) {
      try {
        await this.fetchImpl(this.url('/config'), { mode: 'no-cors' });
        return new ApiError('origin_refused', this.url(''), 0, false);
      } catch {
        // Down or unreachable: an ordinary network failure.
      }
    }
    return new ApiError('network', 'The server could not be reached.', 0, true);
  }

  config() {
    return this.request<Api['config']['$get']>('GET', '/config');
  }

  async createCart() {
    return (await this.request<Api['carts']['$post']>('POST', '/carts')).cart;
  }

  async getCart(cartId: string) {
    return (await this.request<Api['carts'][':id']['$get']>('GET', `/carts/${enc(cartId)}`)).cart;
  }

  async addItem(cartId: string, productId: string, quantity: number) {
    return (await this.request<Api['carts'][':id']['items']['$post']>('POST', `/carts/${enc(cartId)}/items`, { productId, quantity })).cart;
  }
}
