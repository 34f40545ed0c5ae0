import { html, svg } from 'lit';
import type { PartContext } from '../../checkout-cart/parts/context.ts';
import { cardBrands } from './card-brands.ts';

const LOCK = svg`<svg viewBox="0 0 16 16" width="14" height="14" aria-hidden="true" focusable="false"><path fill="currentColor" d="M4 7V5a4 4 0 0 1 8 0v2h1v8H3V7h1zm2 0h4V5a2 2 0 0 0-4 0v2z"/></svg>`;

/** Under the Pay button: who handles the card (a lock and "Payments by Stripe") and the cards taken. */
export function trustLine(c: PartContext) {
  return html`<p class="trust" part="trust">${LOCK}<span>${c.t('paymentsByStripe')}</span>${cardBrands(c)}</p>`;
}
