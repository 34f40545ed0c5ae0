import type { PublicConfig } from '../../shared/api.ts';
import type { CartController } from '../cart/cart-controller.ts';
import type { LocalizeController } from '../i18n/localize-controller.ts';
import type { PanelController } from './panel-controller.ts';

/** What the views loaded on demand (the cart panel, the checkout) may use and do in the element. */
export interface ViewContext {
  shop: CartController;
  localize: LocalizeController;
  focus: PanelController;
  /** The server's public config, fetched once. */
  config(): Promise<PublicConfig>;
  /** Opens the panel (a view has something to show). */
  show(): void;
  /** Says `text` in the panel's polite status region. */
  announce(text: string): void;
  /** Shows a failure, with a "Try again" running `retry` when trying again may work. */
  report(error: unknown, retry?: () => void): void;
  /** Shows a problem in the view's own words. */
  problem(message: string, retry: () => void): void;
  clearProblem(): void;
  /** A notice above the cart (an expired checkout), or none. */
  notice(text: string | null): void;
  /** "Go to checkout": the checkout's email step. */
  checkout(): void;
  /** "Continue shopping" or "Done": asks to close the panel. */
  done(): void;
}
