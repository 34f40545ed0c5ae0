/**
 * Products and coupons in SQLite: the only source of prices. Every price a shopper sees or pays
 * is read from here, never from a request.
 */
import { sql, type Db } from '../db/database.ts';
import { normalizeCouponCode, type CouponRules, type CustomerLimits } from '../../shared/coupons.ts';
import { DomainError } from '../../shared/errors.ts';
import type { CatalogFile, CouponInput, ProductInput } from './catalog-file.ts';
import { refuseOffStep } from './charge-step.ts';
import { createCoupon, listCoupons, updateCoupon, type AdminCoupon, type CouponChanges } from './coupon-admin.ts';
import { createProduct, updateProduct, type ProductChanges } from './product-admin.ts';
import { activeShippingRate, listShippingRates, upsertShippingRates, type ShippingRateRecord } from './shipping-rates.ts';
import { changeStock, recordMovement, stockHistory, type StockInstruction, type StockMovement } from './stock.ts';

export interface ProductRecord {
  id: string;
  name: string;
  description: string;
  price: number;
  currency: string;
  image: string;
  stock: number;
  active: boolean;
  shippable: boolean;
}

interface ProductRow extends Omit<ProductRecord, 'active' | 'shippable'> { active: number; shippable: number }
export interface CouponRow {
  code: string; type: 'percentage' | 'fixed'; value: number; expires_at: number | null;
  max_uses: number | null; uses: number; min_subtotal: number; active: number; first_order_only: number; once_per_customer: number;
}

/** How many products, coupons and shipping rates a file named, and how many products and coupons were new. */
export interface CatalogLoaded { products: number; coupons: number; shippingRates: number; newProducts: number; newCoupons: number }

export const toProduct = (row: ProductRow): ProductRecord => ({ ...row, active: row.active === 1, shippable: row.shippable === 1 });

/** Units and coupon uses held by open checkouts count as taken. `exceptCartId` leaves out the
 * hold of that cart's own checkout: a shopper never competes with themselves. */
export interface Holds {
  stockHeld(productId: string, now: number, exceptCartId?: string): Promise<number>;
  couponUsesHeld(code: string, now: number, exceptCartId?: string): Promise<number>;
}
export const noHolds: Holds = { stockHeld: async () => 0, couponUsesHeld: async () => 0 };

/** Any number that is ours alone: a first catalog is loaded by one process (PostgreSQL). */
const FIRST_CATALOG_LOCK = 7_160_018;

export class Catalog {
  constructor(private readonly db: Db, private readonly currency: string, private readonly holds: Holds = noHolds) {}

  async listActive(): Promise<ProductRecord[]> {
    return (await this.db.all<ProductRow>(sql`SELECT * FROM products WHERE active = 1 ORDER BY sort, name`)).map(toProduct);
  }

  async listAll(): Promise<ProductRecord[]> {
    return (await this.db.all<ProductRow>(sql`SELECT * FROM products ORDER BY sort, name`)).map(toProduct);
  }

  /** An active product, or undefined: inactive products cannot be bought. */
  async product(id: string): Promise<ProductRecord | undefined> {
    const row = await this.db.one<ProductRow>(sql`SELECT * FROM products WHERE id = ${id} AND active = 1`);
    return row && toProduct(row);
  }

  /** Stock minus what open checkouts (other than the cart's own) hold: the one availability rule. */
  async available(product: Pick<ProductRecord, 'id' | 'stock'>, now: number, exceptCartId?: string): Promise<number> {
    return Math.max(0, product.stock - await this.holds.stockHeld(product.id, now, exceptCartId));
  }

  /** What a paid checkout may still take of a product, active or not (0 for one that is gone). */
  async availableToPaid(productId: string, now: number, cartId: string): Promise<number> {
    const stock = await this.db.value<number>(sql`SELECT stock FROM products WHERE id = ${productId}`);
    return stock === undefined ? 0 : this.available({ id: productId, stock }, now, cartId);
  }

  /**
   * Inside `tx`, before reading availability to act on it (reserve, sell): locks the products' rows
   * and the coupon's (PostgreSQL), so every other transaction that would reserve or sell them
   * waits for this one to commit and then counts what it wrote. Rows are locked in one order
   * (products by id, then the coupon) everywhere, so two such transactions can't deadlock. On
   * SQLite the transaction's write lock already gives this.
   */
  async lockStockAndCoupon(productIds: readonly string[], couponCode: string | null): Promise<void> {
    if (this.db.engine !== 'postgres') return;
    const ids = [...new Set(productIds)].sort();
    if (ids.length > 0) await this.db.all(sql`SELECT id FROM products WHERE id IN (${sql.join(ids)}) ORDER BY id ${this.db.forUpdate}`);
    if (couponCode) await this.db.all(sql`SELECT code FROM coupons WHERE code = ${normalizeCouponCode(couponCode)} ${this.db.forUpdate}`);
  }

