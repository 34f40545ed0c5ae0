import { css } from 'lit';

/** The console's look, shared by every view: plain tables and forms, system colours, visible focus. */
export const consoleStyles = css`
  :host {
    --_text: #1b1b1f;
    --_muted: #55555c;
    --_bg: #ffffff;
    --_surface: #f4f4f6;
    --_border: #c9c9d1;
    --_accent: #1d4ed8;
    --_accent-text: #ffffff;
    --_error: #b42318;
    --_success: #166534;
    --_warn: #92400e;
    display: block;
    font: 14px/1.45 system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif;
    color: var(--_text);
  }
  @media (prefers-color-scheme: dark) {
    :host {
      --_text: #f1f1f4; --_muted: #b4b4bd; --_bg: #18181c; --_surface: #26262c; --_border: #4a4a54;
      --_accent: #93b4fd; --_accent-text: #0b1020; --_error: #ffa39a; --_success: #86efac; --_warn: #fcd34d;
    }
  }
  h2 { font-size: 18px; margin: 0 0 12px; }
  h3 { font-size: 15px; margin: 20px 0 8px; }
  table { border-collapse: collapse; width: 100%; }
  th, td { text-align: left; padding: 6px 8px; border-bottom: 1px solid var(--_border); vertical-align: top; }
  th { font-weight: 600; color: var(--_muted); font-size: 12px; text-transform: uppercase; letter-spacing: 0.03em; }
  td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; }
  tbody tr[data-clickable] { cursor: pointer; }
  tbody tr[data-clickable]:hover { background: var(--_surface); }
  form, .row { display: flex; flex-wrap: wrap; gap: 8px 12px; align-items: end; }
  label { display: flex; flex-direction: column; gap: 2px; font-size: 12px; color: var(--_muted); }
  label.check { flex-direction: row; align-items: center; gap: 6px; font-size: 14px; color: var(--_text); }
  input, select, textarea {
    font: inherit; color: var(--_text); background: var(--_bg); border: 1px solid var(--_border); border-radius: 6px; padding: 6px 8px;
  }
  textarea { min-width: 280px; min-height: 60px; }
  button {
    font: inherit; border: 1px solid var(--_border); border-radius: 6px; padding: 6px 12px; background: var(--_surface); color: var(--_text); cursor: pointer;
  }
  button.primary { background: var(--_accent); border-color: var(--_accent); color: var(--_accent-text); }
  button.danger { border-color: var(--_error); color: var(--_error); }
  button:disabled { opacity: 0.55; cursor: default; }
  :is(input, select, textarea, button, a):focus-visible { outline: 3px solid color-mix(in srgb, var(--_accent) 50%, transparent); outline-offset: 1px; }
  .muted { color: var(--_muted); }
  .error { color: var(--_error); }
  .ok { color: var(--_success); }
  .card { border: 1px solid var(--_border); border-radius: 8px; padding: 12px 16px; margin: 12px 0; background: var(--_bg); }
  .badge { display: inline-block; padding: 1px 8px; border-radius: 999px; font-size: 12px; background: var(--_surface); border: 1px solid var(--_border); }
  .badge[data-status='paid'] { color: var(--_success); border-color: currentColor; }
  .badge[data-status='needs_attention'] { color: var(--_warn); border-color: currentColor; }
  .badge[data-status='refunded'], .badge[data-status='partially_refunded'] { color: var(--_muted); }
  .grid { display: grid; grid-template-columns: repeat(auto-fill, minmax(180px, 1fr)); gap: 12px; }
  .stat { border: 1px solid var(--_border); border-radius: 8px; padding: 10px 12px; }
  .stat strong { display: block; font-size: 20px; font-variant-numeric: tabular-nums; }
  .sr-only { position: absolute; width: 1px; height: 1px; overflow: hidden; clip-path: inset(50%); white-space: nowrap; }
`;
