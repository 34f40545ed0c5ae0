import type { Context } from 'hono';
import { HTTPException } from 'hono/http-exception';
import { DomainError, type ErrorCode } from '../../shared/errors.ts';
import type { Logger } from '../logger.ts';

export function errorResponse(c: Context, error: DomainError): Response {
  return c.json(error.toBody(), error.status as 400);
}

/** The one place errors become responses: domain errors keep their code, protocol errors their
 * status, anything else is a real server fault and is logged without the request's data. */
export function onError(logger: Logger) {
  return (err: Error, c: Context): Response => {
    if (err instanceof DomainError) return errorResponse(c, err);
    if (err instanceof HTTPException) {
      const code: ErrorCode = err.status === 413 ? 'payload_too_large' : err.status === 401 ? 'unauthorized' : 'bad_request';
      return errorResponse(c, new DomainError(code, err.message || 'Bad request.'));
    }
    logger.error('unhandled error', { method: c.req.method, path: c.req.path, error: err.stack ?? String(err) });
    return c.json({ error: { code: 'internal_error', message: 'Something went wrong on our side.' } }, 500);
  };
}

export function notFound(c: Context): Response {
  return errorResponse(c, new DomainError('not_found', `No route for ${c.req.method} ${c.req.path}.`));
}
