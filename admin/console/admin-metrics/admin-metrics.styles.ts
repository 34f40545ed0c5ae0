import { css } from 'lit';

export const metricsStyles = css`
  .charts { display: grid; grid-template-columns: minmax(0, 1fr) minmax(0, 2fr); gap: 16px; margin-top: 16px; }
  @media (max-width: 900px) { .charts { grid-template-columns: minmax(0, 1fr); } }
  figure { margin: 0; border: 1px solid var(--_border); border-radius: 8px; padding: 12px; }
  figcaption { font-weight: 600; margin-bottom: 8px; }
  .chart { position: relative; height: 280px; }
`;
