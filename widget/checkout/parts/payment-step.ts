import { html, nothing, type TemplateResult } from 'lit';
import type { PartContext } from '../../checkout-cart/parts/context.ts';
import { trustLine } from './trust-line.ts';

export interface PaymentStepState {
  email: string;
  amount: number;
  currency: string;
  ready: boolean;
  /** Whether Stripe shows wallet buttons (null: not known yet). */
  wallets: boolean | null;
  paying: boolean;
  error: string | null;
  /** Retry links pay a fixed checkout: no way back to a cart or to a different email. */
  fixed: boolean;
  /** Where the order ships (its ship-to line), under the email, where a shopper checks both before paying. */
  shipTo?: TemplateResult;
}

export interface PaymentStepHandlers {
  pay(): void;
  changeEmail(): void;
}

/** The wallets' buttons and the Payment Element (both slotted from the light DOM) and the Pay button with the exact total. */
export function paymentStep(c: PartContext, s: PaymentStepState, on: PaymentStepHandlers) {
  const { t } = c;
  const total = c.money(s.amount, s.currency);
  return html`
    <p class="email-line">
      <span><span class="muted">${t('email')}:</span> <span part="email">${s.email}</span></span>
      ${s.fixed ? nothing : html`<button type="button" class="link" aria-label="${t('changeEmail')}: ${t('email')}" @click=${on.changeEmail}>${t('changeEmail')}</button>`}
    </p>
    ${s.shipTo ?? nothing}
    <section aria-labelledby="payment-title">
      <h3 id="payment-title">${t('paymentDetails')}</h3>
      <div part="express-checkout" class=${s.wallets ? 'express' : 'express pending'} ?hidden=${s.wallets === false}>
        <slot name="express"></slot>
        <p class="divider"><span>${t('orPayAnotherWay')}</span></p>
      </div>
      <p class="muted" ?hidden=${s.ready}>${t('paymentLoading')}</p>
      <div part="payment-element"><slot name="payment"></slot></div>
    </section>
    <p id="pay-error" part="error" role="alert">${s.error ?? nothing}</p>
    ${s.error ? html`<p id="pay-hint" class="muted">${t('tryAgainHint')}</p>` : nothing}
    <button type="button" class="button primary" part="pay-button" ?disabled=${!s.ready || s.paying}
      aria-describedby="pay-error pay-hint" @click=${on.pay}>${s.paying ? t('paying') : t('pay', { total })}</button>
    ${trustLine(c)}`;
}
