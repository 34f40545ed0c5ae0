import { AdminOrders } from './admin-orders.component.ts';

customElements.define('admin-orders', AdminOrders);

declare global {
  interface HTMLElementTagNameMap {
    'admin-orders': AdminOrders;
  }
}
