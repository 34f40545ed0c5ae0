import { css } from 'lit';

/** The checkout's CSS, added to the element's shadow root when the checkout's code arrives. */
export const checkoutStyles = css`
  h3 { margin: 0 0 0.5rem; font-size: 1rem; }
  .details { display: grid; gap: 0.5rem; }

  .summary { border: 1px solid var(--_border); border-radius: var(--_radius); padding: 0.75rem; display: grid; gap: 0.5rem; }
  .summary ul { list-style: none; margin: 0; padding: 0; display: grid; gap: 0.25rem; }
  .summary li { display: flex; justify-content: space-between; gap: 1rem; }
  .email-line { display: flex; align-items: baseline; justify-content: space-between; gap: 0.5rem; margin: 0; overflow-wrap: anywhere; }
  /* A long address or email wraps; the Change link beside it never does. */
  .email-line .link { flex: none; white-space: nowrap; }

  /* Stripe's light theme on a light card in both schemes: Stripe styles its own fields, and a
     light card reads well on either panel. */
  [part='payment-element'] {
    min-height: 3rem; padding: 0.75rem; border-radius: var(--_radius);
    background: var(--checkout-payment-background, #ffffff); color: #1a1f36; color-scheme: light;
  }
  [part='pay-button'] { font-size: 1.05rem; }

  [part='address-element'] {
    min-height: 3rem; padding: 0.75rem; border-radius: var(--_radius);
    background: var(--checkout-payment-background, #ffffff); color: #1a1f36; color-scheme: light;
  }
  [part='shipping-rates'] { border: 1px solid var(--_border); border-radius: var(--_radius); margin: 0; padding: 0.5rem 0.75rem; display: grid; gap: 0.25rem; }
  [part='shipping-rates'] legend { padding: 0 0.25rem; font-weight: 600; }
  [part='shipping-rates'] .rate { display: flex; align-items: center; gap: 0.5rem; min-height: 44px; cursor: pointer; }
  [part='shipping-rates'] .rate input { width: 1.25rem; height: 1.25rem; margin: 0; accent-color: var(--_accent); }
  [part='shipping-rates'] .rate-amount { margin-inline-start: auto; font-variant-numeric: tabular-nums; }
  /* Until Stripe says which wallets show, their space stays empty rather than jumping. */
  .express { display: grid; gap: 0.75rem; margin-bottom: 0.75rem; }
  .express.pending { visibility: hidden; height: 0; margin: 0; overflow: hidden; }
  .divider { display: flex; align-items: center; gap: 0.75rem; color: var(--_muted); font-size: 0.85rem; }
  .divider::before, .divider::after { content: ''; flex: 1; border-top: 1px solid var(--_border); }

  .status-view { text-align: center; display: grid; gap: 0.5rem; justify-items: center; padding: 1.5rem 0; }
  .status-view .order-number { font-size: 1.1rem; font-weight: 700; }
  .success-mark { color: var(--_success); }
  .thanks { font-size: 1.2rem; }
  a.button { text-decoration: none; text-align: center; }

  .trust { display: flex; align-items: center; justify-content: center; flex-wrap: wrap; gap: 0.4rem; margin: 0; color: var(--_muted); font-size: 0.85rem; }
  .brands { display: inline-flex; gap: 0.25rem; }
  .spinner {
    width: 2rem; height: 2rem; border-radius: 50%; border: 3px solid var(--_border); border-top-color: var(--_accent);
    animation: spin 0.9s linear infinite;
  }
  @keyframes spin { to { transform: rotate(1turn); } }
  @media (prefers-reduced-motion: reduce) { .spinner { animation: none; } }
`;
