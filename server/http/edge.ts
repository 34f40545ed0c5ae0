/**
 * Guards at the HTTP edge, for requests no route should ever see: paths that can't be decoded,
 * and bodies over a limit.
 */
import type { Context, MiddlewareHandler } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { DomainError } from '../../shared/errors.ts';
import { errorResponse } from './errors.ts';

const KB = 1024;

/** `/%E0%A4%A` or `/api/carts/%ZZ/items`: 400 here, before any route tries to decode it. */
export function rejectMalformedPath(): MiddlewareHandler {
  return async (c, next) => {
    // Only a percent-escape can be malformed: most requests have none and skip the parse.
    if (!c.req.url.includes('%')) return next();
    try {
      decodeURIComponent(new URL(c.req.url).pathname);
    } catch {
      return errorResponse(c, new DomainError('bad_request', 'The request path has a malformed percent-escape.'));
    }
    await next();
  };
}

/**
 * An answer sent before the request body was read leaves the rest of that body on the socket,
 * where it would be parsed as the next request, so the server closes the connection after this
 * response and says so: the client then sends its next request on a fresh connection.
 */
export function refuseUnread(c: Context, error: DomainError): Response {
  c.header('Connection', 'close');
  return errorResponse(c, error);
}

/**
 * Caps a request body: by its Content-Length before reading anything, and by counting the bytes
 * of a chunked body as they arrive, so an oversized body is never held in memory.
 */
export function limitBody(maxBytes: number): MiddlewareHandler {
  const tooLarge = (c: Context) => refuseUnread(c, new DomainError('payload_too_large', `The request body is over ${maxBytes / KB} KB.`));
  const countChunks = bodyLimit({ maxSize: maxBytes, onError: tooLarge });
  // hono's bodyLimit asks for `c.req.raw.body` first, which makes @hono/node-server build the full
  // WHATWG Request (an AbortSignal, a stream) that its lightweight request otherwise spares. A GET
  // or HEAD has no body to limit, and a declared Content-Length is judged as bodyLimit judges it,
  // so only a chunked body, whose bytes must be counted, goes through it.
  return async (c, next) => {
    const { method } = c.req;
    if (method === 'GET' || method === 'HEAD') return next();
    const declared = c.req.header('content-length');
    const chunked = c.req.header('transfer-encoding') !== undefined;
    if (declared !== undefined && !chunked) {
      return Number.parseInt(declared || '0', 10) > maxBytes ? tooLarge(c) : next();
    }
    // An HTTP/1.1 request with neither header has no body at all (RFC 9112, 6.3), as
    // `POST /api/carts` has none. (A Request built in-process, as by app.request(), may carry a
    // body without declaring it, and HTTP/2 may too, so those are counted.)
    if (!chunked && isHttp1FromNode(c)) return next();
    return countChunks(c, next);
  };
}

/** @hono/node-server hands the route Node's own request as `c.env.incoming`. */
const isHttp1FromNode = (c: Context): boolean => (c.env as { incoming?: { httpVersionMajor?: number } } | undefined)?.incoming?.httpVersionMajor === 1;
