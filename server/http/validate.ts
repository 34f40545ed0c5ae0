/**
 * Request validation with @hono/zod-validator, so handlers read typed values from `c.req.valid()`
 * and the routes' types reach the widget's `hc` client. Refusals use the API's error envelope:
 * a value that fails its schema is 400 `validation_failed` (the zod issues in `details`),
 * malformed JSON is 400 `invalid_json`, and a path id of the wrong shape is the resource's own
 * not-found error, exactly as a well-formed id that names nothing.
 */
import { zValidator } from '@hono/zod-validator';
import type { ValidationTargets } from 'hono';
import { HTTPException } from 'hono/http-exception';
import type { z } from 'zod';
import { DomainError } from '../../shared/errors.ts';

interface Issues {
  issues: readonly { path: readonly PropertyKey[]; message: string }[];
}

function validationFailed({ issues }: Issues): DomainError {
  const details = issues.map((i) => ({ path: i.path.map(String).join('.'), message: i.message }));
  const first = details[0];
  return new DomainError('validation_failed', first ? `${first.path || 'body'}: ${first.message}` : 'Invalid request.', details);
}

/**
 * Validates one part of the request. `refusal`, given the first field that failed, replaces
 * validation_failed: for path ids, the not-found error of what the id names.
 */
export function validated<Target extends keyof ValidationTargets, S extends z.ZodType>(target: Target, schema: S, refusal?: (field: string) => DomainError) {
  return zValidator(target, schema, (result) => {
    if (!result.success) throw refusal?.(String(result.error.issues[0]?.path[0] ?? '')) ?? validationFailed(result.error);
  });
}

/** What hono's validator reads as JSON: `application/json` and `application/<anything>+json`. */
const JSON_MEDIA_TYPE = /^application\/([\w.-]+\+)?json$/i;

/**
 * Validates a JSON body. Hono reads a body only when it is declared JSON and takes an undeclared
 * one as `{}`: that is right for no body at all, so only a body sent under another Content-Type is
 * refused here, rather than silently ignored.
 */
export function jsonBody<S extends z.ZodType>(schema: S) {
  const validate = validated('json', schema);
  const guarded: typeof validate = async (c, next) => {
    const mediaType = (c.req.header('content-type') ?? '').replace(/;.*$/s, '').trim();
    if (!JSON_MEDIA_TYPE.test(mediaType) && (await c.req.text()) !== '') {
      throw new DomainError('invalid_json', 'The request body must be JSON, sent with Content-Type: application/json.');
    }
    let handled = false;
    try {
      return await validate(c, () => {
        handled = true;
        return next();
      });
    } catch (error) {
      // Before the handler runs, hono's validator throws an HTTPException only for a body it could not parse.
      if (!handled && error instanceof HTTPException) throw new DomainError('invalid_json', 'The request body is not valid JSON.');
      throw error;
    }
  };
  return guarded;
}
