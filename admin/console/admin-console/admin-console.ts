import { AdminConsole } from './admin-console.component.ts';

customElements.define('admin-console', AdminConsole);

declare global {
  interface HTMLElementTagNameMap {
    'admin-console': AdminConsole;
  }
}
