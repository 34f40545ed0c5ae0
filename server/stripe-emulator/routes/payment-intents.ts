/**
 * /v1/payment_intents. Retrieve, confirm and the 3D Secure answer are also Stripe.js routes: a
 * publishable key reaches them with the intent's client secret, as on Stripe.
 */
import { Hono, type Context } from 'hono';
import type Stripe from 'stripe';
import { StripeApiError } from '../errors.ts';
import { clientSecretOr, secretKey } from '../http/auth.ts';
import type { EmulatorEnv } from '../http/env.ts';
import { str, strings } from '../http/form.ts';
import { listOf } from '../http/list.ts';
import {
  authenticateIntent, cancelIntent, confirmIntent, createIntent, expandIntent, getIntent, listIntents, updateIntent,
} from '../payment-intents.ts';
import type { EmulatorState } from '../state.ts';

export function paymentIntentRoutes(state: EmulatorState): Hono<EmulatorEnv> {
  const clientSecret = clientSecretOr((c) => getIntent(state, c.req.param('id')!).client_secret);
  const expanded = (c: Context<EmulatorEnv>, intent: Stripe.PaymentIntent) => expandIntent(state, intent, strings(c.var.form.expand) ?? []);

  return new Hono<EmulatorEnv>()
    .post('/', secretKey, (c) => c.json(expanded(c, createIntent(state, c.var.form))))
    .get('/', secretKey, (c) => c.json(listOf(listIntents(state, c.var.form), c.var.form, '/v1/payment_intents')))
    .get('/:id', clientSecret, (c) => c.json(expanded(c, getIntent(state, c.req.param('id')))))
    .post('/:id', secretKey, (c) => c.json(expanded(c, updateIntent(state, c.req.param('id'), c.var.form))))
    .post('/:id/confirm', clientSecret, (c) => c.json(expanded(c, confirmIntent(state, c.req.param('id'), c.var.form))))
    .post('/:id/cancel', secretKey, (c) => c.json(expanded(c, cancelIntent(state, c.req.param('id'), c.var.form))))
    // The emulator's own route: the stand-in's 3D Secure modal posts the shopper's Complete / Fail here.
    .post('/:id/emulator_authenticate', clientSecret, (c) => {
      const result = str(c.var.form.result);
      if (result !== 'complete' && result !== 'fail') {
        throw new StripeApiError(400, 'invalid_request_error', 'result must be complete or fail.', { code: 'parameter_invalid', param: 'result' });
      }
      return c.json(authenticateIntent(state, c.req.param('id'), result));
    });
}
