/**
 * Delivers events to the endpoints subscribed to them as Stripe does: signed afresh for every attempt, retried with
 * backoff on a non-2xx answer, a network error or a timeout. Deliveries go oldest first, one at a
 * time unless `concurrency` says more (real Stripe sends several at once), and in random order when
 * shuffled: test knobs model what real Stripe may do anyway (deliver an event more than once, in
 * any order, at the same time, late) and let a test hold deliveries and release them at will.
 */
import Stripe from 'stripe';
import type { WebhookEndpoints } from './webhook-endpoints.ts';

export interface WebhookKnobs {
  /** Deliver each event this many times (Stripe delivers at least once). */
  copies?: number;
  /** Deliver queued events in random order. */
  shuffle?: boolean;
  /** Hold each new delivery this long before it may go. */
  delayMs?: number;
  /** Hold every delivery until `flush()` or unpausing. */
  paused?: boolean;
  /** How many deliveries may be in flight at once. */
  concurrency?: number;
}

export interface WebhookTiming {
  /** Wait before retry n (after attempt n + 1 failed); its length is the number of retries. */
  retryScheduleMs: number[];
  /** An endpoint that hasn't answered by then has failed this attempt. */
  timeoutMs: number;
}

/** Stripe retries for days; an emulator serving a developer retries within a few minutes. */
export const DEFAULT_WEBHOOK_TIMING: WebhookTiming = { retryScheduleMs: [200, 1_000, 5_000, 30_000, 120_000], timeoutMs: 10_000 };

interface Delivery { event: Stripe.Event; endpointId: string; attempt: number; dueAt: number }

/** A delivery still owed (queued, delayed, awaiting a retry or in flight), as plain data that survives a restart. */
export interface OwedDelivery { eventId: string; endpointId: string; attempt: number; dueAt: number }

/** Stripe's `pending_webhooks`: how many subscribed endpoints haven't yet acknowledged the event. */
type Pending = Map<string, Set<string>>;

export class WebhookDelivery {
  private knobs: Required<WebhookKnobs> = { copies: 1, shuffle: false, delayMs: 0, paused: false, concurrency: 1 };
  /** Ready to go. */
  private queue: Delivery[] = [];
  /** Held by a delay or a retry backoff, with the timer that will queue them. */
  private readonly waiting = new Map<Delivery, NodeJS.Timeout>();
  private readonly workers = new Set<Promise<void>>();
  private flushing = 0;
  private idleWaiters: (() => void)[] = [];
  private readonly closing = new AbortController();
  /** Per event id, the endpoints still owed a successful delivery. */
  private readonly pending: Pending = new Map();
  /** Every delivery not yet settled, in flight included: what a restart must resume. */
  private readonly owed = new Set<Delivery>();
  private readonly owedListeners: (() => void)[] = [];

  /** `accountApiVersion`: what an event's `api_version` is for an endpoint created without its own. */
  constructor(
    private readonly endpoints: WebhookEndpoints,
    private readonly timing: WebhookTiming = DEFAULT_WEBHOOK_TIMING,
    private readonly clock: () => number = Date.now,
    private readonly accountApiVersion?: string,
  ) {}

  configure(knobs: WebhookKnobs): void {
    this.knobs = { ...this.knobs, ...knobs };
    this.kick();
  }

  /** Queues `event` for every endpoint subscribed to it, and counts them in its `pending_webhooks`. */
  enqueue(event: Stripe.Event): void {
    if (this.closing.signal.aborted) return;
    const subscribed = this.endpoints.subscribedTo(event.type);
    if (subscribed.length > 0) this.pending.set(event.id, new Set(subscribed));
    event.pending_webhooks = subscribed.length;
    for (const endpointId of subscribed) {
      for (let copy = 0; copy < this.knobs.copies; copy++) this.schedule({ event, endpointId, attempt: 0, dueAt: 0 }, this.knobs.delayMs);
    }
    this.kick();
  }

  /** What is still owed, for ./persistence.ts. */
  owedDeliveries(): OwedDelivery[] {
    return [...this.owed].map((d) => ({ eventId: d.event.id, endpointId: d.endpointId, attempt: d.attempt, dueAt: d.dueAt }));
  }

  /** Called whenever what is owed changes (a delivery scheduled or settled). */
  onOwedChange(listener: () => void): void {
    this.owedListeners.push(listener);
  }

  /** After a restart: resumes what was owed, each when it is due, and who has yet to acknowledge each event. */
  resume(owed: OwedDelivery[], eventsById: ReadonlyMap<string, Stripe.Event>): void {
    for (const o of owed) {
      const event = eventsById.get(o.eventId);
      if (!event) continue;
      const waitingFor = this.pending.get(event.id) ?? new Set<string>();
      waitingFor.add(o.endpointId);
      this.pending.set(event.id, waitingFor);
      this.schedule({ event, endpointId: o.endpointId, attempt: o.attempt, dueAt: 0 }, o.dueAt - this.clock());
    }
    this.kick();
  }

  private owedChanged(): void {
    for (const listener of this.owedListeners) listener();
  }

