/** The emulator's memory: every object by id, and the event log that feeds webhooks. */
import Stripe from 'stripe';
import type { Outcome } from './cards.ts';
import { newId } from './objects.ts';

/** The API version the installed SDK is pinned to; events carry it, as Stripe's do for that SDK. */
export function sdkApiVersion(): string {
  return Stripe.API_VERSION;
}

/** The events the emulator emits, typed so each carries the object its type promises. */
export type EmittedEvent =
  | Stripe.PaymentIntentCreatedEvent | Stripe.PaymentIntentRequiresActionEvent | Stripe.PaymentIntentSucceededEvent
  | Stripe.PaymentIntentPaymentFailedEvent | Stripe.PaymentIntentCanceledEvent
  | Stripe.ChargeSucceededEvent | Stripe.ChargeFailedEvent | Stripe.ChargeRefundedEvent | Stripe.RefundCreatedEvent
  | Stripe.CustomerCreatedEvent | Stripe.CustomerUpdatedEvent | Stripe.CustomerDeletedEvent;
type EventType = EmittedEvent['type'];
type ObjectOf<T extends EventType> = Extract<EmittedEvent, { type: T }>['data']['object'];

export interface IntentExtras {
  /** What happens once the shopper finishes 3D Secure, while the intent requires_action. */
  pendingOutcome: Outcome | null;
  failedAttempts: number;
}

export class EmulatorState {
  readonly customers = new Map<string, Stripe.Customer>();
  /** Deleted customers: Stripe still answers a retrieve of one, with a `deleted: true` stub. */
  readonly deletedCustomers = new Set<string>();
  readonly paymentMethods = new Map<string, Stripe.PaymentMethod>();
  readonly paymentIntents = new Map<string, Stripe.PaymentIntent>();
  readonly intentExtras = new Map<string, IntentExtras>();
  readonly charges = new Map<string, Stripe.Charge>();
  readonly refunds = new Map<string, Stripe.Refund>();
  /** Card numbers by payment method id: kept out of every object, as on Stripe. */
  readonly cardNumbers = new Map<string, string>();
  /** Oldest first; lists reverse it. */
  readonly events: EmittedEvent[] = [];
  readonly eventsById = new Map<string, EmittedEvent>();
  private readonly listeners: ((event: EmittedEvent) => void)[] = [];

  /** `clock` in milliseconds, injectable so tests can tell two signatures apart without waiting. */
  constructor(readonly clock: () => number = Date.now) {}

  /** Unix seconds, the unit of every `created` field. */
  now(): number {
    return Math.floor(this.clock() / 1000);
  }

  onEvent(listener: (event: EmittedEvent) => void): void {
    this.listeners.push(listener);
  }

  emit<T extends EventType>(type: T, object: ObjectOf<T>): EmittedEvent {
    // A snapshot: the object keeps changing after the event, the event must not.
    const event = {
      id: newId('evt'), object: 'event', api_version: sdkApiVersion(), created: this.now(),
      data: { object: structuredClone(object) }, livemode: false, pending_webhooks: 0,
      request: { id: newId('req'), idempotency_key: null }, type,
    } as EmittedEvent;
    this.events.push(event);
    this.eventsById.set(event.id, event);
    for (const listener of this.listeners) listener(event);
    return event;
  }
}
