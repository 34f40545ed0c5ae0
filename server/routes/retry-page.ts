/**
 * `GET /checkout/retry/:token`: the page a recovery email links to, for every state the link can
 * find its checkout in, each with the shop's header and a way back to the shop:
 * - unpaid (pending, failed): the widget opens straight into that checkout's payment step (its cart
 *   toggle hidden: this page pays one order, it is not a cart); once paid, the page says so;
 * - being paid: the widget follows the payment to its order;
 * - paid: the order number, nothing more to pay;
 * - needs attention: the payment arrived and is being looked at;
 * - closed (the hold ran out, or the link did): what happened and that nothing was charged, 410;
 * - a forged or mangled link: what may have gone wrong and the way to the shop, 400 (404 when a
 *   genuine link's checkout is gone).
 * No inline script (the page's one script is /checkout/retry-page.js); no Referer, since the URL
 * carries the token.
 */
import { Hono } from 'hono';
import { html } from 'hono/html';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import type { CheckoutState } from '../../shared/api.ts';
import { checkoutState } from '../checkout/checkout-status.ts';
import type { CheckoutDeps } from '../checkout/context.ts';
import { pageSecurity, shopPagePolicy, type StripeSources } from '../http/csp.ts';
import { retryTokenParam } from './checkouts.ts';
import { shopPage } from './shop-page.ts';

const PAGE_SCRIPT = '/checkout/retry-page.js';

/** Once the widget reports the order, the page stops asking for a payment and shows the order number. */
const pageScript = `// The recovery page's one script: when the widget reports the order, the page says it is paid.
document.addEventListener('checkout-completed', (event) => {
  const paid = document.getElementById('paid');
  if (!paid) return;
  paid.querySelector('[data-order-number]').textContent = event.orderNumber;
  document.getElementById('unpaid').hidden = true;
  paid.hidden = false;
});
`;

const paidText = (number: string) => html`<p>Thank you: order <strong data-order-number>${number}</strong> is paid, and its confirmation is on its way by email. There is nothing more to pay.</p>`;

type Found = { kind: 'invalid'; status: 400 | 404 } | { kind: 'closed' } | { kind: 'checkout'; state: CheckoutState };

async function find(deps: CheckoutDeps, token: string): Promise<Found> {
  const link = deps.tokens.read('retry', token);
  if (!link) return { kind: 'invalid', status: 400 };
  const checkout = await deps.checkouts.byId(link.subject);
  if (!checkout) return { kind: 'invalid', status: 404 };
  const state = await checkoutState(deps, checkout.id);
  // A paid order stays paid after its link runs out; an unpaid one is closed with it.
  if (state.status === 'canceled' || (link.expiresAt <= deps.clock() && (state.status === 'pending' || state.status === 'failed'))) return { kind: 'closed' };
  return { kind: 'checkout', state };
}

export function retryPageRoutes(deps: CheckoutDeps, o: { stripe: StripeSources; widgetPath: string }) {
  const { shopName, publicUrl } = deps.settings;
  const shop = html`<a href="${publicUrl}/">${shopName}</a>`;
  return new Hono()
    .get('/retry-page.js', (c) => c.body(pageScript, 200, { 'Content-Type': 'text/javascript; charset=utf-8', 'Cache-Control': 'public, max-age=300' }))
    .get('/retry/:token', pageSecurity(shopPagePolicy(o.stripe)), retryTokenParam, async (c) => {
      const { token } = c.req.valid('param');
      const found = await find(deps, token);
      const page = (title: string, body: ReturnType<typeof html>, status: ContentfulStatusCode = 200, scripts?: string[]) =>
        c.html(shopPage({ shopName, publicUrl, title, body, scripts }), status);

      if (found.kind === 'invalid') {
        return page('This payment link does not work', html`<p role="alert">The link may have been cut short or changed when it was copied from the email. Open it from the email again, or go back to ${shop}: your cart may still be there.</p>`, found.status);
      }
      if (found.kind === 'closed') {
        return page('This checkout has closed', html`<p>Your items were held for a while after the payment did not go through, and have now been released. Nothing was charged.</p>
    <p>Start again from ${shop}.</p>`, 410);
      }
      const { state } = found;
      if (state.status === 'paid' && state.order) return page('This order is paid', paidText(state.order.number));
      if (state.status === 'needs_attention') {
        return page('We received your payment', html`<p>Something about it needs a closer look, and we will email you shortly. Please do not pay again.</p>`);
      }
      const widget = html`<checkout-cart api="${publicUrl}" retry-token="${token}" open></checkout-cart>`;
      const unpaid = state.status === 'pending' || state.status === 'failed'
        ? html`<p>Your last payment for this order did not go through, so nothing was charged, and your items are still reserved. Pay with another card, or try again, in the payment panel.</p>`
        : html`<p>Your payment is being confirmed; the payment panel shows the order as soon as it is done.</p>`;
      return page('Complete your payment', html`<div id="unpaid">
      ${unpaid}
      <p>Closed the panel? <a href="${c.req.path}">Open the payment again</a>.</p>
    </div>
    <div id="paid" hidden>${paidText('')}</div>
    ${widget}`, 200, [o.widgetPath, PAGE_SCRIPT]);
    });
}
