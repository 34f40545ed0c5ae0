import { html, nothing } from 'lit';
import type { Cart } from '../../../shared/api.ts';
import type { PartContext } from './context.ts';

export interface CouponHandlers {
  apply(code: string): void;
  remove(): void;
}

/** Apply or remove a discount code; the server's verdict shows inline, under the field. */
export function couponField(c: PartContext, cart: Cart, error: string | null, problem: string | null, on: CouponHandlers) {
  const { t } = c;
  if (cart.couponCode) {
    return html`
      <div part="coupon">
        <p class="applied">
          <span>${t('couponApplied', { code: cart.couponCode })}</span>
          <button type="button" class="link" aria-label=${t('removeCoupon', { code: cart.couponCode })} @click=${on.remove}>${t('remove')}</button>
        </p>
        <p class="field-error" role="alert">${problem ?? nothing}</p>
      </div>`;
  }
  const submit = (event: SubmitEvent) => {
    event.preventDefault();
    const input = (event.currentTarget as HTMLFormElement).elements.namedItem('coupon') as HTMLInputElement;
    const code = input.value.trim();
    if (code) on.apply(code);
  };
  return html`
    <form part="coupon" novalidate @submit=${submit}>
      <label for="coupon">${t('couponLabel')}</label>
      <div class="row">
        <input id="coupon" name="coupon" class="text-input" autocomplete="off" autocapitalize="characters" spellcheck="false"
          aria-invalid=${error ? 'true' : 'false'} aria-describedby="coupon-error">
        <button type="submit" class="button">${t('apply')}</button>
      </div>
      <p id="coupon-error" class="field-error" role="alert">${error ?? nothing}</p>
    </form>`;
}
