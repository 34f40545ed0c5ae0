/** /v1/events: server-only, newest first, filterable by `type` (with `*` wildcards, as on Stripe) and `created`. */
import { Hono } from 'hono';
import { notFound } from '../errors.ts';
import { expandable } from '../expand.ts';
import { secretKey } from '../http/auth.ts';
import type { EmulatorEnv } from '../http/env.ts';
import { str, strings } from '../http/form.ts';
import { listOf } from '../http/list.ts';
import { params } from '../http/params.ts';
import { EVENT_LIST, EXPAND_ONLY } from '../specs/resources.ts';
import type { EmulatorState } from '../state.ts';

function typeMatcher(patterns: string[]): (type: string) => boolean {
  if (patterns.length === 0) return () => true;
  const regexes = patterns.map((p) => new RegExp(`^${p.split('*').map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('.*')}$`));
  return (type) => regexes.some((r) => r.test(type));
}

export function eventRoutes(state: EmulatorState): Hono<EmulatorEnv> {
  return new Hono<EmulatorEnv>()
    .get('/', secretKey, params(EVENT_LIST), expandable(state, { list: 'event' }), (c) => {
      const { form } = c.var;
      const matches = typeMatcher([...(str(form.type) ? [str(form.type)!] : []), ...(strings(form.types) ?? [])]);
      return c.json(listOf(state.events.filter((e) => matches(e.type)).reverse(), form, '/v1/events'));
    })
    .get('/:id', secretKey, params(EXPAND_ONLY), expandable(state, 'event'), (c) => {
      const event = state.eventsById.get(c.req.param('id'));
      if (!event) throw notFound('event', c.req.param('id'));
      return c.json(event);
    });
}
