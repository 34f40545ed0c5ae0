import { css } from 'lit';

/** The cart's CSS (lines, quantity, coupon, totals, fields), added to the element's shadow root
 * with the cart panel's code. The checkout's forms use its fields too. */
export const cartPanelStyles = css`
  input { font: inherit; color: inherit; }
  button:disabled { cursor: not-allowed; opacity: 0.6; }
  .button.primary { width: 100%; border-color: var(--_accent); background: var(--_accent); color: var(--_accent-text); font-weight: 600; }

  .field-error { margin: 0.25rem 0 0; color: var(--_error); font-size: 0.9rem; }
  .field-error:empty { display: none; }

  .lines { list-style: none; margin: 0; padding: 0; display: grid; gap: 0.75rem; }
  [part='line-item'] {
    display: grid; grid-template-columns: 64px 1fr auto; gap: 0.25rem 0.75rem; align-items: start;
    padding-bottom: 0.75rem; border-bottom: 1px solid var(--_border);
  }
  [part='line-item'] img { width: 64px; height: 64px; object-fit: cover; border-radius: calc(var(--_radius) / 2); background: var(--_surface); grid-row: span 2; }
  .line-name { font-weight: 600; }
  .line-total { text-align: end; font-weight: 600; }
  .line-controls { grid-column: 2 / 4; display: flex; align-items: center; justify-content: space-between; gap: 0.5rem; }

  [part='quantity'] { display: inline-flex; align-items: stretch; border: 1px solid var(--_border); border-radius: var(--_radius); }
  [part='quantity'] button { min-width: 44px; min-height: 44px; border: 0; background: none; }
  [part='quantity'] input {
    width: 3.5em; border: 0; border-inline: 1px solid var(--_border); background: var(--_bg);
    text-align: center; -moz-appearance: textfield;
  }
  [part='quantity'] input::-webkit-inner-spin-button { -webkit-appearance: none; }

  label { display: block; font-weight: 600; margin-bottom: 0.25rem; }
  .text-input {
    width: 100%; min-height: 44px; padding: 0.5em 0.75em; border-radius: var(--_radius);
    border: 1px solid var(--_border); background: var(--_bg);
  }
  .text-input[aria-invalid='true'] { border-color: var(--_error); }
  .row { display: flex; gap: 0.5rem; }
  .row .text-input { flex: 1; }

  [part='coupon'] { margin: 0; }
  .applied { display: flex; align-items: center; justify-content: space-between; gap: 0.5rem; margin: 0; }

  [part='totals'] { margin: 0; display: grid; grid-template-columns: 1fr auto; gap: 0.25rem 1rem; }
  [part='totals'] dt, [part='totals'] dd { margin: 0; }
  [part='totals'] dd { text-align: end; font-variant-numeric: tabular-nums; }
  [part='total'] { font-weight: 700; font-size: 1.1rem; }

  .empty { text-align: center; display: grid; gap: 0.5rem; justify-items: center; padding: 1.5rem 0; }
`;
