/**
 * Products and coupons in SQLite: the only source of prices. Every price a shopper sees or pays
 * is read from here, never from a request.
 */
import { sql, type Db, type Query } from '../db/database.ts';
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
 * hold of that cart's own checkout: a shopper never competes with themselves. Each is an SQL
 * expression, so the catalog reads a product or coupon and its holds in one statement. */
export interface Holds {
  /** `productId` is a value, or a column (`sql.ref('p.id')`) to count per row of a larger statement. */
  stockHeldSql(productId: string | Query, now: number, exceptCartId?: string): Query;
  couponUsesHeldSql(code: string, now: number, exceptCartId?: string): Query;
}
export const noHolds: Holds = { stockHeldSql: () => sql`0`, couponUsesHeldSql: () => sql`0` };

export type CatalogCoupon = CouponRules & CustomerLimits;

/** What pricing a cart reads of the catalog (see `forPricing`). */
export interface PricingReads {
  /** The cart's products that are on sale, by id (a withdrawn one is absent). */
  products: Map<string, ProductRecord>;
  /** The cart's coupon with its uses taken; null when the cart has none or no such code exists. */
  coupon: CatalogCoupon | null;
  /** Whether the shop has an active shipping rate. */
  hasShippingRates: boolean;
}

interface PricingRow {
  id: string | null; name: string; description: string; price: number; currency: string; image: string; stock: number; active: number; shippable: number;
  shipping_rates: number;
  coupon_code: string | null; coupon_type: CouponRow['type']; coupon_value: number; coupon_expires_at: number | null; coupon_max_uses: number | null;
  coupon_uses: number; coupon_min_subtotal: number; coupon_active: number; coupon_first_order_only: number; coupon_once_per_customer: number; coupon_held: number;
}

const availableOf = (stock: number, held: number) => Math.max(0, stock - held);

