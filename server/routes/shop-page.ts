/**
 * The frame of the HTML pages the server itself shows shoppers (the recovery and reminder links'
 * pages): the shop's header with the way back to the shop, then the page's own content. No inline
 * script or style: they run under the shop pages' strict Content-Security-Policy. Everything
 * interpolated is escaped by hono's html``.
 */
import { html } from 'hono/html';
import type { HtmlEscapedString } from 'hono/utils/html';

type Content = HtmlEscapedString | Promise<HtmlEscapedString>;

export interface ShopPage {
  shopName: string;
  /** Where the header's brand and way back lead: the merchant's shop. */
  shopUrl: string;
  title: string;
  body: Content;
  /** A script of the server's own, loaded as a module after the content. */
  scripts?: string[];
  /** The page's language (the widget on it follows), and the header's link back in it. */
  lang?: string;
  backToShop?: string;
}

/** `text` with `{name}` replaced by markup (a link, a number in bold), the rest escaped. */
export function withMarkup(text: string, name: string, markup: Content) {
  const [before, after = ''] = text.split(`{${name}}`);
  return html`${before}${markup}${after}`;
}

export function shopPage(p: ShopPage) {
  return html`<!doctype html>
<html lang="${p.lang ?? 'en'}">
  <head>
    <meta charset="utf-8">
    <meta name="viewport" content="width=device-width, initial-scale=1">
    <title>${p.title} · ${p.shopName}</title>
    <link rel="stylesheet" href="/demo.css">
  </head>
  <body>
    <header class="site-header">
      <a class="brand" href="${p.shopUrl}">${p.shopName}</a>
      <nav aria-label="${p.shopName}"><a href="${p.shopUrl}">${p.backToShop ?? 'Back to the shop'}</a></nav>
    </header>
    <main class="shop-page">
    <h1>${p.title}</h1>
    ${p.body}
    </main>
    ${(p.scripts ?? []).map((src) => html`<script type="module" src="${src}"></script>`)}
  </body>
</html>`;
}
