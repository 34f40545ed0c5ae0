import { AdminProducts } from './admin-products.component.ts';

customElements.define('admin-products', AdminProducts);

declare global {
  interface HTMLElementTagNameMap {
    'admin-products': AdminProducts;
  }
}
