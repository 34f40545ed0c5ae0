/**
 * Products and coupons in SQLite: the only source of prices. Every price a shopper sees or pays
 * is read from here, never from a request.
 */
import type { Db } from '../db/database.ts';
import { preparedOnce, writeTransaction } from '../db/database.ts';
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
  stockHeld(productId: string, now: number, exceptCartId?: string): number;
  couponUsesHeld(code: string, now: number, exceptCartId?: string): number;
}
export const noHolds: Holds = { stockHeld: () => 0, couponUsesHeld: () => 0 };

export class Catalog {
  private readonly sql: ReturnType<typeof preparedOnce>;

  constructor(private readonly db: Db, private readonly currency: string, private readonly holds: Holds = noHolds) {
    this.sql = preparedOnce(db);
  }


  listActive(): ProductRecord[] {
    return (this.sql('SELECT * FROM products WHERE active = 1 ORDER BY sort, name').all() as ProductRow[]).map(toProduct);
  }

  listAll(): ProductRecord[] {
    return (this.sql('SELECT * FROM products ORDER BY sort, name').all() as ProductRow[]).map(toProduct);
  }

  /** An active product, or undefined: inactive products cannot be bought. */
  product(id: string): ProductRecord | undefined {
    const row = this.sql('SELECT * FROM products WHERE id = ? AND active = 1').get(id) as ProductRow | undefined;
    return row && toProduct(row);
  }

  /** Stock minus what open checkouts (other than the cart's own) hold: the one availability rule. */
  available(product: Pick<ProductRecord, 'id' | 'stock'>, now: number, exceptCartId?: string): number {
    return Math.max(0, product.stock - this.holds.stockHeld(product.id, now, exceptCartId));
  }

  /** What a paid checkout may still take of a product, active or not (0 for one that is gone). */
  availableToPaid(productId: string, now: number, cartId: string): number {
    const stock = this.sql('SELECT stock FROM products WHERE id = ?').pluck().get(productId) as number | undefined;
    return stock === undefined ? 0 : this.available({ id: productId, stock }, now, cartId);
  }

  /** Sold: the lines leave the shelf and the coupon use is redeemed. Call inside the order's write
   * transaction; the CHECK constraints keep stock >= 0 and uses <= max_uses even if a check was wrong. */
  sell(lines: readonly { productId: string; quantity: number }[], couponCode: string | null): void {
    const take = this.sql('UPDATE products SET stock = stock - ? WHERE id = ?');
    for (const line of lines) take.run(line.quantity, line.productId);
    if (couponCode) this.sql('UPDATE coupons SET uses = uses + 1 WHERE code = ?').run(couponCode);
  }

  /** A fully refunded order's units go back on the shelf (its coupon use stays redeemed). */
  restock(lines: readonly { productId: string; quantity: number }[]): void {
    const put = this.sql('UPDATE products SET stock = stock + ? WHERE id = ?');
    for (const line of lines) put.run(line.quantity, line.productId);
  }

  /** A coupon with its uses counted as redeemed plus held, or null when no such code exists. */
  coupon(code: string, now: number, exceptCartId?: string): (CouponRules & CustomerLimits) | null {
    const row = this.sql('SELECT * FROM coupons WHERE code = ?').get(normalizeCouponCode(code)) as CouponRow | undefined;
    if (!row) return null;
    return {
      code: row.code, type: row.type, value: row.value, active: row.active === 1, expiresAt: row.expires_at,
      maxUses: row.max_uses, minSubtotal: row.min_subtotal,
      usesTaken: row.uses + this.holds.couponUsesHeld(row.code, now, exceptCartId),
      firstOrderOnly: row.first_order_only === 1, oncePerCustomer: row.once_per_customer === 1,
    };
  }

  /** An explicit stock instruction from `by.actor`, recorded in the ledger (see stock.ts). */
  changeStock(productId: string, instruction: StockInstruction, by: { actor: string; now: number }): StockMovement {
    return changeStock(this.db, productId, instruction, by);
  }

  stockHistory(productId: string, limit: number): StockMovement[] {
    return stockHistory(this.db, productId, limit);
  }

  createProduct(input: ProductInput, by: { actor: string; now: number }): ProductRecord {
    refuseOffStep(this.currency, [{ field: 'price', amount: input.price }]);
    return createProduct(this.db, input, this.currency, by);
  }

  updateProduct(id: string, changes: ProductChanges): ProductRecord {
    if (changes.price !== undefined) refuseOffStep(this.currency, [{ field: 'price', amount: changes.price }]);
    return updateProduct(this.db, id, changes);
  }

  coupons(): AdminCoupon[] {
    return listCoupons(this.db);
  }

  createCoupon(input: CouponInput): AdminCoupon {
    if (input.type === 'fixed') refuseOffStep(this.currency, [{ field: 'value', amount: input.value }]);
    return createCoupon(this.db, input);
  }