  /** Sold: the lines leave the shelf and the coupon use is redeemed. Call inside the order's write
   * transaction; the CHECK constraints keep stock >= 0 and uses <= max_uses even if a check was wrong. */
  async sell(lines: readonly { productId: string; quantity: number }[], couponCode: string | null): Promise<void> {
    for (const line of lines) await this.db.run(sql`UPDATE products SET stock = stock - ${line.quantity} WHERE id = ${line.productId}`);
    if (couponCode) await this.db.run(sql`UPDATE coupons SET uses = uses + 1 WHERE code = ${couponCode}`);
  }

  /** A fully refunded order's units go back on the shelf (its coupon use stays redeemed). */
  async restock(lines: readonly { productId: string; quantity: number }[]): Promise<void> {
    for (const line of lines) await this.db.run(sql`UPDATE products SET stock = stock + ${line.quantity} WHERE id = ${line.productId}`);
  }

  /** A coupon with its uses counted as redeemed plus held, or null when no such code exists. */
  async coupon(code: string, now: number, exceptCartId?: string): Promise<(CouponRules & CustomerLimits) | null> {
    const row = await this.db.one<CouponRow>(sql`SELECT * FROM coupons WHERE code = ${normalizeCouponCode(code)}`);
    if (!row) return null;
    return {
      code: row.code, type: row.type, value: row.value, active: row.active === 1, expiresAt: row.expires_at,
      maxUses: row.max_uses, minSubtotal: row.min_subtotal,
      usesTaken: row.uses + await this.holds.couponUsesHeld(row.code, now, exceptCartId),
      firstOrderOnly: row.first_order_only === 1, oncePerCustomer: row.once_per_customer === 1,
    };
  }

  /** An explicit stock instruction from `by.actor`, recorded in the ledger (see stock.ts). */
  changeStock(productId: string, instruction: StockInstruction, by: { actor: string; now: number }): Promise<StockMovement> {
    return changeStock(this.db, productId, instruction, by);
  }

  stockHistory(productId: string, limit: number): Promise<StockMovement[]> {
    return stockHistory(this.db, productId, limit);
  }

  createProduct(input: ProductInput, by: { actor: string; now: number }): Promise<ProductRecord> {
    refuseOffStep(this.currency, [{ field: 'price', amount: input.price }]);
    return createProduct(this.db, input, this.currency, by);
  }

  updateProduct(id: string, changes: ProductChanges): Promise<ProductRecord> {
    if (changes.price !== undefined) refuseOffStep(this.currency, [{ field: 'price', amount: changes.price }]);
    return updateProduct(this.db, id, changes);
  }

  coupons(): Promise<AdminCoupon[]> {
    return listCoupons(this.db);
  }

  createCoupon(input: CouponInput): Promise<AdminCoupon> {
    if (input.type === 'fixed') refuseOffStep(this.currency, [{ field: 'value', amount: input.value }]);
    return createCoupon(this.db, input);
  }

  updateCoupon(code: string, changes: CouponChanges): Promise<AdminCoupon> {
    return updateCoupon(this.db, code, changes, this.currency);
  }

  /** Active shipping rates in the merchant's order; every rate with `all` (the admin's view). */
  shippingRates(o: { all?: boolean } = {}): Promise<ShippingRateRecord[]> {
    return listShippingRates(this.db, o);
  }

  /** An active shipping rate, or undefined. */
  shippingRate(id: string): Promise<ShippingRateRecord | undefined> {
    return activeShippingRate(this.db, id);
  }

  async isEmpty(): Promise<boolean> {
    return await this.db.value<number>(sql`SELECT COUNT(*) FROM products`) === 0;
  }

  /** Loads `file` only into a catalog with no products yet (the demo catalog on first start);
   * whether it did. Two hosts starting together load it once. */
  loadIfEmpty(file: CatalogFile, by: { actor: string; now: number }): Promise<boolean> {
    return this.db.tx(async () => {
      await this.db.serialize(FIRST_CATALOG_LOCK);
      if (!await this.isEmpty()) return false;
      await this.load(file, by);
      return true;
    });
  }

