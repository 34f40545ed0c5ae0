/** /v1/payment_methods. Creating one is open to publishable keys, as Stripe.js does it; reading is server-only. */
import { Hono } from 'hono';
import { secretKey } from '../http/auth.ts';
import type { EmulatorEnv } from '../http/env.ts';
import { createCardPaymentMethod, getPaymentMethod } from '../payment-methods.ts';
import type { EmulatorState } from '../state.ts';

export function paymentMethodRoutes(state: EmulatorState): Hono<EmulatorEnv> {
  return new Hono<EmulatorEnv>()
    .post('/', (c) => c.json(createCardPaymentMethod(state, c.var.form)))
    .get('/:id', secretKey, (c) => c.json(getPaymentMethod(state, c.req.param('id'))));
}