/** A coupon's row and the uses open checkouts hold, as the rules read them. */
const couponRules = (row: CouponRow, held: number): CatalogCoupon => ({
  code: row.code, type: row.type, value: row.value, active: row.active === 1, expiresAt: row.expires_at,
  maxUses: row.max_uses, minSubtotal: row.min_subtotal, usesTaken: row.uses + held,
  firstOrderOnly: row.first_order_only === 1, oncePerCustomer: row.once_per_customer === 1,
});

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
    return availableOf(product.stock, await this.db.value<number>(sql`SELECT ${this.holds.stockHeldSql(product.id, now, exceptCartId)} AS held`) ?? 0);
  }

  /**
   * An active product with what is `available` of it to the cart `exceptCartId`, in one
   * statement. Undefined for a product not on sale.
   */
  async productAvailable(id: string, now: number, exceptCartId?: string): Promise<{ product: ProductRecord; available: number } | undefined> {
    const row = await this.db.one<ProductRow & { held: number }>(sql`SELECT p.*, ${this.holds.stockHeldSql(id, now, exceptCartId)} AS held
      FROM products p WHERE p.id = ${id} AND p.active = 1`);
    if (!row) return undefined;
    const { held, ...product } = row;
    return { product: toProduct(product), available: availableOf(row.stock, held) };
  }

  /** What a paid checkout may still take of each of its products, active or not (0 for one that
   * is gone), in one statement: fulfilment holds the products' locks meanwhile. */
  async availableToPaid(productIds: readonly string[], now: number, cartId: string): Promise<Map<string, number>> {
    const ids = [...new Set(productIds)];
    const rows = ids.length === 0 ? [] : await this.db.all<{ id: string; stock: number; held: number }>(sql`SELECT p.id, p.stock,
        ${this.holds.stockHeldSql(sql.ref('p.id'), now, cartId)} AS held
      FROM products p WHERE p.id IN (${sql.join(ids)})`);
    const available = new Map(ids.map((id) => [id, 0]));
    for (const r of rows) available.set(r.id, availableOf(r.stock, r.held));
    return available;
  }

  /**
   * Everything pricing a cart reads of the catalog, in one statement (one round trip to
   * PostgreSQL instead of one per product, the coupon, its holds and the shipping rates): always
   * read now, never cached, so every price is the catalog's at this moment, whichever host changed it.
   */
  async forPricing(productIds: readonly string[], couponCode: string | null, now: number, exceptCartId?: string): Promise<PricingReads> {
    const ids = [...new Set(productIds)];
    const code = couponCode === null ? null : normalizeCouponCode(couponCode);
    // An empty cart without a coupon (every new cart) needs nothing from the catalog.
    if (ids.length === 0 && code === null) return { products: new Map(), coupon: null, hasShippingRates: false };
    const rows = await this.db.all<PricingRow>(sql`SELECT p.id, p.name, p.description, p.price, p.currency, p.image, p.stock, p.active, p.shippable,
        (SELECT COUNT(*) FROM shipping_rates WHERE active = 1) AS shipping_rates,
        k.code AS coupon_code, k.type AS coupon_type, k.value AS coupon_value, k.expires_at AS coupon_expires_at, k.max_uses AS coupon_max_uses,
        k.uses AS coupon_uses, k.min_subtotal AS coupon_min_subtotal, k.active AS coupon_active, k.first_order_only AS coupon_first_order_only,
        k.once_per_customer AS coupon_once_per_customer, ${code === null ? sql`0` : this.holds.couponUsesHeldSql(code, now, exceptCartId)} AS coupon_held
      FROM (SELECT 1 AS one) o
        LEFT JOIN products p ON ${ids.length > 0 ? sql`p.id IN (${sql.join(ids)}) AND p.active = 1` : sql`1 = 0`}
        LEFT JOIN coupons k ON k.code = ${code}`);
    const first = rows[0]!;
    const products = new Map<string, ProductRecord>();
    for (const r of rows) {
      if (r.id !== null) {
        products.set(r.id, toProduct({ id: r.id, name: r.name, description: r.description, price: r.price, currency: r.currency, image: r.image, stock: r.stock, active: r.active, shippable: r.shippable }));
      }
    }
    const coupon = first.coupon_code === null ? null : couponRules({
      code: first.coupon_code, type: first.coupon_type, value: first.coupon_value, expires_at: first.coupon_expires_at, max_uses: first.coupon_max_uses,
      uses: first.coupon_uses, min_subtotal: first.coupon_min_subtotal, active: first.coupon_active, first_order_only: first.coupon_first_order_only,
      once_per_customer: first.coupon_once_per_customer,
    }, first.coupon_held);
    return { products, coupon, hasShippingRates: first.shipping_rates > 0 };
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
    await this.moveStock(lines, -1);
    if (couponCode) await this.db.run(sql`UPDATE coupons SET uses = uses + 1 WHERE code = ${couponCode}`);
  }

  /** A fully refunded order's units go back on the shelf (its coupon use stays redeemed). Call
   * inside a write transaction. Locked first in product order, as a sale locks them: the one UPDATE
   * would lock them in its plan's order, and deadlock with a payment for the same products. */
  async restock(lines: readonly { productId: string; quantity: number }[]): Promise<void> {
    await this.lockStockAndCoupon(lines.map((l) => l.productId), null);
    await this.moveStock(lines, 1);
  }

  /** Every line's product moved by `sign` x its quantity, in one statement whatever the lines. */
  private async moveStock(lines: readonly { productId: string; quantity: number }[], sign: 1 | -1): Promise<void> {
    const delta = new Map<string, number>();
    for (const l of lines) delta.set(l.productId, (delta.get(l.productId) ?? 0) + sign * l.quantity);
    if (delta.size === 0) return;
    // CAST: PostgreSQL would otherwise take the parameters of the CASE as text.
    const cases = [...delta].map(([id, d]) => sql`WHEN ${id} THEN CAST(${d} AS INTEGER)`);
    await this.db.run(sql`UPDATE products SET stock = stock + CASE id ${sql.join(cases, sql` `)} END WHERE id IN (${sql.join([...delta.keys()])})`);
  }


  /** A coupon with its uses counted as redeemed plus held, or null when no such code exists. */
  async coupon(code: string, now: number, exceptCartId?: string): Promise<CatalogCoupon | null> {
    const normalized = normalizeCouponCode(code);
    const row = await this.db.one<CouponRow & { held: number }>(sql`SELECT k.*, ${this.holds.couponUsesHeldSql(normalized, now, exceptCartId)} AS held
      FROM coupons k WHERE k.code = ${normalized}`);
    return row ? couponRules(row, row.held) : null;
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