  /**
   * Adds new products, coupons and shipping rates and updates the rest, all or nothing. A file never undoes a
   * sale: an existing product keeps its stock and an existing coupon its uses. A new product
   * starts with the file's stock (recorded as a movement by `by.actor`), a new coupon with 0 uses.
   */
  load(file: CatalogFile, by: { actor: string; now: number }): Promise<CatalogLoaded> {
    const coupons = file.coupons.map((c) => ({
      ...c, code: normalizeCouponCode(c.code), active: c.active ? 1 : 0, expiresAt: c.expiresAt === null ? null : Date.parse(c.expiresAt),
      firstOrderOnly: c.firstOrderOnly ? 1 : 0, oncePerCustomer: c.oncePerCustomer ? 1 : 0,
    }));
    refuseOffStep(this.currency, [
      ...file.products.map((p, i) => ({ field: `products[${i}].price`, amount: p.price })),
      ...file.coupons.flatMap((c, i) => (c.type === 'fixed' ? [{ field: `coupons[${i}].value`, amount: c.value }] : [])),
      ...file.shippingRates.map((r, i) => ({ field: `shippingRates[${i}].amount`, amount: r.amount })),
    ]);
    return this.db.tx(async () => {
      // Two uploads at once would both take a product as new and record its opening stock twice.
      await this.db.serialize(FIRST_CATALOG_LOCK);
      const existingProducts = new Set((await this.db.all<{ id: string }>(sql`SELECT id FROM products`)).map((r) => r.id));
      const existingCoupons = new Set((await this.db.all<{ code: string }>(sql`SELECT code FROM coupons`)).map((r) => r.code));
      await this.refuseMaxUsesBelowUses(coupons);
      for (const [sort, p] of file.products.entries()) {
        await this.db.run(sql`INSERT INTO products (id, name, description, price, currency, image, stock, active, shippable, sort)
          VALUES (${p.id}, ${p.name}, ${p.description}, ${p.price}, ${this.currency}, ${p.image}, ${p.stock}, ${p.active ? 1 : 0}, ${p.shippable ? 1 : 0}, ${sort})
          ON CONFLICT (id) DO UPDATE SET name = excluded.name, description = excluded.description, price = excluded.price,
            currency = excluded.currency, image = excluded.image, active = excluded.active, shippable = excluded.shippable, sort = excluded.sort`);
        if (!existingProducts.has(p.id) && p.stock > 0) {
          await recordMovement(this.db, { productId: p.id, delta: p.stock, stockAfter: p.stock, actor: by.actor, reason: 'opening stock', createdAt: by.now });
        }
      }
      for (const c of coupons) {
        await this.db.run(sql`INSERT INTO coupons (code, type, value, expires_at, max_uses, uses, min_subtotal, active, first_order_only, once_per_customer)
          VALUES (${c.code}, ${c.type}, ${c.value}, ${c.expiresAt}, ${c.maxUses}, 0, ${c.minSubtotal}, ${c.active}, ${c.firstOrderOnly}, ${c.oncePerCustomer})
          ON CONFLICT (code) DO UPDATE SET type = excluded.type, value = excluded.value, expires_at = excluded.expires_at,
            max_uses = excluded.max_uses, min_subtotal = excluded.min_subtotal, active = excluded.active,
            first_order_only = excluded.first_order_only, once_per_customer = excluded.once_per_customer`);
      }
      await upsertShippingRates(this.db, file.shippingRates);
      return {
        products: file.products.length, coupons: file.coupons.length, shippingRates: file.shippingRates.length,
        newProducts: file.products.filter((p) => !existingProducts.has(p.id)).length,
        newCoupons: coupons.filter((c) => !existingCoupons.has(c.code)).length,
      };
    });
  }

  /** A coupon already used more often than the file's maxUses can't take that limit: refused
   * with the codes named, rather than rewriting history or failing on the CHECK constraint. */
  private async refuseMaxUsesBelowUses(coupons: { code: string; maxUses: number | null }[]): Promise<void> {
    const over: { code: string; uses: number; maxUses: number }[] = [];
    for (const c of coupons) {
      const uses = await this.db.value<number>(sql`SELECT uses FROM coupons WHERE code = ${c.code} ${this.db.forUpdate}`);
      if (c.maxUses !== null && uses !== undefined && uses > c.maxUses) over.push({ code: c.code, uses, maxUses: c.maxUses });
    }
    if (over.length > 0) {
      throw new DomainError('validation_failed', `maxUses is below the uses already redeemed for ${over.map((o) => o.code).join(', ')}.`, over);
    }
  }
}
