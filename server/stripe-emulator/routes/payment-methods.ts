/** /v1/payment_methods. Creating one is open to publishable keys, as Stripe.js does it; reading is server-only. */
import { Hono } from 'hono';
import { expandable } from '../expand.ts';
import { secretKey } from '../http/auth.ts';
import type { EmulatorEnv } from '../http/env.ts';
import { params } from '../http/params.ts';
import { createPaymentMethod, getPaymentMethod } from '../payment-methods.ts';
import { PAYMENT_METHOD_CREATE } from '../specs/payment-methods.ts';
import { EXPAND_ONLY } from '../specs/resources.ts';
import type { EmulatorState } from '../state.ts';

export function paymentMethodRoutes(state: EmulatorState): Hono<EmulatorEnv> {
  const one = expandable(state, 'payment_method');
  return new Hono<EmulatorEnv>()
    .post('/', params(PAYMENT_METHOD_CREATE), one, (c) => c.json(createPaymentMethod(state, c.var.form)))
    .get('/:id', secretKey, params(EXPAND_ONLY), one, (c) => c.json(getPaymentMethod(state, c.req.param('id'))));
}
