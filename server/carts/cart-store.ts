/** What a cart store keeps: product ids and quantities, never prices (those come from the catalog
 * on every read, so a price can't be edited in the browser or go stale in storage). */
export interface StoredLine {
  productId: string;
  quantity: number;
}

export interface StoredCart {
  id: string;
  currency: string;
  items: StoredLine[];
  couponCode: string | null;
  /** Bumped on every change; also the optimistic-concurrency token of the Redis store. */
  version: number;
  createdAt: string;
  updatedAt: string;
}

export const CART_TTL_SECONDS = 7 * 24 * 60 * 60;

/**
 * Two real implementations (Redis, SQLite) behind one interface; the same test suite runs on both.
 * `update` is an atomic read-modify-write: `change` sees the current cart and returns the next one;
 * if it throws, nothing is written. It may be called more than once when writers race, so it must
 * not have side effects.
 */
export interface CartStore {
  create(cart: StoredCart): Promise<void>;
  get(id: string): Promise<StoredCart | null>;
  update(id: string, change: (cart: StoredCart) => StoredCart | Promise<StoredCart>): Promise<StoredCart | null>;
  delete(id: string): Promise<void>;
  close(): Promise<void>;
}

/** The next version of a cart: bumps version and time; used by every store. */
export function nextVersion(previous: StoredCart, next: StoredCart, now: Date): StoredCart {
  return { ...next, id: previous.id, version: previous.version + 1, updatedAt: now.toISOString() };
}
