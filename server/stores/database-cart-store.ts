import { sql, type Db } from '../db/database.ts';
import { CART_TTL_SECONDS, nextVersion, type CartStore, type StoredCart } from '../carts/cart-store.ts';

/** Carts in the database when there is no Redis: JSON rows, on SQLite or PostgreSQL. A change is a
 * read-modify-write in one transaction with the cart's row locked (SQLite: its write lock), so two
 * requests (or hosts) changing one cart never lose either change. */
export class DatabaseCartStore implements CartStore {
  constructor(private readonly db: Db, private readonly clock: () => number = Date.now) {}

  async create(cart: StoredCart): Promise<void> {
    await this.db.run(sql`INSERT INTO carts (id, data, expires_at) VALUES (${cart.id}, ${JSON.stringify(cart)}, ${this.expiry()})`);
  }

  async get(id: string): Promise<StoredCart | null> {
    return this.read(id);
  }

  async update(id: string, change: (cart: StoredCart) => StoredCart | Promise<StoredCart>): Promise<StoredCart | null> {
    return this.db.tx(async () => {
      const current = await this.read(id, true);
      if (!current) return null;
      const next = nextVersion(current, await change(structuredClone(current)), new Date(this.clock()));
      await this.db.run(sql`UPDATE carts SET data = ${JSON.stringify(next)}, expires_at = ${this.expiry()} WHERE id = ${id}`);
      return next;
    });
  }

  async delete(id: string): Promise<void> {
    await this.db.run(sql`DELETE FROM carts WHERE id = ${id}`);
  }

  /** Expired carts are invisible at once and removed here, called by the sweeper. */
  purgeExpired(): Promise<number> {
    return this.db.run(sql`DELETE FROM carts WHERE expires_at <= ${this.clock()}`);
  }

  async close(): Promise<void> {}

  private async read(id: string, forUpdate = false): Promise<StoredCart | null> {
    const row = await this.db.one<{ data: string }>(sql`SELECT data FROM carts WHERE id = ${id} AND expires_at > ${this.clock()}
      ${forUpdate ? this.db.forUpdate : sql``}`);
    return row ? (JSON.parse(row.data) as StoredCart) : null;
  }

  private expiry(): number {
    return this.clock() + CART_TTL_SECONDS * 1000;
  }
}
