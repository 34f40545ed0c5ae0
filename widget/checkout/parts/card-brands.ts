import { html, svg } from 'lit';
import type { PartContext } from '../../checkout-cart/parts/context.ts';

/**
 * The card brands Stripe takes, as small inline marks (no image requests, nothing for a page's CSP
 * to allow). Shapes and colours only, close enough to be recognised; one accessible name for all.
 */
const mark = (body: unknown) => svg`<svg viewBox="0 0 32 20" width="32" height="20" aria-hidden="true" focusable="false">${body}</svg>`;
const lettered = (fill: string, letters: string) => mark(svg`<rect width="32" height="20" rx="3" fill="${fill}"/><text x="16" y="13.5" fill="#fff" font-family="Arial,Helvetica,sans-serif" font-size="8" font-weight="700" text-anchor="middle">${letters}</text>`);

const BRANDS = [
  lettered('#1a1f71', 'VISA'),
  mark(svg`<rect width="32" height="20" rx="3" fill="#fff" stroke="#c9c9d1"/><circle cx="13" cy="10" r="6" fill="#eb001b"/><circle cx="19" cy="10" r="6" fill="#f79e1b" fill-opacity=".85"/>`),
  lettered('#1f72cd', 'AMEX'),
];

export function cardBrands(c: PartContext) {
  return html`<span class="brands" role="img" aria-label=${c.t('cardsAccepted')}>${BRANDS}</span>`;
}
