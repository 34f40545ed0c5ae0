import { AdminOrderDetail } from './admin-order-detail.component.ts';

customElements.define('admin-order-detail', AdminOrderDetail);

declare global {
  interface HTMLElementTagNameMap {
    'admin-order-detail': AdminOrderDetail;
  }
}
