import { html } from 'lit';
import type { PartContext } from '../../checkout-cart/parts/context.ts';

/** Paid on Stripe's side; waiting for the server to report the order. */
export function processing(c: PartContext) {
  return html`
    <div class="status-view" part="processing">
      <div class="spinner" aria-hidden="true"></div>
      <p><strong>${c.t('processing')}</strong></p>
      <p class="muted">${c.t('processingHint')}</p>
    </div>`;
}
