import { css } from 'lit';

export const shellStyles = css`
  header { display: flex; gap: 16px; align-items: center; padding: 10px 20px; border-bottom: 1px solid var(--_border); background: var(--_surface); }
  nav { display: flex; gap: 4px; flex: 1; }
  nav a { color: var(--_text); text-decoration: none; padding: 6px 10px; border-radius: 6px; }
  nav a[aria-current='page'] { background: var(--_accent); color: var(--_accent-text); }
  main { padding: 16px 20px; max-width: 1200px; }
  .sign-in { max-width: 520px; margin: 10vh auto; }
  .sign-in form { flex-direction: column; align-items: stretch; }
  h1 { font-size: 22px; }
  /* The page's title, as the sign-in page has it, in the size of the header's other words. */
  header h1 { font-size: inherit; margin: 0; }
`;
