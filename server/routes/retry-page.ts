/**
 * `GET /checkout/retry/:token`: the page a recovery email links to, for every state the link can
 * find its checkout in, each with the shop's header and a way back to the shop:
 * - unpaid (pending, failed): the widget opens straight into that checkout's payment step (its cart
 *   toggle hidden: this page pays one order, it is not a cart); once paid, the page says so;
 * - being paid: the widget follows the payment to its order;
 * - paid: the order number, where its confirmation went and where it ships, nothing more to pay;
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
import type { CheckoutState, Shipping } from '../../shared/api.ts';
import { addressLines } from '../../shared/shipping.ts';
import { reconcile } from '../checkout/checkout-status.ts';
import type { CheckoutDeps } from '../checkout/context.ts';
import { pageSecurity, shopPagePolicy, type StripeSources } from '../http/csp.ts';
import { retryTokenParam } from './checkouts.ts';
import { mailLanguage, mailWords, pageLocale, shopperLocale, type Say } from '../mail/mail-words.ts';
import { shopPage, withMarkup } from './shop-page.ts';

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

/**
 * A paid order as the shopper needs it: its number, where the confirmation went, where it ships
 * (an order that ships) and what happens next. `number` is empty on an unpaid page, whose script
 * fills it in once the widget reports the order; the email and address are the checkout's, which
 * the order takes.
 */
const paidText = (say: Say, number: string, paid: Pick<CheckoutState, 'email' | 'shipping'>) => html`<p>${withMarkup(say('retryPaidBody'), 'number', html`<strong data-order-number>${number}</strong>`)}</p>
    <p>${say('retryPaidSent', { email: paid.email })}</p>
    ${paid.shipping ? shipsTo(say, paid.shipping) : ''}<p>${say('retryPaidNext')}</p>`;

/** The name, the address lines and the rate, one a line, as a label reads. */
const shipsTo = (say: Say, shipping: Shipping) => html`<p><strong>${say('shipsTo')}</strong>${[shipping.name, ...addressLines(shipping.address), shipping.rate.label].map((line) => html`<br>${line}`)}</p>
    `;

type Found = { kind: 'invalid'; status: 400 | 404 } | { kind: 'closed'; locale: string } | { kind: 'checkout'; state: CheckoutState; locale: string };

async function find(deps: CheckoutDeps, token: string): Promise<Found> {
  const link = deps.tokens.read('retry', token);
  if (!link) return { kind: 'invalid', status: 400 };
  const checkout = await deps.checkouts.byId(link.subject);
  if (!checkout) return { kind: 'invalid', status: 404 };
  // Asked of Stripe while still open: a shopper who paid on this page and reloads before the
  // webhook came must read "paid", not "nothing was charged".
  const state = await reconcile(deps, checkout.id);
  // The page speaks the shopper's language, as the emails about this checkout do.
  const locale = shopperLocale(checkout, deps.settings.locale);
  // A paid order stays paid after its link runs out; an unpaid one is closed with it.
  if (state.status === 'canceled' || (link.expiresAt <= deps.clock() && (state.status === 'pending' || state.status === 'failed'))) return { kind: 'closed', locale };
  return { kind: 'checkout', state, locale };
}

export function retryPageRoutes(deps: CheckoutDeps, o: { stripe: StripeSources; widgetPath: string }) {
  const { shopName, publicUrl, shopUrl } = deps.settings;
  const shop = html`<a href="${shopUrl}">${shopName}</a>`;
  return new Hono()
    .get('/retry-page.js', (c) => c.body(pageScript, 200, { 'Content-Type': 'text/javascript; charset=utf-8', 'Cache-Control': 'public, max-age=300' }))
    .get('/retry/:token', pageSecurity(shopPagePolicy(o.stripe)), retryTokenParam, async (c) => {
      const { token } = c.req.valid('param');
      const found = await find(deps, token);
      // A mangled link names no checkout, so no shopper's language: the browser's, if there are words for it.
      const locale = found.kind === 'invalid' ? pageLocale(undefined, c.req.header('accept-language'), deps.settings.locale) : found.locale;
      const say = mailWords(locale);
      const page = (title: string, body: ReturnType<typeof html>, status: ContentfulStatusCode = 200, scripts?: string[]) =>
        c.html(shopPage({ shopName, shopUrl, title, body, scripts, lang: mailLanguage(locale), backToShop: say('backToShop') }), status);

      if (found.kind === 'invalid') {
        return page(say('retryInvalidTitle'), html`<p role="alert">${withMarkup(say('retryInvalidBody'), 'shop', shop)}</p>`, found.status);
      }
      if (found.kind === 'closed') {
        return page(say('retryClosedTitle'), html`<p>${say('retryClosedBody')}</p>
    <p>${withMarkup(say('retryStartAgain'), 'shop', shop)}</p>`, 410);
      }
      const { state } = found;
      if (state.status === 'paid' && state.order) return page(say('retryPaidTitle'), paidText(say, state.order.number, state.order));
      if (state.status === 'needs_attention') return page(say('retryAttentionTitle'), html`<p>${say('retryAttentionBody')}</p>`);
      const widget = html`<checkout-cart api="${publicUrl}" retry-token="${token}" open></checkout-cart>`;
      const unpaid = state.status === 'pending' || state.status === 'failed' ? say('retryUnpaid') : say('retryProcessing');
      return page(say('retryPayTitle'), html`<div id="unpaid">
      <p>${unpaid}</p>
      <p>${withMarkup(say('retryReopen'), 'link', html`<a href="${c.req.path}">${say('retryReopenLink')}</a>`)}</p>
    </div>
    <div id="paid" hidden>${paidText(say, '', state)}</div>
    ${widget}`, 200, [o.widgetPath, PAGE_SCRIPT]);
    });
}
