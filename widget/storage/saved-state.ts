/**
 * What the widget remembers across reloads and tabs: the cart id and the checkout in flight.
 * localStorage can be missing or throw (privacy modes, sandboxed frames, full quota); then the
 * widget keeps the values in memory and works for the life of the page.
 */
export interface Saved {
  cartId: string | null;
  /** Bumped on every cart change so other tabs hear a `storage` event and refresh. */
  cartVersion: number;
  checkoutId: string | null;
}

const empty: Saved = { cartId: null, cartVersion: 0, checkoutId: null };

function storage(): Storage | null {
  try {
    return window.localStorage ?? null;
  } catch {
    return null;
  }
}

export class SavedState {
  /** One key per server (its API base URL), so two shops on one page origin never share a cart. */
  readonly key: string;
  private memory: Saved = empty;

  constructor(apiBase: string) {
    this.key = `checkout-cart:${apiBase}`;
  }

  read(): Saved {
    try {
      const raw = storage()?.getItem(this.key);
      if (raw) return { ...empty, ...parse(raw) };
    } catch {
      // Unreadable or unavailable: fall through to what this page knows.
    }
    return this.memory;
  }

  /**
   * The checkout whose confirmation this tab shows, in sessionStorage: a reload shows it again (with
   * its order number), while another tab or a later visit starts afresh. Written by the checkout's
   * code (./confirmed-checkout.ts).
   */
  get confirmed(): string | null {
    try {
      return sessionStorage.getItem(this.key);
    } catch {
      return null;
    }
  }

  write(change: Partial<Saved>): void {
    this.memory = { ...this.read(), ...change };
    try {
      storage()?.setItem(this.key, JSON.stringify(this.memory));
    } catch {
      // Quota or privacy mode: the in-memory copy serves this page.
    }
  }
}

function parse(raw: string): Partial<Saved> {
  const value: unknown = JSON.parse(raw);
  if (typeof value !== 'object' || value === null) return {};
  const v = value as Record<string, unknown>;
  return {
    cartId: typeof v.cartId === 'string' ? v.cartId : null,
    cartVersion: typeof v.cartVersion === 'number' ? v.cartVersion : 0,
    checkoutId: typeof v.checkoutId === 'string' ? v.checkoutId : null,
  };
}
