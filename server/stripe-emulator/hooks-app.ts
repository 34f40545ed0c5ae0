/**
 * The shopper-facing pages Stripe serves from hooks.stripe.com, on an origin of their own:
 * - the 3D Secure challenge, which Stripe.js frames in the merchant's page (so the page's CSP must
 *   allow this origin in `frame-src`): Complete or Fail, as on Stripe's test page; the answer is
 *   posted here and the frame tells its parent, which reads the PaymentIntent;
 * - the test page a redirect-based payment method sends the shopper to: as on Stripe's test pages
 *   the shopper picks the outcome, and is sent back to `return_url` with `redirect_status` (a plain
 *   HTML form, no script).
 */
import { Hono } from 'hono';
import type Stripe from 'stripe';
import { REDIRECT_RESULTS, authenticateIntent, completeRedirect, intentForRedirect, type RedirectResult } from './confirm.ts';
import { StripeApiError } from './errors.ts';
import type { EmulatorState } from './state.ts';

const STYLES = `
body { font: 16px/1.5 system-ui, sans-serif; margin: 0; background: #f6f8fa; color: #1a1f36; }
main { max-width: 28rem; margin: 3rem auto; padding: 2rem; background: #fff; border-radius: 8px; box-shadow: 0 1px 3px rgb(0 0 0 / 15%); }
h1 { font-size: 1.25rem; margin: 0 0 1rem; }
form { display: grid; gap: 0.75rem; margin-top: 1.5rem; }
button { font: inherit; padding: 0.75rem 1rem; border-radius: 6px; border: 1px solid #635bff; background: #635bff; color: #fff; cursor: pointer; }
button.secondary { background: #fff; color: #635bff; }
main.challenge { margin: 0; max-width: none; box-shadow: none; border-radius: 0; padding: 1.5rem; }
.actions { display: flex; gap: 0.75rem; margin-top: 1rem; }
.actions button.secondary { color: #a3102f; border-color: #a3102f; }
button:disabled { opacity: 0.6; cursor: progress; }
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

function page(title: string, body: string, o: { main?: string; script?: string } = {}): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escape(title)}</title><link rel="stylesheet" href="/hooks.css"></head><body><main${o.main ? ` class="${o.main}"` : ''}>${body}</main>${o.script ? `<script src="${o.script}"></script>` : ''}</body></html>`;
}

/**
 * The challenge frame's script: Complete is focused; a click (or Escape, which counts as Fail, as
 * closing Stripe's modal does) posts the answer, then tells the parent page to read the intent.
 */
const CHALLENGE_SCRIPT = `
const id = location.pathname.split('/').pop();
const secret = new URLSearchParams(location.search).get('client_secret');
const buttons = Array.from(document.querySelectorAll('button[data-result]'));
const status = document.getElementById('status');
let answered = false;
async function answer(result) {
  if (answered) return;
  answered = true;
  for (const b of buttons) b.disabled = true;
  status.textContent = 'Sending your answer…';
  await fetch(location.pathname, { method: 'POST', body: new URLSearchParams({ client_secret: secret, result }) }).catch(() => undefined);
  parent.postMessage({ type: 'emulated-stripe-3ds', intent: id }, '*');
}
for (const b of buttons) b.addEventListener('click', () => answer(b.dataset.result));
document.addEventListener('keydown', (e) => { if (e.key === 'Escape') answer('fail'); });
buttons[0].focus();
`;

export function hooksApp(state: EmulatorState): Hono {
  const app = new Hono();
  app.get('/hooks.css', (c) => c.body(STYLES, 200, { 'Content-Type': 'text/css; charset=utf-8' }));

  app.get('/3ds.js', (c) => c.body(CHALLENGE_SCRIPT, 200, { 'Content-Type': 'text/javascript; charset=utf-8' }));

  const challenged = (id: string, secret: string | undefined) => {
    const intent = state.paymentIntents.get(id);
    return intent && secret && intent.client_secret === secret ? intent : undefined;
  };
  app.get('/3ds/:id', (c) => {
    const intent = challenged(c.req.param('id'), c.req.query('client_secret'));
    // Framed by the merchant's page, as Stripe's 3D Secure frame is: no frame-ancestors limit.
    c.header('Content-Security-Policy', "default-src 'none'; style-src 'self'; script-src 'self'; connect-src 'self'; base-uri 'none'; form-action 'none'");
    if (!intent) return c.html(page('3D Secure', '<h1>This authentication is no longer valid.</h1>'), 404);
    return c.html(page('3D Secure authentication', `<h1>3D Secure authentication</h1>
<p>Test page of the Stripe emulator, standing in for your bank. Complete or fail the authentication of ${escape(formatAmount(intent))}.</p>
<div class="actions"><button type="button" data-result="complete" data-testid="three-ds-complete">Complete</button>
<button type="button" class="secondary" data-result="fail" data-testid="three-ds-fail">Fail</button></div>
<p id="status" role="status"></p>`, { main: 'challenge', script: '/3ds.js' }));
  });
  app.post('/3ds/:id', async (c) => {
    const form = await c.req.parseBody();
    const intent = challenged(c.req.param('id'), String(form.client_secret ?? ''));
    const result = String(form.result ?? '');
    if (!intent || (result !== 'complete' && result !== 'fail')) return c.json({ error: { type: 'invalid_request_error', message: 'No such challenge.' } }, 404);
    try {
      const { status } = authenticateIntent(state, intent.id, result);
      state.changed();
      return c.json({ status });
    } catch (err) {
      if (err instanceof StripeApiError) return c.json(err.toJSON(), err.status as 400);
      throw err;
    }
  });

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
    const back = completeRedirect(state, intent, result as RedirectResult);
    state.changed();
    return c.redirect(back, 303);
  });
  return app;
}
