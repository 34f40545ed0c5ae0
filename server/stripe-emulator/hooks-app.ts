/**
 * The shopper-facing pages Stripe serves from hooks.stripe.com, on an origin of their own: the test
 * page a redirect-based payment method sends the shopper to. As on Stripe's test pages, the shopper
 * picks the outcome; the page then sends them back to `return_url` with `redirect_status`. Plain
 * HTML forms, no script.
 */
import { Hono } from 'hono';
import type Stripe from 'stripe';
import { REDIRECT_RESULTS, completeRedirect, intentForRedirect, type RedirectResult } from './confirm.ts';
import type { EmulatorState } from './state.ts';

const STYLES = `
body { font: 16px/1.5 system-ui, sans-serif; margin: 0; background: #f6f8fa; color: #1a1f36; }
main { max-width: 28rem; margin: 3rem auto; padding: 2rem; background: #fff; border-radius: 8px; box-shadow: 0 1px 3px rgb(0 0 0 / 15%); }
h1 { font-size: 1.25rem; margin: 0 0 1rem; }
form { display: grid; gap: 0.75rem; margin-top: 1.5rem; }
button { font: inherit; padding: 0.75rem 1rem; border-radius: 6px; border: 1px solid #635bff; background: #635bff; color: #fff; cursor: pointer; }
button.secondary { background: #fff; color: #635bff; }
button:focus-visible { outline: 3px solid #1a1f36; outline-offset: 2px; }
`;

const CHOICES: [RedirectResult, string, string][] = [
  ['authorize', 'Authorize test payment', ''],
  ['settle_later', 'Authorize, settles later (processing, then succeeds)', 'secondary'],
  ['fail_later', 'Authorize, fails later (processing, then fails)', 'secondary'],
  ['fail', 'Fail test payment', 'secondary'],
];

const escape = (s: string) => s.replace(/[&<>"']/g, (ch) => `&#${ch.charCodeAt(0)};`);

function formatAmount(intent: Stripe.PaymentIntent): string {
  try {
    const format = new Intl.NumberFormat('en-US', { style: 'currency', currency: intent.currency.toUpperCase() });
    return format.format(intent.amount / 10 ** (format.resolvedOptions().maximumFractionDigits ?? 2));
  } catch {
    return `${intent.amount} ${intent.currency.toUpperCase()}`;
  }
}

function page(title: string, body: string): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escape(title)}</title><link rel="stylesheet" href="/hooks.css"></head><body><main>${body}</main></body></html>`;
}

export function hooksApp(state: EmulatorState): Hono {
  const app = new Hono();
  app.get('/hooks.css', (c) => c.body(STYLES, 200, { 'Content-Type': 'text/css; charset=utf-8' }));

  app.get('/redirect/:token', (c) => {
    const intent = intentForRedirect(state, c.req.param('token'));
    if (!intent) return c.html(page('Payment link expired', '<h1>This test payment page is no longer valid.</h1>'), 404);
    const back = new URL(state.intentExtras.get(intent.id)!.redirect!.returnUrl).origin;
    const buttons = CHOICES.map(([value, label, css]) => `<button type="submit" name="result" value="${value}"${css ? ` class="${css}"` : ''}>${escape(label)}</button>`).join('');
    c.header('Content-Security-Policy', `default-src 'none'; style-src 'self'; form-action 'self' ${back}; base-uri 'none'; frame-ancestors 'none'`);
    return c.html(page('Test payment', `<h1>Emulated PayPal test payment</h1>
<p>Test page of the Stripe emulator, standing in for the payment method's own page. Choose how the payment of ${escape(formatAmount(intent))} ends.</p>
<form method="post">${buttons}</form>`));
  });

  app.post('/redirect/:token', async (c) => {
    const intent = intentForRedirect(state, c.req.param('token'));
    const result = String((await c.req.parseBody()).result ?? '');
    if (!intent || !REDIRECT_RESULTS.has(result)) return c.html(page('Payment link expired', '<h1>This test payment page is no longer valid.</h1>'), 404);
    return c.redirect(completeRedirect(state, intent, result as RedirectResult), 303);
  });
  return app;
}
