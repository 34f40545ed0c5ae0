import { html, nothing } from 'lit';
import type { Totals } from '../../../shared/api.ts';
import type { PartContext } from './context.ts';

/** Subtotal, discount, shipping (when the checkout ships), tax and total exactly as the server computed them. */
export function totalsList(c: PartContext, totals: Totals, currency: string) {
  const { t } = c;
  const money = (amount: number) => c.money(amount, currency);
  return html`
    <dl part="totals">
      <dt>${t('subtotal')}</dt><dd data-total="subtotal">${money(totals.subtotal)}</dd>
      ${totals.discount > 0 ? html`<dt>${t('discount')}</dt><dd data-total="discount">−${money(totals.discount)}</dd>` : nothing}
      ${totals.shipping !== undefined ? html`<dt>${t('shipping')}</dt><dd data-total="shipping">${money(totals.shipping)}</dd>` : nothing}
      <dt>${t('tax')}</dt><dd data-total="tax">${money(totals.tax)}</dd>
      <dt part="total">${t('total')}</dt><dd part="total" data-total="total">${money(totals.total)}</dd>
    </dl>`;
}
