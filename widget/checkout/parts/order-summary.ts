import { html } from 'lit';
import type { Totals } from '../../../shared/api.ts';
import type { CheckoutLine } from '../checkout-flow.ts';
import type { PartContext } from '../../checkout-cart/parts/context.ts';
import { totalsList } from '../../checkout-cart/parts/totals.ts';

/** What is being paid for: lines and totals, for the checkout steps and the confirmation. */
export function orderSummary(c: PartContext, lines: readonly CheckoutLine[], totals: Totals, currency: string) {
  return html`
    <section class="summary" part="summary" aria-labelledby="summary-title">
      <h3 id="summary-title">${c.t('orderSummary')}</h3>
      <ul>
        ${lines.map((line) => html`<li data-product-id=${line.productId}><span>${line.quantity} × ${line.name}</span> <span>${c.money(line.lineTotal, currency)}</span></li>`)}
      </ul>
      ${totalsList(c, totals, currency)}
    </section>`;
}
