/** The emulator's memory: every object by id, and the event log that feeds webhooks. */
import { AsyncLocalStorage } from 'node:async_hooks';
import Stripe from 'stripe';
import type { Outcome } from './cards.ts';
import type { SavedAnswer } from './http/idempotency.ts';
import { newId } from './objects.ts';

/** The API version the installed SDK is pinned to: the emulated account's version unless told otherwise. */
export function sdkApiVersion(): string {
  return Stripe.API_VERSION;
}

/** The API request being served: events it causes name it (`request.id`, `request.idempotency_key`). */
export interface RequestContext { id: string; idempotencyKey: string | null }

/** The events the emulator emits, typed so each carries the object its type promises. */
export type EmittedEvent =
  | Stripe.PaymentIntentCreatedEvent | Stripe.PaymentIntentRequiresActionEvent | Stripe.PaymentIntentSucceededEvent
  | Stripe.PaymentIntentPaymentFailedEvent | Stripe.PaymentIntentCanceledEvent | Stripe.PaymentIntentProcessingEvent
  | Stripe.PaymentIntentAmountCapturableUpdatedEvent
  | Stripe.ChargeSucceededEvent | Stripe.ChargeFailedEvent | Stripe.ChargeRefundedEvent | Stripe.ChargeUpdatedEvent
  | Stripe.ChargeCapturedEvent | Stripe.ChargePendingEvent | Stripe.ChargeDisputeCreatedEvent | Stripe.RefundCreatedEvent
  | Stripe.RefundUpdatedEvent | Stripe.RefundFailedEvent | Stripe.ChargeRefundUpdatedEvent
  | Stripe.CustomerCreatedEvent | Stripe.CustomerUpdatedEvent | Stripe.CustomerDeletedEvent;
type EventType = EmittedEvent['type'];
type ObjectOf<T extends EventType> = Extract<EmittedEvent, { type: T }>['data']['object'];

export interface IntentExtras {
  /** What happens once the shopper finishes 3D Secure, while the intent requires_action. */
  pendingOutcome: Outcome | null;
  failedAttempts: number;
  /** While a redirect method awaits the shopper: the token of its test page and where it sends them back. */
  redirect: { token: string; returnUrl: string } | null;
}

/**
 * Something that happens later, on Stripe's side, with no API request: a `processing` payment
 * settling, an asynchronous capture completing, a cardholder disputing. Plain data, so it survives
 * a restart with the rest of the state.
 */
export type Task =
  | { kind: 'settle'; intent: string; outcome: 'succeed' | 'fail' }
  | { kind: 'capture'; charge: string }
  | { kind: 'dispute'; charge: string }
  | { kind: 'refund_fail'; refund: string };

export interface ScheduledTask { id: string; dueAt: number; task: Task }

/** How long the tasks above take. Stripe's take seconds to days; the emulator's a few seconds, and tests shorten or run them on demand. */
export interface TaskDelays {
  /** A `processing` payment (a redirect authorized to settle later) succeeds or fails. */
  settleAfterMs: number;
  /** An `automatic_async` capture gets its balance transaction (`charge.updated`). */
  captureAfterMs: number;
  /** A payment with the dispute test card is disputed (`charge.dispute.created`). */
  disputeAfterMs: number;
  /** A refund of a payment with the "Refund fails" test card fails (`refund.failed`). */
  refundFailAfterMs: number;
}

export const DEFAULT_TASK_DELAYS: TaskDelays = { settleAfterMs: 5_000, captureAfterMs: 1_000, disputeAfterMs: 2_000, refundFailAfterMs: 2_000 };

