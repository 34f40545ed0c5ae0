import { css } from 'lit';

/**
 * Public `--checkout-*` properties feed private `--_*` ones, so a merchant's value wins in both
 * colour schemes and the dark defaults only fill what the merchant left unset.
 */
export const styles = css`
  :host {
    --_font: var(--checkout-font-family, system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif);
    --_text: var(--checkout-color-text, #1b1b1f);
    --_muted: var(--checkout-color-muted, #55555c);
    --_bg: var(--checkout-color-background, #ffffff);
    --_surface: var(--checkout-color-surface, #f4f4f6);
    --_border: var(--checkout-color-border, #c9c9d1);
    --_accent: var(--checkout-color-accent, #1d4ed8);
    --_accent-text: var(--checkout-color-accent-text, #ffffff);
    --_error: var(--checkout-color-error, #b42318);
    --_success: var(--checkout-color-success, #166534);
    --_radius: var(--checkout-radius, 8px);
    --_width: var(--checkout-panel-width, 420px);
    --_z: var(--checkout-z-index, 2147483000);
    /* Two rings, the panel's background inside the accent: visible on the panel and on an accent button alike. */
    --_focus: var(--checkout-focus-ring, 0 0 0 2px var(--_bg), 0 0 0 5px var(--_accent));
    display: inline-block;
    font-family: var(--_font);
    color: var(--_text);
  }

  @media (prefers-color-scheme: dark) {
    :host {
      --_text: var(--checkout-color-text, #f1f1f4);
      --_muted: var(--checkout-color-muted, #b4b4bd);
      --_bg: var(--checkout-color-background, #18181c);
      --_surface: var(--checkout-color-surface, #26262c);
      --_border: var(--checkout-color-border, #4a4a54);
      --_accent: var(--checkout-color-accent, #93b4fd);
      --_accent-text: var(--checkout-color-accent-text, #0b1020);
      --_error: var(--checkout-color-error, #ffa39a);
      --_success: var(--checkout-color-success, #86efac);
    }
  }

  *, *::before, *::after { box-sizing: border-box; }
  [hidden] { display: none !important; }

  .visually-hidden {
    position: absolute; width: 1px; height: 1px; margin: -1px; padding: 0; overflow: hidden;
    clip: rect(0 0 0 0); white-space: nowrap; border: 0;
  }

  p { margin: 0; }
  button { font: inherit; color: inherit; cursor: pointer; }
  :focus-visible { outline: none; box-shadow: var(--_focus); }

  .button {
    display: inline-flex; align-items: center; justify-content: center; gap: 0.4em;
    min-height: 44px; padding: 0.5em 1em; border-radius: var(--_radius);
    border: 1px solid var(--_border); background: var(--_bg); color: var(--_text);
  }
  .link {
    display: inline-flex; align-items: center; justify-content: center; min-width: 44px; min-height: 44px;
    border: 0; background: none; padding: 0.25em; color: var(--_accent); text-decoration: underline;
  }

  [part='toggle'] { position: relative; }
  [part='badge'] {
    display: inline-block; min-width: 1.5em; padding: 0 0.4em; border-radius: 999px;
    background: var(--_accent); color: var(--_accent-text); font-size: 0.85em; font-weight: 700; text-align: center;
  }

  [part='backdrop'] { position: fixed; inset: 0; z-index: var(--_z); background: rgb(0 0 0 / 0.45); }
  [part='base'] {
    position: fixed; inset: 0 0 0 auto; z-index: var(--_z);
    display: flex; flex-direction: column; width: min(var(--_width), 100vw); height: 100%;
    background: var(--_bg); color: var(--_text); box-shadow: -8px 0 32px rgb(0 0 0 / 0.25);
    font-family: var(--_font); font-size: 1rem; line-height: 1.45; text-align: start;
  }
  [part='base']:focus { outline: none; }

  [part='header'] {
    display: flex; align-items: center; justify-content: space-between; gap: 1rem;
    padding: 1rem 1.25rem; border-bottom: 1px solid var(--_border);
  }
  h2 { margin: 0; font-size: 1.2rem; }
  h2:focus { outline: none; box-shadow: none; }
  [part='close-button'] { min-width: 44px; }

  .body { flex: 1; overflow: auto; overscroll-behavior: contain; padding: 1rem 1.25rem; display: grid; gap: 1rem; align-content: start; }

  [part='error'] {
    margin: 0; padding: 0.75rem; border-radius: var(--_radius);
    border: 1px solid var(--_error); color: var(--_error); background: var(--_bg);
    display: flex; flex-wrap: wrap; gap: 0.5rem; align-items: center; justify-content: space-between;
  }
  [part='error']:empty { display: none; }
  .muted { color: var(--_muted); font-size: 0.9rem; }
  .notice { margin: 0; padding: 0.75rem; border-radius: var(--_radius); background: var(--_surface); }
`;
