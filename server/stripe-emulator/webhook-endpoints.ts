/**
 * Webhook endpoints, as Stripe's API keeps them (https://docs.stripe.com/api/webhook_endpoints):
 * created with a `url` and `enabled_events`, each with its own `whsec_` signing secret that is
 * returned only by the create call; listed, retrieved, updated (url, events, `disabled`) and
 * deleted. Endpoints added from code (`addWebhookEndpoint`, the in-process server's) stand for ones
 * made in the Dashboard: listed like the others, with the secret the caller chose.
 */
import type Stripe from 'stripe';
import { StripeApiError, invalid, missing, notFound } from './errors.ts';
import { booleanParam, metadataParam, str, strings, type FormObject } from './http/form.ts';
import { newId, randomToken } from './objects.ts';

/** "You can register up to 16 webhook endpoints" (https://docs.stripe.com/webhooks). */
export const MAX_WEBHOOK_ENDPOINTS = 16;

/** Where a delivery goes now, signed with what, rendered at which API version: undefined once its endpoint is deleted or disabled. */
export interface Destination { url: string; secret: string; apiVersion: string | null }

export interface Registered { endpoint: Stripe.WebhookEndpoint; secret: string }

const EVENT_TYPE = /^[a-z0-9_]+(\.[a-z0-9_]+)+$/;

export class WebhookEndpoints {
  /** In creation order. */
  private readonly registered = new Map<string, Registered>();

  /**
   * `fixedSecret`: the secret every endpoint created through the API gets, as `stripe listen` prints
   * one for all its forwarding; unset, each gets a fresh one, as on Stripe.
   */
  constructor(private readonly now: () => number, private readonly fixedSecret?: string) {}

  /** POST /v1/webhook_endpoints: the only answer that carries `secret`. */
  create(form: FormObject): Stripe.WebhookEndpoint {
    if (this.registered.size >= MAX_WEBHOOK_ENDPOINTS) {
      throw new StripeApiError(400, 'invalid_request_error', `You have reached the maximum of ${MAX_WEBHOOK_ENDPOINTS} test webhook endpoints.`);
    }
    const url = urlParam(form);
    if (url === undefined) throw missing('url');
    const events = enabledEventsParam(form);
    if (events === undefined) throw missing('enabled_events');
    const endpoint = this.register(url, events, this.fixedSecret ?? `whsec_${randomToken(32)}`, form);
    return { ...structuredClone(endpoint), secret: this.registered.get(endpoint.id)!.secret };
  }

  /**
   * An endpoint made outside the API (the Dashboard's way), listening to every event. One already
   * there for the URL (restored after a restart) is kept, with this secret.
   */
  add(url: string, secret: string): void {
    const existing = [...this.registered.values()].find((r) => r.endpoint.url === url && r.endpoint.enabled_events.includes('*'));
    if (existing) existing.secret = secret;
    else this.register(url, ['*'], secret, {});
  }

  /** Every endpoint with its secret, oldest first: what ./persistence.ts keeps. */
  snapshot(): Registered[] {
    return [...this.registered.values()];
  }

  /** After a restart, the endpoints as they were. */
  restore(all: Registered[]): void {
    for (const r of all) this.registered.set(r.endpoint.id, r);
  }

  /** Newest first, as Stripe lists. */
  list(): Stripe.WebhookEndpoint[] {
    return [...this.registered.values()].map((r) => structuredClone(r.endpoint)).reverse();
  }

  retrieve(id: string): Stripe.WebhookEndpoint {
    return structuredClone(this.get(id).endpoint);
  }

  update(id: string, form: FormObject): Stripe.WebhookEndpoint {
    const { endpoint } = this.get(id);
    const url = urlParam(form);
    const events = enabledEventsParam(form);
    const disabled = booleanParam(form, 'disabled');
    const description = str(form.description);
    if (url !== undefined) endpoint.url = url;
    if (events !== undefined) endpoint.enabled_events = events;
    if (disabled !== undefined) endpoint.status = disabled ? 'disabled' : 'enabled';
    // An empty string unsets it, as on Stripe.
    if (description !== undefined) endpoint.description = description || null;
    endpoint.metadata = metadataParam(form, endpoint.metadata);
    return structuredClone(endpoint);
  }

  remove(id: string): Stripe.DeletedWebhookEndpoint {
    this.get(id);
    this.registered.delete(id);
    return { id, object: 'webhook_endpoint', deleted: true };
  }

  /** The enabled endpoints that asked for this event type. */
  subscribedTo(type: string): string[] {
    return [...this.registered.values()]
      .filter(({ endpoint }) => endpoint.status === 'enabled' && endpoint.enabled_events.some((e) => e === '*' || e === type))
      .map(({ endpoint }) => endpoint.id);
  }

  destination(id: string): Destination | undefined {
    const registered = this.registered.get(id);
    if (!registered || registered.endpoint.status !== 'enabled') return undefined;
    return { url: registered.endpoint.url, secret: registered.secret, apiVersion: registered.endpoint.api_version };
  }

  private register(url: string, events: string[], secret: string, form: FormObject): Stripe.WebhookEndpoint {
    const endpoint: Stripe.WebhookEndpoint = {
      id: newId('we'), object: 'webhook_endpoint', api_version: apiVersionParam(form), application: null,
      created: Math.floor(this.now() / 1000), description: str(form.description) || null, enabled_events: events,
      livemode: false, metadata: metadataParam(form), status: 'enabled', url,
    };
    this.registered.set(endpoint.id, { endpoint, secret });
    return endpoint;
  }

  private get(id: string): Registered {
    const registered = this.registered.get(id);
    if (!registered) throw notFound('webhook endpoint', id);
    return registered;
  }
}

/** An absolute http(s) URL. Stripe sends to HTTPS only; an emulator on a developer's machine posts to local http servers too. */
function urlParam(form: FormObject): string | undefined {
  const raw = str(form.url);
  if (raw === undefined) return undefined;
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw invalid('url', `Invalid URL: ${raw}`, 'url_invalid');
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') throw invalid('url', `Invalid URL: ${raw}. The URL must use https (or http, with the emulator).`, 'url_invalid');
  return raw;
}

/** An endpoint pinned to an API version gets its events rendered at it. */
function apiVersionParam(form: FormObject): string | null {
  const raw = str(form.api_version);
  if (!raw) return null;
  if (!/^\d{4}-\d{2}-\d{2}(\.[a-z]+)?$/.test(raw)) throw invalid('api_version', `Invalid API version: ${raw}`);
  return raw;
}

function enabledEventsParam(form: FormObject): string[] | undefined {
  if (form.enabled_events === undefined) return undefined;
  const events = strings(form.enabled_events);
  if (!events || events.length === 0) throw invalid('enabled_events', 'Invalid array: enabled_events must list at least one event type, or *.');
  events.forEach((type, i) => {
    if (type !== '*' && !EVENT_TYPE.test(type)) throw invalid(`enabled_events[${i}]`, `Invalid enabled_events[${i}]: ${type} is not an event type.`);
  });
  return [...new Set(events)];
}