  private acknowledged(event: Stripe.Event, endpointId: string): void {
    const owed = this.pending.get(event.id);
    if (!owed?.delete(endpointId)) return;
    event.pending_webhooks = owed.size;
    if (owed.size === 0) this.pending.delete(event.id);
  }

  /**
   * Sends everything queued, delayed or awaiting a retry now, paused or not, and resolves once each
   * has been attempted (a failed one is then waiting for its next retry, or has run out of them).
   */
  async flush(): Promise<void> {
    for (const [delivery, timer] of this.waiting) {
      clearTimeout(timer);
      this.queue.push(delivery);
    }
    this.waiting.clear();
    this.flushing++;
    try {
      // Loop rather than await the workers once: one may be finishing just as flushed work arrives.
      while (this.workers.size > 0 || this.canSend()) {
        this.kick();
        await Promise.all(this.workers);
      }
    } finally {
      this.flushing--;
    }
  }

  /** Resolves when nothing is in flight, queued, delayed or waiting for a retry. */
  idle(): Promise<void> {
    if (this.isIdle()) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  /** Stops: nothing more is sent. What was owed stays owed (and persisted), for the next start. */
  close(): void {
    this.closing.abort();
    for (const timer of this.waiting.values()) clearTimeout(timer);
    this.waiting.clear();
    this.queue = [];
    this.notifyIfIdle();
  }

  private schedule(delivery: Delivery, delayMs: number): void {
    delivery.dueAt = this.clock() + Math.max(0, delayMs);
    this.owed.add(delivery);
    this.owedChanged();
    if (delayMs <= 0) {
      this.queue.push(delivery);
      return;
    }
    const timer = setTimeout(() => {
      this.waiting.delete(delivery);
      this.queue.push(delivery);
      this.kick();
    }, delayMs);
    // Pending webhooks alone shouldn't keep a process alive; the emulator's server does that.
    timer.unref();
    this.waiting.set(delivery, timer);
  }

  private canSend(): boolean {
    return !this.closing.signal.aborted && this.queue.length > 0 && (!this.knobs.paused || this.flushing > 0);
  }

  /** Starts workers, up to the concurrency knob, while there is work they may do. */
  private kick(): void {
    while (this.workers.size < Math.max(1, this.knobs.concurrency) && this.canSend()) {
      const worker: Promise<void> = this.work().finally(() => {
        this.workers.delete(worker);
        // Work may have arrived between the loop's last check and here.
        if (this.canSend()) this.kick();
        else this.notifyIfIdle();
      });
      this.workers.add(worker);
    }
  }

  private async work(): Promise<void> {
    while (this.canSend()) {
      const index = this.knobs.shuffle ? Math.floor(Math.random() * this.queue.length) : 0;
      const [delivery] = this.queue.splice(index, 1);
      await this.attempt(delivery!);
    }
  }

  private async attempt(delivery: Delivery): Promise<void> {
    // Cut off by close(), it stays owed: the next start sends it.
    if (await this.send(delivery)) {
      this.owed.delete(delivery);
      this.owedChanged();
    }
  }

  /** One attempt; false when close() cut it off before it was settled. */
  private async send(delivery: Delivery): Promise<boolean> {
    // An endpoint deleted or disabled since the event gets nothing more, retries included.
    const destination = this.endpoints.destination(delivery.endpointId);
    if (!destination) return true;
    // Rendered at the endpoint's API version, else the account's (https://docs.stripe.com/api/events/object#event_object-api_version).
    const payload = JSON.stringify({ ...delivery.event, api_version: destination.apiVersion ?? this.accountApiVersion ?? delivery.event.api_version }, null, 2);
    let delivered = false;
    try {
      const response = await fetch(destination.url, {
        method: 'POST', body: payload, redirect: 'manual',
        signal: AbortSignal.any([AbortSignal.timeout(this.timing.timeoutMs), this.closing.signal]),
        headers: {
          'Content-Type': 'application/json; charset=utf-8', 'User-Agent': 'Stripe/1.0 (+https://stripe.com/docs/webhooks)',
          // The SDK's own signer: the same header Stripe sends, as the SDK's verifier reads it.
          'Stripe-Signature': Stripe.webhooks.generateTestHeaderString({ payload, secret: destination.secret, timestamp: Math.floor(this.clock() / 1000) }),
        },
      });
      await response.arrayBuffer().catch(() => undefined);
      delivered = response.status >= 200 && response.status < 300;
    } catch {
      // Unreachable, reset or too slow: a failed attempt like a 500.
    }
    if (delivered) this.acknowledged(delivery.event, delivery.endpointId);
    else if (this.closing.signal.aborted) return false;
    const backoff = this.timing.retryScheduleMs[delivery.attempt];
    if (!delivered && backoff !== undefined) this.schedule({ ...delivery, attempt: delivery.attempt + 1, dueAt: 0 }, backoff);
    return true;
  }

  private isIdle(): boolean {
    return this.queue.length === 0 && this.waiting.size === 0 && this.workers.size === 0;
  }

  private notifyIfIdle(): void {
    // Paused with work queued is not idle; closed always is.
    if (!this.isIdle() && !this.closing.signal.aborted) return;
    const waiters = this.idleWaiters;
    this.idleWaiters = [];
    for (const resolve of waiters) resolve();
  }
}
