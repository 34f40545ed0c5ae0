import type { Db } from '../db/database.ts';
import { preparedOnce } from '../db/database.ts';
import { writeTransaction } from '../db/database.ts';
import { CART_TTL_SECONDS, nextVersion, type CartStore, type StoredCart } from '../carts/cart-store.ts';

/** The embedded default: carts as JSON rows; `BEGIN IMMEDIATE` makes read-modify-write atomic
 * even across processes sharing the file. */
export class SqliteCartStore implements CartStore {

  private readonly sql: ReturnType<typeof preparedOnce>;

  constructor(private readonly db: Db, private readonly clock: () => number = Date.now) {
    this.sql = preparedOnce(db);
  }

  async create(cart: StoredCart): Promise<void> {
    this.sql('INSERT INTO carts (id, data, expires_at) VALUES (?, ?, ?)').run(cart.id, JSON.stringify(cart), this.expiry());
  }

  async get(id: string): Promise<StoredCart | null> {
    return this.read(id);
  }

  async update(id: string, change: (cart: StoredCart) => StoredCart): Promise<StoredCart | null> {
    return writeTransaction(this.db, () => {
      const current = this.read(id);
      if (!current) return null;
      const next = nextVersion(current, change(structuredClone(current)), new Date(this.clock()));
      this.sql('UPDATE carts SET data = ?, expires_at = ? WHERE id = ?').run(JSON.stringify(next), this.expiry(), id);
      return next;
    });
  }

  async delete(id: string): Promise<void> {
    this.sql('DELETE FROM carts WHERE id = ?').run(id);
  }

  /** Expired carts are invisible at once and removed here, called by the sweeper. */
  purgeExpired(): number {
    return this.sql('DELETE FROM carts WHERE expires_at <= ?').run(this.clock()).changes;
  }

  async close(): Promise<void> {}

  private read(id: string): StoredCart | null {
    const row = this.sql('SELECT data FROM carts WHERE id = ? AND expires_at > ?').get(id, this.clock()) as { data: string } | undefined;
    return row ? (JSON.parse(row.data) as StoredCart) : null;
  }

  private expiry(): number {
    return this.clock() + CART_TTL_SECONDS * 1000;
  }
}
