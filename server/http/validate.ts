import type { Context } from 'hono';
import type { z } from 'zod';
import { DomainError } from '../../shared/errors.ts';

function describe(error: z.ZodError): { path: string; message: string }[] {
  return error.issues.map((i) => ({ path: i.path.join('.'), message: i.message }));
}

/** Parses a JSON body against a schema; malformed JSON and wrong shapes are 400s, never 500s. */
export async function jsonBody<S extends z.ZodType>(c: Context, schema: S): Promise<z.infer<S>> {
  const text = await c.req.text();
  let value: unknown;
  try {
    value = text === '' ? {} : JSON.parse(text);
  } catch {
    throw new DomainError('invalid_json', 'The request body is not valid JSON.');
  }
  return parse(schema, value, 'validation_failed');
}

export function param<S extends z.ZodType>(schema: S, value: string | undefined, notFound: DomainError): z.infer<S> {
  const parsed = schema.safeParse(value);
  if (!parsed.success) throw notFound;
  return parsed.data;
}

function parse<S extends z.ZodType>(schema: S, value: unknown, code: 'validation_failed'): z.infer<S> {
  const parsed = schema.safeParse(value);
  if (!parsed.success) {
    const issues = describe(parsed.error);
    const first = issues[0];
    throw new DomainError(code, first ? `${first.path || 'body'}: ${first.message}` : 'Invalid request.', issues);
  }
  return parsed.data;
}
