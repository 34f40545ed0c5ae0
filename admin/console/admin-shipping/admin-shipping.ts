import { AdminShipping } from './admin-shipping.component.ts';

customElements.define('admin-shipping', AdminShipping);

declare global {
  interface HTMLElementTagNameMap {
    'admin-shipping': AdminShipping;
  }
}
