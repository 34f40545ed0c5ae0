/** What the emulator's middleware hands each route: the parsed params, who is calling, and how. */
import type { FormObject } from './form.ts';

export interface Caller {
  /** Secret keys reach every route; publishable keys only what Stripe.js calls, with a client secret. */
  kind: 'secret' | 'publishable';
  key: string;
}

export interface EmulatorEnv {
  Variables: {
    form: FormObject; rawBody: string; caller: Caller;
    /** This request's `Request-Id`. */
    requestId: string;
    /** The API version it is served at: its `Stripe-Version` header, else the account's. */
    apiVersion: string;
  };
}
