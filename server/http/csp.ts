/**
 * The Content-Security-Policy of every HTML page the server sends, written once here and set per
 * route with hono's secureHeaders(). Shop pages (the demo, the retry page) run no inline script
 * and load scripts only from this server and Stripe; the dev mailbox runs no script at all.
 */
import type { MiddlewareHandler } from 'hono';
import { secureHeaders } from 'hono/secure-headers';

export type PolicyDirectives = NonNullable<NonNullable<Parameters<typeof secureHeaders>[0]>['contentSecurityPolicy']>;

/** What a shop page may load from Stripe, per directive. */
interface StripeSources {
  script: string[];
  connect: string[];
  frame: string[];
}

/**
 * Stripe.js is served, called and framed from the origin(s) given: the emulator's, or the origin
 * of the real Stripe.js URL. Live Stripe's documented sources (issue 12) belong here and only here.
 */
function stripeSources(origins: readonly string[]): StripeSources {
  return { script: [...origins], connect: [...origins], frame: [...origins] };
}

/** The policy of the shop's pages, given the origin(s) Stripe.js comes from. */
export function shopPagePolicy(stripeOrigins: readonly string[]): PolicyDirectives {
  const stripe = stripeSources(stripeOrigins);
  return {
    defaultSrc: ["'self'"],
    scriptSrc: ["'self'", ...stripe.script],
    connectSrc: ["'self'", ...stripe.connect],
    frameSrc: stripe.frame,
    imgSrc: ["'self'", 'data:'],
    styleSrc: ["'self'", "'unsafe-inline'"],
    baseUri: ["'none'"],
    objectSrc: ["'none'"],
    formAction: ["'self'"],
  };
}

/** The dev mailbox: no script at all. Inline styles are allowed because an email's srcdoc iframe
 * inherits this policy and emails are styled inline; images may come from anywhere on https. */
export const mailboxPolicy: PolicyDirectives = {
  defaultSrc: ["'none'"],
  styleSrc: ["'unsafe-inline'"],
  imgSrc: ["'self'", 'data:', 'https:'],
  baseUri: ["'none'"],
  formAction: ["'none'"],
};

/**
 * A page's policy, and no Referer sent from it (the retry page's URL carries its token). The
 * app-wide secureHeaders() middleware wraps every route, so its other headers win where both set one.
 */
export function pageSecurity(policy: PolicyDirectives): MiddlewareHandler {
  return secureHeaders({ contentSecurityPolicy: policy, referrerPolicy: 'no-referrer' });
}
