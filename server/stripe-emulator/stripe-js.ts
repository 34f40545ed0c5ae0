/**
 * The Stripe.js stand-in, served at /v3/: plain browser script parts (no build step) joined into
 * one classic script, so a `<script src>` defines `window.Stripe` synchronously as Stripe's does,
 * with no eval and no inline code (it runs under a strict Content-Security-Policy).
 */
import { readFileSync } from 'node:fs';
import { sdkApiVersion } from './state.ts';

/** In dependency order: each part uses only what the ones before it define. */
const PARTS = ['api.js', 'styles.js', 'payment-element.js', 'challenge.js', 'stripe.js'];

const read = (file: string) => readFileSync(new URL(`./stripe-js/${file}`, import.meta.url), 'utf8');

export function stripeJsSource(): string {
  // Stripe.js reports its release train (e.g. "endive", the suffix of the API version the SDK is
  // pinned to); @stripe/stripe-js warns when it differs from the one it expects.
  const releaseTrain = sdkApiVersion().split('.')[1] ?? 'v3';
  return [
    "/* Stripe.js stand-in served by this project's offline Stripe emulator; see docs/stripe-emulator.md. */",
    '(function () {',
    "'use strict';",
    `const RELEASE_TRAIN = ${JSON.stringify(releaseTrain)};`,
    `const ELEMENT_CSS = ${JSON.stringify(read('elements.css'))};`,
    ...PARTS.map(read),
    '})();',
    '',
  ].join('\n');
}
