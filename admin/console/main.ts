// The console's elements, registered once the page loads this script.
import './admin-console/admin-console.ts';
import './admin-orders/admin-orders.ts';
import './admin-order-detail/admin-order-detail.ts';
import './admin-products/admin-products.ts';
import './admin-coupons/admin-coupons.ts';
import './admin-shipping/admin-shipping.ts';
import './admin-metrics/admin-metrics.ts';
