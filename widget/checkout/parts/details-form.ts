import { html, nothing } from 'lit';
import type { PartContext } from '../../checkout-cart/parts/context.ts';

/** Deliberately loose: the server validates for real; this only catches typos before a round trip. */
export const looksLikeEmail = (value: string) => /^[^\s@]+@[^\s@.]+(\.[^\s@.]+)+$/.test(value);

export interface DetailsHandlers {
  submit(email: string): void;
  back(): void;
}

/** The first checkout step: the shopper's email (and, for a cart that ships, `shipping`: the address and rate fields), validated before the server opens a checkout. */
export function detailsForm(c: PartContext, o: { email: string; error: string | null; busy: boolean; shipping?: unknown }, on: DetailsHandlers) {
  const { t } = c;
  const submit = (event: SubmitEvent) => {
    event.preventDefault();
    const input = (event.currentTarget as HTMLFormElement).elements.namedItem('email') as HTMLInputElement;
    on.submit(input.value.trim());
  };
  return html`
    <form class="details" novalidate @submit=${submit} aria-busy=${o.busy ? 'true' : 'false'}>
      <label for="email">${t('email')}</label>
      <input id="email" name="email" type="email" class="text-input" autocomplete="email" required
        .value=${o.email} aria-invalid=${o.error ? 'true' : 'false'} aria-describedby="email-hint email-error">
      <p id="email-hint" class="muted">${t('emailHint')}</p>
      <p id="email-error" class="field-error" role="alert">${o.error ?? nothing}</p>
      ${o.shipping ?? nothing}
      <button type="submit" class="button primary" part="continue-button" ?disabled=${o.busy}>${t('continueToPayment')}</button>
    </form>
    <button type="button" class="link" @click=${on.back}>${t('backToCart')}</button>`;
}
