/**
 * The shopper's cart as the server holds it: which cart (saved across reloads and tabs), its
 * latest state, and changes sent one at a time. The element renders what this reports; nothing
 * here computes a price.
 */
import type { Cart } from '../../shared/api.ts';
import { ApiError, type ApiClient } from '../api/client.ts';
import type { SavedState } from '../storage/saved-state.ts';

export interface CartSessionListener {
  /** The cart to show changed; `byShopper` is false for loads and other tabs' changes. */
  cartChanged(cart: Cart | null, byShopper: boolean): void;
  busyChanged(busy: boolean): void;
}

export const isCartGone = (error: unknown): boolean => error instanceof ApiError && error.code === 'cart_not_found';

export class CartSession {
  cart: Cart | null = null;
  private queue: Promise<unknown> = Promise.resolve();

  constructor(private readonly client: ApiClient, private readonly saved: SavedState, private readonly listener: CartSessionListener) {}

  get savedCartId(): string | null {
    return this.cart?.id ?? this.saved.read().cartId;
  }

  /** Shows the server's copy of a cart; one it no longer knows is forgotten quietly. Other failures throw. */
  async load(cartId: string, byShopper: boolean): Promise<void> {
    try {
      this.accept(await this.client.getCart(cartId), byShopper);
    } catch (error) {
      if (!isCartGone(error)) throw error;
      this.forget();
    }
  }

  /** Another tab saved a different cart or version: catch up with the server. */
  async sync(): Promise<void> {
    const { cartId, cartVersion } = this.saved.read();
    if (!cartId) {
      if (this.cart) this.forget();
    } else if (cartId !== this.cart?.id || cartVersion !== this.cart.version) {
      await this.load(cartId, true);
    }
  }

  /**
   * Runs cart changes one at a time, in click order. A cart the server no longer knows is
   * replaced quietly; `create` says whether the change makes sense on a brand-new cart (an add
   * does, a quantity change does not). Resolves with the new cart, or null when there is none.
   */
  change(send: (cartId: string) => Promise<Cart>, create: boolean): Promise<Cart | null> {
    return this.serial(async () => {
      this.listener.busyChanged(true);
      try {
        const cartId = this.savedCartId;
        if (!cartId && !create) return null;
        try {
          return this.accept(await send(cartId ?? (await this.create()).id), true);
        } catch (error) {
          if (!isCartGone(error) || !cartId) throw error;
          this.forget();
          if (!create) return null;
          return this.accept(await send((await this.create()).id), true);
        }
      } finally {
        this.listener.busyChanged(false);
      }
    });
  }

  /** Runs `task` after the changes sent before it and before those sent after (a restored cart replaces the cart in between). */
  serial<T>(task: () => Promise<T>): Promise<T> {
    const run = this.queue.then(task);
    this.queue = run.catch(() => undefined);
    return run;
  }

  /** Drops the cart: the server no longer has it (expired, or paid and cleared). */
  forget(): void {
    this.cart = null;
    this.saved.write({ cartId: null, cartVersion: 0 });
    this.listener.cartChanged(null, false);
  }

  private async create(): Promise<Cart> {
    return this.accept(await this.client.createCart(), false);
  }

  /** Shows `cart` and saves it as this browser's cart; an answer older than the cart on screen (requests can overtake) is ignored. */
  accept(cart: Cart, byShopper: boolean): Cart {
    const current = this.cart;
    if (current && current.id === cart.id && cart.version < current.version) return current;
    this.cart = cart;
    this.saved.write({ cartId: cart.id, cartVersion: cart.version });
    this.listener.cartChanged(cart, byShopper);
    return cart;
  }
}
