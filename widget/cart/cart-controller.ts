/**
 * The element's link to one checkout server: its client, the ids saved for it, the session that
 * sends cart changes one at a time, and the cart as last reported, kept in step with other tabs.
 * Answers from a server the element has since left (its `api` changed) are dropped.
 */
import type { ReactiveController, ReactiveControllerHost } from 'lit';
import type { Cart } from '../../shared/api.ts';
import { ApiClient, ApiError } from '../api/client.ts';
import { MAX_QUANTITY_PER_LINE } from '../checkout-cart/limits.ts';
import { CheckoutItemAddedEvent } from '../events/checkout-item-added.ts';
import { SavedState } from '../storage/saved-state.ts';
import { CartSession } from './cart-session.ts';

/** What the cart needs from the element that shows it. */
export interface CartContext {
  report(error: unknown, retry?: () => void): void;
  /** The cart on screen changed; `byShopper` is false for loads and other tabs' changes. */
  changed(cart: Cart | null, byShopper: boolean): void;
}

/** 1 to the per-line maximum, whatever a page passes (`data-quantity="abc"` is 1). */
export function clampQuantity(value: unknown): number {
  const n = Math.trunc(Number(value));
  return Number.isFinite(n) && n >= 1 ? Math.min(n, MAX_QUANTITY_PER_LINE) : 1;
}

export class CartController implements ReactiveController {
  cart: Cart | null = null;
  /** The saved cart is still being fetched. */
  loading = true;
  /** A change is on its way to the server. */
  busy = false;
  client!: ApiClient;
  saved!: SavedState;
  session!: CartSession;

  constructor(private readonly host: ReactiveControllerHost & EventTarget, private readonly c: CartContext) {
    host.addController(this);
  }

  hostConnected(): void {
    window.addEventListener('storage', this.onStorage);
  }

  hostDisconnected(): void {
    window.removeEventListener('storage', this.onStorage);
  }

  /** Talks to the server at `api` from now on ('' is the page's origin), with the cart saved for it. */
  connect(api: string): void {
    this.client = new ApiClient(api);
    this.saved = new SavedState(new URL(api || location.origin, location.href).href.replace(/\/+$/, ''));
    const session: CartSession = new CartSession(this.client, this.saved, {
      cartChanged: (cart, byShopper) => {
        if (session !== this.session) return;
        this.cart = cart;
        this.c.changed(cart, byShopper);
        this.host.requestUpdate();
      },
      busyChanged: (busy) => {
        if (session !== this.session) return;
        this.busy = busy;
        this.host.requestUpdate();
      },
    });
    this.session = session;
    [this.cart, this.loading, this.busy] = [null, true, false];
    this.host.requestUpdate();
  }

  /** Shows the server's copy of a cart (none: nothing to load); a failure offers to try again. */
  async load(cartId: string | null, byShopper: boolean): Promise<void> {
    const { session } = this;
    try {
      if (cartId) await session.load(cartId, byShopper);
    } catch (error) {
      if (session === this.session) this.c.report(error, () => void this.load(cartId, byShopper));
    } finally {
      if (session === this.session) this.loading = false;
      this.host.requestUpdate();
    }
  }

  /** Adds to the cart (a new one if there is none); the failure is shown and thrown. */
  async add(productId: string, quantity: number): Promise<Cart> {
    const amount = clampQuantity(quantity);
    try {
      const cart = await this.session.change((id) => this.client.addItem(id, productId, amount), true);
      if (!cart) throw new ApiError('cart_not_found', 'The cart could not be created.', 404, true);
      this.host.dispatchEvent(new CheckoutItemAddedEvent(productId, amount, cart));
      return cart;
    } catch (error) {
      this.c.report(error, () => void this.add(productId, quantity).catch(() => undefined));
      throw error;
    }
  }

  /** Another tab changed the cart (or finished it): show the server's current cart. */
  private onStorage = (event: StorageEvent): void => {
    if (event.key !== null && event.key !== this.saved?.key) return;
    const sync = (): void => void this.session.sync().catch((error: unknown) => this.c.report(error, sync));
    sync();
  };
}
