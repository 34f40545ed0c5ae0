import { Hono } from 'hono';
import { html } from 'hono/html';
import type { CheckoutDeps } from '../checkout/context.ts';
import { pageSecurity, shopPagePolicy, type StripeSources } from '../http/csp.ts';
import { retryTokenParam } from './checkouts.ts';

/**
 * `GET /checkout/retry/:token`: the page a recovery email links to. The widget opens straight into
 * the payment step of the checkout the signed token names. No inline script: it works under the
 * strict Content-Security-Policy this page is served with, and it sends no Referer, since its URL
 * carries the token.
 */
export function retryPageRoutes(deps: CheckoutDeps, o: { stripe: StripeSources; widgetPath: string }) {
  return new Hono().get('/retry/:token', pageSecurity(shopPagePolicy(o.stripe)), retryTokenParam, (c) => {
    const { token } = c.req.valid('param');
    let valid = true;
    try {
      deps.tokens.verify(token, deps.clock());
    } catch {
      valid = false;
    }
    const body = valid
      ? html`<p>Your items are still reserved. Choose another card or try again below.</p>
    <checkout-cart api="${deps.settings.publicUrl}" retry-token="${token}" open></checkout-cart>
    <script type="module" src="${o.widgetPath}"></script>`
      : html`<p role="alert">This payment link is invalid or has expired. Please start a new checkout from the shop.</p>`;
    return c.html(html`<!doctype html>
<html lang="en">
  <head>
    <meta charset="utf-8">
    <meta name="viewport" content="width=device-width, initial-scale=1">
    <title>Complete your payment · ${deps.settings.shopName}</title>
    <link rel="stylesheet" href="/demo.css">
  </head>
  <body>
    <main class="retry">
    <h1>Complete your payment</h1>
    ${body}
    </main>
  </body>
</html>`, valid ? 200 : 400);
  });
}
