/**
 * The pages an abandoned-cart reminder links to. `GET /cart/restore/:token` opens the widget on
 * the cart the signed token names. `GET /unsubscribe/:token` asks for a confirming click (a POST,
 * so a mail scanner that follows links unsubscribes nobody) and `POST /unsubscribe/:token` records
 * it. No inline script; no Referer, since the URLs carry tokens.
 */
import { Hono, type Context } from 'hono';
import { html } from 'hono/html';
import type { CheckoutDeps } from '../checkout/context.ts';
import { pageSecurity, shopPagePolicy, type StripeSources } from '../http/csp.ts';
import { mailLanguage, mailWords, pageLocale } from '../mail/mail-words.ts';
import { linkTokenParam } from './carts.ts';
import { shopPage, withMarkup } from './shop-page.ts';

export function reminderPageRoutes(deps: Pick<CheckoutDeps, 'tokens' | 'unsubscribes' | 'clock' | 'settings'>, o: { stripe: StripeSources; widgetPath: string }) {
  const valid = (purpose: 'restore' | 'unsubscribe', token: string): string | null => {
    try {
      return deps.tokens.verifyFor(purpose, token, deps.clock());
    } catch {
      return null;
    }
  };
  const { shopName, publicUrl, shopUrl } = deps.settings;
  /** The page in the reminder's language (its links carry it; the widget on the page follows). */
  const pageFor = (c: Context) => {
    const language = mailLanguage(pageLocale(c.req.query('lang'), c.req.header('accept-language'), deps.settings.locale));
    const say = mailWords(language);
    const page = (title: string, body: ReturnType<typeof html>, scripts?: string[]) =>
      shopPage({ shopName, shopUrl, title, body, scripts, lang: language, backToShop: say('backToShop') });
    return { say, page };
  };
  const toShop = (text: string) => html`<a href="${shopUrl}">${text}</a>`;
  return new Hono()
    .get('/cart/restore/:token', pageSecurity(shopPagePolicy(o.stripe)), linkTokenParam, (c) => {
      const { token } = c.req.valid('param');
      const { say, page } = pageFor(c);
      if (!valid('restore', token)) {
        return c.html(page(say('cartPageTitle'), html`<p role="alert">${say('cartLinkInvalid')}</p>`), 400);
      }
      return c.html(page(say('cartPageTitle'), html`<p>${withMarkup(say('cartRestored'), 'link', toShop(say('keepShopping')))}</p>
    <checkout-cart api="${publicUrl}" restore-token="${token}" open></checkout-cart>`, [o.widgetPath]));
    })
    .get('/unsubscribe/:token', pageSecurity(shopPagePolicy(o.stripe)), linkTokenParam, (c) => {
      const { token } = c.req.valid('param');
      const { say, page } = pageFor(c);
      const email = valid('unsubscribe', token);
      if (!email) return c.html(page(say('unsubscribeTitle'), html`<p role="alert">${say('unsubscribeInvalid')}</p>`), 400);
      return c.html(page(say('unsubscribeTitle'), html`<p>${withMarkup(say('unsubscribeAsk'), 'email', html`<strong>${email}</strong>`)}</p>
    <form method="post"><button type="submit">${say('unsubscribeButton')}</button></form>`));
    })
    .post('/unsubscribe/:token', pageSecurity(shopPagePolicy(o.stripe)), linkTokenParam, async (c) => {
      const { token } = c.req.valid('param');
      const { say, page } = pageFor(c);
      const email = valid('unsubscribe', token);
      if (!email) return c.html(page(say('unsubscribeTitle'), html`<p role="alert">${say('unsubscribeInvalid')}</p>`), 400);
      await deps.unsubscribes.unsubscribe(email, deps.clock());
      return c.html(page(say('unsubscribedTitle'), html`<p>${withMarkup(say('unsubscribedBody'), 'email', html`<strong>${email}</strong>`)}</p>
    <p>${toShop(say('backToShop'))}</p>`));
    });
}
