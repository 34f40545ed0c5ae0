/**
 * The admin API through hono's `hc` client, typed from the server's routes (a type-only import:
 * no server code reaches the console's bundle), for the console and the CLI alike. Every failure
 * becomes an AdminApiError with the server's code and words.
 */
import { hc, type ClientResponse } from 'hono/client';
import type { AppType } from '../server/app.ts';

export class AdminApiError extends Error {
  override readonly name = 'AdminApiError';
  constructor(
    /** The server's error code (`refund_exceeds_balance`, ...), or `network` / `server_error`. */
    readonly code: string,
    message: string,
    /** HTTP status; 0 when no answer arrived. */
    readonly status: number,
    readonly details?: unknown,
  ) {
    super(message);
  }
}

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

/** The answer's JSON as its route declares it; an AdminApiError for anything else. */
export async function answer<T>(send: () => Promise<ClientResponse<T, number, 'json'>>): Promise<T> {
  let response: ClientResponse<T, number, 'json'>;
  try {
    response = await send();
  } catch (err) {
    throw new AdminApiError('network', `The server could not be reached (${String(err)}).`, 0);
  }
  const body: unknown = await response.json().catch(() => undefined);
  if (response.ok && body !== undefined) return body as T;
  const error = isObject(body) && isObject(body.error) ? body.error : undefined;
  if (error && typeof error.code === 'string') {
    throw new AdminApiError(error.code, typeof error.message === 'string' ? error.message : error.code, response.status, error.details);
  }
  throw new AdminApiError('server_error', `The server answered ${response.status}.`, response.status);
}

/** A file the server sends (the CSV export); a refusal becomes an AdminApiError as with JSON. */
export async function download(send: () => Promise<Response | ClientResponse<unknown>>): Promise<Blob> {
  let response: Response | ClientResponse<unknown>;
  try {
    response = await send();
  } catch (err) {
    throw new AdminApiError('network', `The server could not be reached (${String(err)}).`, 0);
  }
  if (response.ok) return response.blob();
  const body: unknown = await response.json().catch(() => undefined);
  const error = isObject(body) && isObject(body.error) ? body.error : undefined;
  throw new AdminApiError(typeof error?.code === 'string' ? error.code : 'server_error',
    typeof error?.message === 'string' ? error.message : `The server answered ${response.status}.`, response.status);
}

/** Path values go into the URL as given: encode them. */
export const enc = encodeURIComponent;

/** The `/api/admin` routes, signed with the token; `base` is the server's origin ('' for this page's). */
export function adminApi(base: string, token: string, fetchImpl: typeof fetch = (...args) => fetch(...args)) {
  return hc<AppType>(base || '/', {
    fetch: fetchImpl,
    headers: { authorization: `Bearer ${token}`, accept: 'application/json' },
    init: { cache: 'no-store' },
  }).api;
}

export type AdminApi = ReturnType<typeof adminApi>;
