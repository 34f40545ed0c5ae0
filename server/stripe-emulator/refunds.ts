/** Full or partial refunds of a succeeded payment's charge; each emits `refund.created` and `charge.refunded`. */
import type Stripe from 'stripe';
import { chargeableAmount } from './currencies.ts';
import { StripeApiError, invalid, missing, notFound } from './errors.ts';
import { metadataParam, str, type FormObject } from './http/form.ts';
import { refundObject } from './objects.ts';
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
  return refund;
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
