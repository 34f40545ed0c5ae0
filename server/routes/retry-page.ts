import { Hono } from 'hono';
import type { CheckoutDeps } from '../checkout/context.ts';
import { escapeHtml } from '../http/html.ts';

/**
 * `GET /checkout/retry/:token`: the page a recovery email links to. The widget opens straight into
 * the payment step of the checkout the signed token names. No inline script: it works under the
 * strict Content-Security-Policy this page is served with.
 */
export function retryPageRoutes(deps: CheckoutDeps, o: { stripeOrigin: string; widgetPath: string }): Hono {
  return new Hono().get('/retry/:token', (c) => {
    const token = c.req.param('token');
    let valid = true;
    try {
      deps.tokens.verify(token, deps.clock());
    } catch {
      valid = false;
    }
    const shop = escapeHtml(deps.settings.shopName);
    c.header('Content-Security-Policy', [
      "default-src 'self'", `script-src 'self' ${o.stripeOrigin}`, `connect-src 'self' ${o.stripeOrigin}`,
      `frame-src ${o.stripeOrigin}`, "img-src 'self' data:", "style-src 'self' 'unsafe-inline'", "base-uri 'none'", "object-src 'none'",
    ].join('; '));
    c.header('Referrer-Policy', 'no-referrer');
    const body = valid
      ? `<p>Your items are still reserved. Choose another card or try again below.</p>
    <checkout-cart api="${escapeHtml(deps.settings.publicUrl)}" retry-token="${escapeHtml(token)}" open></checkout-cart>
    <script type="module" src="${escapeHtml(o.widgetPath)}"></script>`
      : '<p role="alert">This payment link is invalid or has expired. Please start a new checkout from the shop.</p>';
    return c.html(`<!doctype html>
<html lang="en">
  <head>
    <meta charset="utf-8">
    <meta name="viewport" content="width=device-width, initial-scale=1">
    <title>Complete your payment · ${shop}</title>
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
