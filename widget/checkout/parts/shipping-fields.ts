import { html, nothing } from 'lit';
import type { Shipping } from '../../../shared/api.ts';
import { addressLines } from '../../../shared/shipping.ts';
import type { PartContext } from '../../checkout-cart/parts/context.ts';
import type { ShippingProblem, ShippingRateQuote } from '../shipping-step.ts';

export interface ShippingFieldsState {
  rates: readonly ShippingRateQuote[];
  rateId: string | null;
  currency: string;
  loading: boolean;
  ready: boolean;
  problem: ShippingProblem | null;
}

/** The address (Stripe's Address Element, slotted from the light DOM) and the rates for its country, inside the details form. */
export function shippingFields(c: PartContext, s: ShippingFieldsState, on: { choose(rateId: string): void }) {
  const { t } = c;
  return html`
    <section aria-labelledby="address-title">
      <h3 id="address-title">${t('shippingAddress')}</h3>
      <p class="muted" ?hidden=${s.ready}>${t('loading')}</p>
      <div part="address-element"><slot name="address"></slot></div>
    </section>
    <fieldset part="shipping-rates" aria-busy=${s.loading ? 'true' : 'false'}>
      <legend>${t('shippingMethod')}</legend>
      ${s.rates.map((rate) => html`
        <label class="rate">
          <input type="radio" name="shipping-rate" .value=${rate.id} .checked=${rate.id === s.rateId} @change=${() => on.choose(rate.id)}>
          <span>${rate.label}</span>
          <span class="rate-amount">${rate.amount === 0 ? t('free') : c.money(rate.amount, s.currency)}</span>
        </label>`)}
    </fieldset>
    <p id="shipping-error" class="field-error" role="alert">${s.problem ? t(s.problem) : nothing}</p>`;
}

/**
 * Where the order goes and by which rate, after `label` (a word): on the payment step with a way
 * back to change it (`change`); read-only where it can't change (a retry link pays a fixed
 * checkout) or is done (the confirmation).
 */
export function shipToLine(c: PartContext, shipping: Shipping, label: 'shipTo' | 'shippingTo', change?: () => void) {
  const { t } = c;
  const where = [shipping.name, ...addressLines(shipping.address)].join(', ');
  return html`
    <p class="email-line">
      <span><span class="muted">${t(label)}:</span> <span part="ship-to">${where}</span> <span class="muted">(${shipping.rate.label})</span></span>
      ${change ? html`<button type="button" class="link" aria-label="${t('changeEmail')}: ${t(label)}" @click=${change}>${t('changeEmail')}</button>` : nothing}
    </p>`;
}
