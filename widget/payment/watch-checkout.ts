/**
 * Follows a checkout until the server settles it: server-sent events while the stream works,
 * polling `GET /api/checkouts/:id` when it does not (no EventSource, a proxy that buffers, the
 * stream dropped). Each poll also makes the server reconcile with Stripe, so a late webhook
 * never leaves the shopper waiting.
 */
import type { CheckoutState } from '../../shared/api.ts';
import { checkoutEventsUrl, getCheckout } from '../api/checkout-requests.ts';
import type { ApiClient } from '../api/client.ts';

export interface WatchOptions {
  /** Milliseconds between polls once the event stream is given up. */
  pollMs?: number;
}

/** Starts watching; the returned function stops it. `onState` may be called with repeats. */
export function watchCheckout(api: ApiClient, checkoutId: string, onState: (state: CheckoutState) => void, o: WatchOptions = {}): () => void {
  const pollMs = o.pollMs ?? 2000;
  let stopped = false;
  let source: EventSource | undefined;
  let timer: ReturnType<typeof setTimeout> | undefined;

  const deliver = (state: CheckoutState) => {
    if (!stopped) onState(state);
  };

  const poll = async () => {
    timer = undefined;
    try {
      deliver(await getCheckout(api, checkoutId));
    } catch {
      // Transient: the next poll tries again.
    }
    if (!stopped) timer = setTimeout(poll, pollMs);
  };

  const fallBackToPolling = () => {
    source?.close();
    source = undefined;
    if (!stopped && timer === undefined) void poll();
  };

  if (typeof EventSource === 'function') {
    source = new EventSource(checkoutEventsUrl(api, checkoutId));
    source.addEventListener('status', (event) => {
      try {
        deliver(JSON.parse((event as MessageEvent<string>).data) as CheckoutState);
      } catch {
        fallBackToPolling();
      }
    });
    // EventSource would reconnect by itself, but an error often means the stream cannot work
    // here at all; polling is plain requests and always does.
    source.addEventListener('error', fallBackToPolling);
  } else {
    void poll();
  }

  return () => {
    stopped = true;
    source?.close();
    if (timer !== undefined) clearTimeout(timer);
  };
}
