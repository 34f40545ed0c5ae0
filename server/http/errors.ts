import type { Context } from 'hono';
import { HTTPException } from 'hono/http-exception';
import { DomainError } from '../../shared/errors.ts';
import type { Logger } from '../logger.ts';

export function errorResponse(c: Context, error: DomainError): Response {
  return c.json(error.toBody(), error.status as 400);
}

/**
 * The one place errors become responses. Domain errors keep their code. Hono middleware that
 * answers for itself throws an HTTPException carrying that answer (bearer-auth, given our
 * envelope). Every other refusal is mapped to a DomainError where it is raised (see validate.ts,
 * edge.ts), so anything else is a server fault: logged without the request's data, answered 500.
 */
export function onError(logger: Logger) {
  return (err: Error, c: Context): Response => {
    if (err instanceof DomainError) return errorResponse(c, err);
    if (err instanceof HTTPException && err.res) return err.getResponse();
    logger.error('unhandled error', { requestId: c.get('requestId'), method: c.req.method, error: err.stack ?? String(err) });
    return c.json({ error: { code: 'internal_error', message: 'Something went wrong on our side.' } }, 500);
  };
}

export function notFound(c: Context): Response {
  return errorResponse(c, new DomainError('not_found', `No route for ${c.req.method} ${c.req.path}.`));
}
