import { AdminMetrics } from './admin-metrics.component.ts';

customElements.define('admin-metrics', AdminMetrics);

declare global {
  interface HTMLElementTagNameMap {
    'admin-metrics': AdminMetrics;
  }
}
