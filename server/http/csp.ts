/**
 * The Content-Security-Policy of every HTML page the server sends, written once here and set per
 * route with hono's secureHeaders(). Shop pages (the demo, the retry page) run no inline script
 * and load scripts only from this server and Stripe; the dev mailbox runs no script at all.
 */
import type { MiddlewareHandler } from 'hono';
import { secureHeaders } from 'hono/secure-headers';

export type PolicyDirectives = NonNullable<NonNullable<Parameters<typeof secureHeaders>[0]>['contentSecurityPolicy']>;

/** What a shop page may load from Stripe, per directive: where Stripe.js comes from, what it calls, what it frames. */
export interface StripeSources {
  script: readonly string[];
  connect: readonly string[];
  frame: readonly string[];
}

/**
 * Live Stripe, as Stripe's CSP guide lists it for Stripe.js and Elements
 * (https://docs.stripe.com/security/guide#content-security-policy): Stripe.js from js.stripe.com,
 * its calls to api.stripe.com, its frames (the Payment Element, 3D Secure) from js.stripe.com and
 * hooks.stripe.com. The guide's maps.googleapis.com is for the Address Element, which the widget
 * doesn't use.
 */
export const LIVE_STRIPE_SOURCES: StripeSources = {
  script: ['https://js.stripe.com', 'https://*.js.stripe.com'],
  connect: ['https://api.stripe.com'],
  frame: ['https://js.stripe.com', 'https://*.js.stripe.com', 'https://hooks.stripe.com'],
};

/**
 * The emulator's three origins, which stand for those three hosts: Stripe.js from `js`, its calls to
 * `api`, its 3D Secure challenge framed from `hooks`. A page missing one fails offline as it would live.
 */
export function emulatedStripeSources(origins: { api: string; js: string; hooks: string }): StripeSources {
  return { script: [origins.js], connect: [origins.api], frame: [origins.hooks] };
}

/** The policy of the shop's pages, given where Stripe lives. */
export function shopPagePolicy(stripe: StripeSources): PolicyDirectives {
  return {
    defaultSrc: ["'self'"],
    scriptSrc: ["'self'", ...stripe.script],
    connectSrc: ["'self'", ...stripe.connect],
    frameSrc: [...stripe.frame],
    imgSrc: ["'self'", 'data:'],
    styleSrc: ["'self'", "'unsafe-inline'"],
    baseUri: ["'none'"],
    objectSrc: ["'none'"],
    formAction: ["'self'"],
  };
}

/** The merchant's console (/admin): its own scripts and styles only, nothing inline (Lit's styles
 * are constructed stylesheets, which need no 'unsafe-inline'), calls to its own origin, no Stripe,
 * no frames either way. Product images may be anywhere on https. */
export const consolePolicy: PolicyDirectives = {
  defaultSrc: ["'self'"],
  scriptSrc: ["'self'"],
  styleSrc: ["'self'"],
  connectSrc: ["'self'"],
  imgSrc: ["'self'", 'data:', 'https:'],
  frameSrc: ["'none'"],
  frameAncestors: ["'none'"],
  baseUri: ["'none'"],
  objectSrc: ["'none'"],
  formAction: ["'self'"],
};

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
