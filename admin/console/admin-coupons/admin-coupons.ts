import { AdminCoupons } from './admin-coupons.component.ts';

customElements.define('admin-coupons', AdminCoupons);

declare global {
  interface HTMLElementTagNameMap {
    'admin-coupons': AdminCoupons;
  }
}