  updateCoupon(code: string, changes: CouponChanges): AdminCoupon {
    return updateCoupon(this.db, code, changes, this.currency);
  }

  /** Active shipping rates in the merchant's order; every rate with `all` (the admin's view). */
  shippingRates(o: { all?: boolean } = {}): ShippingRateRecord[] {
    return listShippingRates(this.db, o);
  }

  /** An active shipping rate, or undefined. */
  shippingRate(id: string): ShippingRateRecord | undefined {
    return activeShippingRate(this.db, id);
  }

  isEmpty(): boolean {
    return this.sql('SELECT COUNT(*) FROM products').pluck().get() === 0;
  }

  /**
   * Adds new products, coupons and shipping rates and updates the rest, all or nothing. A file never undoes a
   * sale: an existing product keeps its stock and an existing coupon its uses. A new product
   * starts with the file's stock (recorded as a movement by `by.actor`), a new coupon with 0 uses.
   */
  load(file: CatalogFile, by: { actor: string; now: number }): CatalogLoaded {
    const upsertProduct = this.sql(`INSERT INTO products (id, name, description, price, currency, image, stock, active, shippable, sort)
      VALUES (@id, @name, @description, @price, @currency, @image, @stock, @active, @shippable, @sort)
      ON CONFLICT (id) DO UPDATE SET name = excluded.name, description = excluded.description, price = excluded.price,
        currency = excluded.currency, image = excluded.image, active = excluded.active, shippable = excluded.shippable, sort = excluded.sort`);
    const upsertCoupon = this.sql(`INSERT INTO coupons (code, type, value, expires_at, max_uses, uses, min_subtotal, active, first_order_only, once_per_customer)
      VALUES (@code, @type, @value, @expiresAt, @maxUses, 0, @minSubtotal, @active, @firstOrderOnly, @oncePerCustomer)
      ON CONFLICT (code) DO UPDATE SET type = excluded.type, value = excluded.value, expires_at = excluded.expires_at,
        max_uses = excluded.max_uses, min_subtotal = excluded.min_subtotal, active = excluded.active,
        first_order_only = excluded.first_order_only, once_per_customer = excluded.once_per_customer`);
    const coupons = file.coupons.map((c) => ({
      ...c, code: normalizeCouponCode(c.code), active: c.active ? 1 : 0, expiresAt: c.expiresAt === null ? null : Date.parse(c.expiresAt),
      firstOrderOnly: c.firstOrderOnly ? 1 : 0, oncePerCustomer: c.oncePerCustomer ? 1 : 0,
    }));
    refuseOffStep(this.currency, [
      ...file.products.map((p, i) => ({ field: `products[${i}].price`, amount: p.price })),
      ...file.coupons.flatMap((c, i) => (c.type === 'fixed' ? [{ field: `coupons[${i}].value`, amount: c.value }] : [])),
      ...file.shippingRates.map((r, i) => ({ field: `shippingRates[${i}].amount`, amount: r.amount })),
    ]);
    return writeTransaction(this.db, () => {
      const existingProducts = new Set(this.sql('SELECT id FROM products').pluck().all() as string[]);
      const existingCoupons = new Set(this.sql('SELECT code FROM coupons').pluck().all() as string[]);
      this.refuseMaxUsesBelowUses(coupons);
      file.products.forEach((p, sort) => {
        upsertProduct.run({ ...p, currency: this.currency, active: p.active ? 1 : 0, shippable: p.shippable ? 1 : 0, sort });
        if (!existingProducts.has(p.id) && p.stock > 0) {
          recordMovement(this.db, { productId: p.id, delta: p.stock, stockAfter: p.stock, actor: by.actor, reason: 'opening stock', createdAt: by.now });
        }
      });
      for (const c of coupons) upsertCoupon.run(c);
      upsertShippingRates(this.db, file.shippingRates);
      return {
        products: file.products.length, coupons: file.coupons.length, shippingRates: file.shippingRates.length,
        newProducts: file.products.filter((p) => !existingProducts.has(p.id)).length,
        newCoupons: coupons.filter((c) => !existingCoupons.has(c.code)).length,
      };
    });
  }

  /** A coupon already used more often than the file's maxUses can't take that limit: refused
   * with the codes named, rather than rewriting history or failing on the CHECK constraint. */
  private refuseMaxUsesBelowUses(coupons: { code: string; maxUses: number | null }[]): void {
    const usesOf = this.sql('SELECT uses FROM coupons WHERE code = ?').pluck();
    const over = coupons.flatMap((c) => {
      const uses = usesOf.get(c.code) as number | undefined;
      return c.maxUses !== null && uses !== undefined && uses > c.maxUses ? [{ code: c.code, uses, maxUses: c.maxUses }] : [];
    });
    if (over.length > 0) {
      throw new DomainError('validation_failed', `maxUses is below the uses already redeemed for ${over.map((o) => o.code).join(', ')}.`, over);
    }
  }
}
