/**
 * The Stripe.js stand-in, served at /v3/ on an origin of its own (as js.stripe.com is): plain
 * browser script parts (no build step) joined into one classic script, so a `<script src>` defines
 * `window.Stripe` synchronously as Stripe's does, with no eval and no inline code (it runs under a
 * strict Content-Security-Policy). It calls the API origin and frames the hooks origin, as Stripe.js
 * calls api.stripe.com and frames hooks.stripe.com, so a page's CSP must allow all three.
 */
import { readFileSync } from 'node:fs';
import { Hono } from 'hono';
import type { EmulatorOrigins } from './app.ts';
import { COUNTRY_CODES } from '../../shared/countries.ts';
import { sdkApiVersion } from './state.ts';

/** In dependency order: each part uses only what the ones before it define. */
const PARTS = ['api.js', 'styles.js', 'words.js', 'element.js', 'fields.js', 'payment-element.js', 'address-element.js', 'express-checkout-element.js', 'challenge.js', 'stripe.js'];

const read = (file: string) => readFileSync(new URL(`./stripe-js/${file}`, import.meta.url), 'utf8');

/** Wallets the emulated device has: the Express Checkout Element offers those the intent can take. */
export type Wallet = 'apple_pay' | 'google_pay' | 'link';
export const DEFAULT_WALLETS: readonly Wallet[] = ['apple_pay', 'google_pay'];

export function stripeJsSource(origins: Pick<EmulatorOrigins, 'api' | 'hooks'>, wallets: readonly Wallet[] = DEFAULT_WALLETS): string {
  // Stripe.js reports its release train (e.g. "endive", the suffix of the API version the SDK is
  // pinned to); @stripe/stripe-js warns when it differs from the one it expects.
  const releaseTrain = sdkApiVersion().split('.')[1] ?? 'v3';
  return [
    "/* Stripe.js stand-in served by this project's offline Stripe emulator; see docs/stripe-emulator.md. */",
    '(function () {',
    "'use strict';",
    `const RELEASE_TRAIN = ${JSON.stringify(releaseTrain)};`,
    `const API_ORIGIN = ${JSON.stringify(origins.api)};`,
    `const HOOKS_ORIGIN = ${JSON.stringify(origins.hooks)};`,
    `const WALLETS = ${JSON.stringify(wallets)};`,
    `const ELEMENT_CSS = ${JSON.stringify(read('elements.css'))};`,
    `const COUNTRY_CODES = ${JSON.stringify([...COUNTRY_CODES])};`,
    ...PARTS.map(read),
    '})();',
    '',
  ].join('\n');
}

/** Serves the stand-in; `origins` are read once the emulator listens on all three. */
export function stripeJsApp(origins: () => EmulatorOrigins, wallets: () => readonly Wallet[] = () => DEFAULT_WALLETS): Hono {
  const scripts = new Map<string, string>();
  const script = () => {
    const key = wallets().join();
    let source = scripts.get(key);
    if (!source) scripts.set(key, (source = stripeJsSource(origins(), wallets())));
    return source;
  };
  const app = new Hono();
  app.get('/v3', (c) => c.redirect('/v3/', 301));
  app.get('/v3/', (c) => c.body(script(), 200, {
    'Content-Type': 'text/javascript; charset=utf-8', 'Cache-Control': 'no-cache', 'X-Content-Type-Options': 'nosniff',
    // Loaded cross-origin by the merchant's page, as js.stripe.com is.
    'Access-Control-Allow-Origin': '*',
  }));
  return app;
}
