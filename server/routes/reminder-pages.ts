/**
 * The pages an abandoned-cart reminder links to. `GET /cart/restore/:token` opens the widget on
 * the cart the signed token names. `GET /unsubscribe/:token` asks for a confirming click (a POST,
 * so a mail scanner that follows links unsubscribes nobody) and `POST /unsubscribe/:token` records
 * it. No inline script; no Referer, since the URLs carry tokens.
 */
import { Hono } from 'hono';
import { html } from 'hono/html';
import type { CheckoutDeps } from '../checkout/context.ts';
import { pageSecurity, shopPagePolicy, type StripeSources } from '../http/csp.ts';
import { linkTokenParam } from './carts.ts';
import { shopPage } from './shop-page.ts';

export function reminderPageRoutes(deps: Pick<CheckoutDeps, 'tokens' | 'unsubscribes' | 'clock' | 'settings'>, o: { stripe: StripeSources; widgetPath: string }) {
  const valid = (purpose: 'restore' | 'unsubscribe', token: string): string | null => {
    try {
      return deps.tokens.verifyFor(purpose, token, deps.clock());
    } catch {
      return null;
    }
  };
  const { shopName, publicUrl } = deps.settings;
  const page = (title: string, body: ReturnType<typeof html>) => shopPage({ shopName, publicUrl, title, body });
  return new Hono()
    .get('/cart/restore/:token', pageSecurity(shopPagePolicy(o.stripe)), linkTokenParam, (c) => {
      const { token } = c.req.valid('param');
      if (!valid('restore', token)) {
        return c.html(page('Your cart', html`<p role="alert">This link to your cart is invalid or has expired.</p>
    <p><a href="${publicUrl}/">Back to ${shopName}</a></p>`), 400);
      }
      return c.html(page('Your cart', html`<p>Here is the cart you left. <a href="${publicUrl}/">Keep shopping</a></p>
    <checkout-cart api="${publicUrl}" restore-token="${token}" open></checkout-cart>
    <script type="module" src="${o.widgetPath}"></script>`));
    })
    .get('/unsubscribe/:token', pageSecurity(shopPagePolicy(o.stripe)), linkTokenParam, (c) => {
      const { token } = c.req.valid('param');
      const email = valid('unsubscribe', token);
      if (!email) return c.html(page('Unsubscribe', html`<p role="alert">This unsubscribe link is invalid.</p>`), 400);
      return c.html(page('Unsubscribe', html`<p>Stop cart reminders to <strong>${email}</strong>?</p>
    <form method="post"><button type="submit">Unsubscribe</button></form>`));
    })
    .post('/unsubscribe/:token', pageSecurity(shopPagePolicy(o.stripe)), linkTokenParam, async (c) => {
      const { token } = c.req.valid('param');
      const email = valid('unsubscribe', token);
      if (!email) return c.html(page('Unsubscribe', html`<p role="alert">This unsubscribe link is invalid.</p>`), 400);
      await deps.unsubscribes.unsubscribe(email, deps.clock());
      return c.html(page('Unsubscribed', html`<p>Done: no more cart reminders to <strong>${email}</strong>.</p>
    <p><a href="${publicUrl}/">Back to ${shopName}</a></p>`));
    });
}
