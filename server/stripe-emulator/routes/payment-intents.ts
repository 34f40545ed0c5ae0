/**
 * /v1/payment_intents. Retrieve, confirm and the 3D Secure answer are also Stripe.js routes: a
 * publishable key reaches them with the intent's client secret, and gets the publishable subset back.
 */
import { Hono } from 'hono';
import { authenticateIntent, confirmIntent } from '../confirm.ts';
import { StripeApiError } from '../errors.ts';
import { expandable } from '../expand.ts';
import { clientSecretOr, secretKey } from '../http/auth.ts';
import type { EmulatorEnv } from '../http/env.ts';
import { booleanParam, str } from '../http/form.ts';
import { listOf } from '../http/list.ts';
import { params } from '../http/params.ts';
import { cancelIntent, captureIntent, createIntent, getIntent, listIntents, updateIntent } from '../payment-intents.ts';
import { publishableSubset } from '../publishable.ts';
import { searchIntents } from '../search.ts';
import * as spec from '../specs/payment-intents.ts';
import type { EmulatorState } from '../state.ts';

export function paymentIntentRoutes(state: EmulatorState): Hono<EmulatorEnv> {
  const clientSecret = clientSecretOr((c) => getIntent(state, c.req.param('id')!).client_secret);
  const one = expandable(state, 'payment_intent');

  return new Hono<EmulatorEnv>()
    .post('/', secretKey, params(spec.CREATE), one, (c) => {
      const { form } = c.var;
      const intent = createIntent(state, form);
      if (!booleanParam(form, 'confirm')) return c.json(intent);
      // The method was resolved on create (a `pm_card_*` token makes a new one): confirm with that one.
      const { payment_method: _resolved, ...confirmParams } = form;
      return c.json(confirmIntent(state, intent.id, confirmParams));
    })
    .get('/', secretKey, params(spec.LIST), expandable(state, { list: 'payment_intent' }),
      (c) => c.json(listOf(listIntents(state, c.var.form), c.var.form, '/v1/payment_intents')))
    .get('/search', secretKey, params(spec.SEARCH), expandable(state, { list: 'payment_intent' }), (c) => c.json(searchIntents(state, c.var.form)))
    .get('/:id', clientSecret, publishableSubset, params(spec.RETRIEVE), one, (c) => c.json(getIntent(state, c.req.param('id'))))
    .post('/:id', secretKey, params(spec.UPDATE), one, (c) => c.json(updateIntent(state, c.req.param('id'), c.var.form)))
    .post('/:id/confirm', clientSecret, publishableSubset, params(spec.CONFIRM), one, (c) => c.json(confirmIntent(state, c.req.param('id'), c.var.form)))
    .post('/:id/capture', secretKey, params(spec.CAPTURE), one, (c) => c.json(captureIntent(state, c.req.param('id'), c.var.form)))
    .post('/:id/cancel', secretKey, params(spec.CANCEL), one, (c) => c.json(cancelIntent(state, c.req.param('id'), c.var.form)))
    // The emulator's own route: the stand-in's 3D Secure challenge posts the shopper's Complete / Fail here.
    .post('/:id/emulator_authenticate', clientSecret, publishableSubset, params(spec.AUTHENTICATE), (c) => {
      const result = str(c.var.form.result);
      if (result !== 'complete' && result !== 'fail') {
        throw new StripeApiError(400, 'invalid_request_error', 'result must be complete or fail.', { code: 'parameter_invalid', param: 'result' });
      }
      return c.json(authenticateIntent(state, c.req.param('id'), result));
    });
}