export class EmulatorState {
  readonly customers = new Map<string, Stripe.Customer>();
  /** Deleted customers: Stripe still answers a retrieve of one, with a `deleted: true` stub. */
  readonly deletedCustomers = new Set<string>();
  readonly paymentMethods = new Map<string, Stripe.PaymentMethod>();
  readonly paymentIntents = new Map<string, Stripe.PaymentIntent>();
  readonly intentExtras = new Map<string, IntentExtras>();
  readonly charges = new Map<string, Stripe.Charge>();
  readonly refunds = new Map<string, Stripe.Refund>();
  readonly disputes = new Map<string, Stripe.Dispute>();
  /** Answers to requests sent with an Idempotency-Key, by API key and key (./http/idempotency.ts). */
  readonly idempotency = new Map<string, SavedAnswer>();
  /** Due later, by id; ./tasks.ts runs them. */
  readonly tasks = new Map<string, ScheduledTask>();
  /** Where the shopper-facing pages are served (3D Secure, redirects): the "hooks" origin, known once the emulator listens. */
  hooksUrl = '';
  delays: TaskDelays = { ...DEFAULT_TASK_DELAYS };
  /** Card numbers by payment method id: kept out of every object, as on Stripe. */
  readonly cardNumbers = new Map<string, string>();
  /** Oldest first; lists reverse it. */
  readonly events: EmittedEvent[] = [];
  readonly eventsById = new Map<string, EmittedEvent>();
  private readonly listeners: ((event: EmittedEvent) => void)[] = [];

  private readonly requests = new AsyncLocalStorage<RequestContext>();

  /**
   * `clock` in milliseconds, injectable so tests can tell two signatures apart without waiting;
   * `apiVersion`: the account's API version, what events are rendered at unless an endpoint has its own.
   */
  constructor(readonly clock: () => number = Date.now, readonly apiVersion: string = sdkApiVersion()) {}

  /** Runs `work` as the serving of one API request, so the events it emits name that request. */
  serving<T>(request: RequestContext, work: () => T): T {
    return this.requests.run(request, work);
  }

  /** Unix seconds, the unit of every `created` field. */
  now(): number {
    return Math.floor(this.clock() / 1000);
  }

  private taskListeners: ((task: ScheduledTask) => void)[] = [];

  /** Schedules `task` in `delayMs`; ./tasks.ts arms a timer for it. */
  schedule(task: Task, delayMs: number): void {
    const scheduled: ScheduledTask = { id: newId('task'), dueAt: this.clock() + delayMs, task };
    this.tasks.set(scheduled.id, scheduled);
    for (const listener of this.taskListeners) listener(scheduled);
  }

  onTask(listener: (task: ScheduledTask) => void): void {
    this.taskListeners.push(listener);
  }

  private changeListeners: (() => void)[] = [];

  /** Something changed outside an event (an update, the end of a request or task): ./persistence.ts saves. */
  changed(): void {
    for (const listener of this.changeListeners) listener();
  }

  onChange(listener: () => void): void {
    this.changeListeners.push(listener);
  }

  onEvent(listener: (event: EmittedEvent) => void): void {
    this.listeners.push(listener);
  }

  /**
   * `previous`: for `*.updated` events, the changed fields' values before the change
   * (`data.previous_attributes`). Events caused by no API request (a payment settling later, a
   * dispute) carry `request: { id: null, idempotency_key: null }`, as Stripe's automatic ones do.
   */
  emit<T extends EventType>(type: T, object: ObjectOf<T>, previous?: Record<string, unknown>): EmittedEvent {
    const request = this.requests.getStore();
    // A snapshot: the object keeps changing after the event, the event must not.
    const event = {
      id: newId('evt'), object: 'event', api_version: this.apiVersion, created: this.now(),
      data: { object: structuredClone(object), ...(previous ? { previous_attributes: structuredClone(previous) } : {}) },
      livemode: false, pending_webhooks: 0,
      request: { id: request?.id ?? null, idempotency_key: request?.idempotencyKey ?? null }, type,
    } as EmittedEvent;
    this.events.push(event);
    this.eventsById.set(event.id, event);
    for (const listener of this.listeners) listener(event);
    return event;
  }
}
