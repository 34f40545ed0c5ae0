/**
 * Full or partial refunds of a succeeded payment's charge; each emits `refund.created` and
 * `charge.refunded`. A refund of a payment with the "Refund fails" test card fails later (`failRefund`).
 */
import type Stripe from 'stripe';
import { testCardFor } from './cards.ts';
import { chargeableAmount } from './currencies.ts';
import { StripeApiError, invalid, missing, notFound } from './errors.ts';
import { metadataParam, str, type FormObject } from './http/form.ts';
import { newId, refundObject } from './objects.ts';
import type { EmulatorState } from './state.ts';

const REASONS = new Set<string>(['duplicate', 'fraudulent', 'requested_by_customer']);

export function createRefund(state: EmulatorState, form: FormObject): Stripe.Refund {
  const charge = refundableCharge(state, form);
  refuseIfDisputed(state, charge);
  const remaining = charge.amount - charge.amount_refunded;
  if (remaining === 0) {
    throw new StripeApiError(400, 'invalid_request_error', `Charge ${charge.id} has already been refunded.`, { code: 'charge_already_refunded' });
  }
  const raw = str(form.amount);
  if (raw !== undefined && !/^\d+$/.test(raw)) throw invalid('amount', `Invalid integer: ${raw}`, 'parameter_invalid_integer');
  const amount = raw === undefined ? remaining : Number(raw);
  if (amount <= 0) throw invalid('amount', 'Refund amount must be greater than 0.', 'parameter_invalid_integer');
  chargeableAmount(charge.currency, amount);
  if (amount > remaining) {
    throw invalid('amount', `Refund amount (${amount}) is greater than unrefunded amount on charge (${remaining}).`, 'amount_too_large');
  }
  const reason = str(form.reason) || null;
  if (reason !== null && !REASONS.has(reason)) throw invalid('reason', `Invalid reason: must be one of ${[...REASONS].join(', ')}`);
  const refund = refundObject({ created: state.now(), charge, amount, reason: reason as Stripe.Refund.Reason | null, metadata: metadataParam(form) });
  state.refunds.set(refund.id, refund);
  charge.amount_refunded += amount;
  charge.refunded = charge.amount_refunded === charge.amount;
  state.emit('refund.created', refund);
  state.emit('charge.refunded', charge);
  if (refundsFail(state, charge)) state.schedule({ kind: 'refund_fail', refund: refund.id }, state.delays.refundFailAfterMs);
  return refund;
}

/** Paid with the "Refund fails" test card (4000 0000 0000 5126, pm_card_refundFail). */
function refundsFail(state: EmulatorState, charge: Stripe.Charge): boolean {
  const pm = typeof charge.payment_method === 'string' ? charge.payment_method : null;
  return pm !== null && testCardFor(state.cardNumbers.get(pm) ?? '').refunds === 'fail';
}

/**
 * The card refused the refund after Stripe had reported it `succeeded`: "refunding a captured
 * charge fails asynchronously with a failure_reason of expired_or_canceled_card ... the refund
 * appears successful at first, only returning the failed status in subsequent fetches"
 * (https://docs.stripe.com/testing#refunds). The money returns to the merchant's balance (a
 * `failure_balance_transaction` reverses the refund's), so the charge no longer counts it as
 * refunded and it may be refunded again. Stripe tells of it with `refund.updated` and
 * `refund.failed` (https://docs.stripe.com/api/refunds, every refund since 2024-10-28.acacia:
 * https://docs.stripe.com/changelog/acacia/2024-10-28/refund-webhook-update) and, for cards,
 * `charge.refund.updated` ("Occurs whenever a refund is updated on selected payment methods").
 */
export function failRefund(state: EmulatorState, refundId: string): void {
  const refund = state.refunds.get(refundId);
  const charge = refund && typeof refund.charge === 'string' ? state.charges.get(refund.charge) : undefined;
  if (!refund || !charge || refund.status === 'failed' || refund.status === 'canceled') return;
  const previous = { status: refund.status, failure_reason: null, failure_balance_transaction: null };
  Object.assign(refund, { status: 'failed', failure_reason: 'expired_or_canceled_card', failure_balance_transaction: newId('txn') });
  charge.amount_refunded -= refund.amount;
  charge.refunded = false;
  state.emit('refund.updated', refund, previous);
  state.emit('refund.failed', refund);
  state.emit('charge.refund.updated', refund, previous);
}

export function getRefund(state: EmulatorState, id: string): Stripe.Refund {
  const refund = state.refunds.get(id);
  if (!refund) throw notFound('refund', id);
  return refund;
}

/** The charge named by `charge`, or the latest charge of `payment_intent`; it must have succeeded. */
function refundableCharge(state: EmulatorState, form: FormObject): Stripe.Charge {
  const chargeId = str(form.charge);
  const intentId = str(form.payment_intent);
  if (!chargeId && !intentId) throw missing('payment_intent');
  let id = chargeId;
  if (!id) {
    const intent = state.paymentIntents.get(intentId!);
    if (!intent) throw notFound('payment_intent', intentId!, 'payment_intent');
    if (intent.status !== 'succeeded' || typeof intent.latest_charge !== 'string') {
      throw new StripeApiError(400, 'invalid_request_error', `This PaymentIntent (${intent.id}) does not have a successful charge to refund.`,
        { code: 'charge_not_refundable', param: 'payment_intent' });
    }
    id = intent.latest_charge;
  }
  const charge = state.charges.get(id);
  if (!charge) throw notFound('charge', id, 'charge');
  if (charge.status !== 'succeeded') {
    throw new StripeApiError(400, 'invalid_request_error', `Charge ${charge.id} has not succeeded, so it can't be refunded.`, { code: 'charge_not_refundable', param: 'charge' });
  }
  return charge;
}

/**
 * Stripe refuses to refund a charge whose dispute is open (`charge_disputed`): the disputed funds
 * are already withdrawn and the card network decides. A dispute says whether its charge can still
 * be refunded (`is_charge_refundable`, true for an inquiry); https://docs.stripe.com/error-codes#charge-disputed
 */
function refuseIfDisputed(state: EmulatorState, charge: Stripe.Charge): void {
  if (!charge.disputed) return;
  for (const dispute of state.disputes.values()) {
    if (dispute.charge === charge.id && !dispute.is_charge_refundable) {
      throw new StripeApiError(400, 'invalid_request_error', `Charge ${charge.id} has been charged back; cannot issue a refund.`, { code: 'charge_disputed' });
    }
  }
}

/** `GET /v1/refunds`: newest first, optionally one PaymentIntent's (or one charge's), as Stripe lists them. */
export function listRefunds(state: EmulatorState, form: FormObject): Stripe.Refund[] {
  const paymentIntent = str(form.payment_intent);
  const charge = str(form.charge);
  return [...state.refunds.values()]
    .filter((r) => (!paymentIntent || r.payment_intent === paymentIntent) && (!charge || r.charge === charge))
    .reverse();
}
