/**
 * What a shopper can do to a cart. Every operation validates against the catalog inside the
 * store's atomic update, and every answer is priced from the catalog by `priceCart`.
 */
import { randomBytes } from 'node:crypto';
import { DomainError } from '../../shared/errors.ts';
import { CurrencyMismatchError } from '../../shared/money.ts';
import { MAX_LINES, MAX_QUANTITY, type Cart, type ShippingQuote } from '../../shared/api.ts';
import { couponProblem, couponRefused, normalizeCouponCode } from '../../shared/coupons.ts';
import { stockMessage } from '../../shared/messages.ts';
import type { Catalog } from '../catalog/catalog.ts';
import type { FunnelStore } from '../stores/funnel-store.ts';
import type { CartStore, StoredCart, StoredLine } from './cart-store.ts';
import { priceCart, type PricedCart } from './price-cart.ts';
import { servedCountries, servesCountry } from '../../shared/shipping.ts';
import type { ShippingRateRecord } from '../catalog/shipping-rates.ts';
import { chooseRate, totalsWithShipping, type ShippingDestination } from './price-shipping.ts';

/** 128 random bits, base64url: 22 characters nobody can guess. */
export const newCartId = (): string => randomBytes(16).toString('base64url');

export interface CartServiceDeps {
  store: CartStore;
  catalog: Catalog;
  currency: string;
  taxRateBps: number;
  /** SHIPPING_TAXABLE: tax is charged on shipping too. */
  shippingTaxable?: boolean;
  clock: () => number;
  publicUrl: string;
  newId?: () => string;
  /** Counts carts for the merchant's funnel (nothing else records them for good). */
  funnel?: Pick<FunnelStore, 'count'>;
}

export class CartService {
  constructor(private readonly deps: CartServiceDeps) {}

  async create(): Promise<Cart> {
    const now = new Date(this.deps.clock()).toISOString();
    const cart: StoredCart = {
      id: (this.deps.newId ?? newCartId)(), currency: this.deps.currency, items: [], couponCode: null,
      version: 0, createdAt: now, updatedAt: now,
    };
    await this.deps.store.create(cart);
    await this.deps.funnel?.count('carts', this.deps.clock());
    return this.view(cart);
  }

  async get(id: string): Promise<Cart> {
    return this.view(await this.load(id));
  }

  /**
   * The cart priced now, for checkout: the server's numbers, never the client's. With a
   * destination (a cart that ships), its totals include that rate's shipping, and `rate` is it.
   */
  async price(id: string, destination?: ShippingDestination): Promise<{ stored: StoredCart; priced: PricedCart; rate: ShippingRateRecord | null }> {
    const stored = await this.load(id);
    const priced = await this.priced(stored);
    if (!destination || !priced.requiresShipping) return { stored, priced, rate: null };
    const rate = await chooseRate(this.deps.catalog, destination);
    return { stored, priced: { ...priced, totals: totalsWithShipping(priced, rate, this.shippingPricing()) }, rate };
  }

  /** What shipping the cart needs, where the shop ships, and each rate for `country` priced for this cart. */
  async shippingQuote(id: string, country: string | undefined): Promise<ShippingQuote> {
    const priced = await this.priced(await this.load(id));
    const rates = priced.requiresShipping ? await this.deps.catalog.shippingRates() : [];
    return {
      requiresShipping: priced.requiresShipping,
      countries: servedCountries(rates),
      rates: country === undefined ? [] : rates.filter((r) => servesCountry(r, country)).map((rate) => {
        const totals = totalsWithShipping(priced, rate, this.shippingPricing());
        return { id: rate.id, label: rate.label, amount: totals.shipping ?? 0, totals };
      }),
    };
  }

  async addItem(id: string, productId: string, quantity: number): Promise<Cart> {
    return this.change(id, async (cart) => {
      const existing = cart.items.find((l) => l.productId === productId);
      const wanted = (existing?.quantity ?? 0) + quantity;
      if (!existing && cart.items.length >= MAX_LINES) {
        throw new DomainError('cart_line_limit', `At most ${MAX_LINES} different items per order.`);
      }
      await this.checkQuantity(productId, wanted, cart.id);
      if (existing) existing.quantity = wanted;
      else cart.items.push({ productId, quantity });
      return cart;
    });
  }

  async setQuantity(id: string, productId: string, quantity: number): Promise<Cart> {
    if (quantity === 0) return this.removeItem(id, productId);
    return this.change(id, async (cart) => {
      const line = this.line(cart, productId);
      await this.checkQuantity(productId, quantity, cart.id);
      line.quantity = quantity;
      return cart;
    });
  }

  async removeItem(id: string, productId: string): Promise<Cart> {
    return this.change(id, (cart) => {
      this.line(cart, productId);
      cart.items = cart.items.filter((l) => l.productId !== productId);
      return cart;
    });
  }

  async applyCoupon(id: string, code: string): Promise<Cart> {
    return this.change(id, async (cart) => {
      const normalized = normalizeCouponCode(code);
      const coupon = await this.deps.catalog.coupon(normalized, this.deps.clock(), cart.id);
      const subtotal = (await this.priced(cart)).totals.subtotal;
      const problem = couponProblem(coupon, subtotal, this.deps.clock());
      if (problem) throw couponRefused(problem);
      cart.couponCode = normalized;
      return cart;
    });
  }

  async removeCoupon(id: string): Promise<Cart> {
    return this.change(id, (cart) => ({ ...cart, couponCode: null }));
  }

  /**
   * After an order: the paid lines (and the redeemed coupon) leave the cart, atomically, so lines
   * another tab added while this one paid stay for the shopper to buy, and nothing paid for
   * invites a second purchase. A cart already gone stays gone.
   */
  async removePaid(id: string, paid: readonly StoredLine[], couponCode: string | null): Promise<void> {
    await this.deps.store.update(id, (cart) => ({
      ...cart,
      items: cart.items.flatMap((line) => {
        const left = line.quantity - paid.filter((p) => p.productId === line.productId).reduce((n, p) => n + p.quantity, 0);
        return left > 0 ? [{ ...line, quantity: left }] : [];
      }),
      couponCode: cart.couponCode === couponCode ? null : cart.couponCode,
    }));
  }

  private async change(id: string, mutate: (cart: StoredCart) => StoredCart | Promise<StoredCart>): Promise<Cart> {
    const next = await this.deps.store.update(id, mutate);
    if (!next) throw cartNotFound();
    return this.view(next);
  }

  private async load(id: string): Promise<StoredCart> {
    const cart = await this.deps.store.get(id);
    if (!cart) throw cartNotFound();
    return cart;
  }

  private line(cart: StoredCart, productId: string): StoredLine {
    const line = cart.items.find((l) => l.productId === productId);
    if (!line) throw new DomainError('not_found', `"${productId}" is not in the cart.`);
    return line;
  }

  /** The product is on sale and `quantity` of it is available to this cart (one statement). */
  private async checkQuantity(productId: string, quantity: number, cartId: string): Promise<void> {
    const found = await this.deps.catalog.productAvailable(productId, this.deps.clock(), cartId);
    if (!found) throw new DomainError('product_not_found', `No product "${productId}".`);
    if (quantity > MAX_QUANTITY) throw new DomainError('quantity_limit', `At most ${MAX_QUANTITY} of one item per order.`);
    const { product, available } = found;
    if (quantity > available) {
      throw new DomainError('out_of_stock', stockMessage(product.name, available), { productId: product.id, name: product.name, available });
    }
  }

  private async priced(cart: StoredCart): Promise<PricedCart> {
    try {
      return await priceCart(cart, this.deps);
    } catch (err) {
      // The shop's CURRENCY changed under this stored cart: it can't be priced or paid any more,
      // so the shopper's widget starts a new one rather than seeing an error it can't act on.
      if (err instanceof CurrencyMismatchError) throw new DomainError('cart_not_found', 'This cart was priced in another currency and has been closed.');
      throw err;
    }
  }

  private shippingPricing() {
    return { taxRateBps: this.deps.taxRateBps, shippingTaxable: this.deps.shippingTaxable ?? false, currency: this.deps.currency };
  }

  private async view(cart: StoredCart): Promise<Cart> {
    const priced = await this.priced(cart);
    return {
      id: cart.id, currency: cart.currency, items: priced.lines, couponCode: cart.couponCode,
      couponProblem: priced.couponProblem, totals: priced.totals, requiresShipping: priced.requiresShipping,
      itemCount: priced.lines.reduce((n, l) => n + l.quantity, 0), version: cart.version, updatedAt: cart.updatedAt,
    };
  }
}

export const cartNotFound = () => new DomainError('cart_not_found', 'This cart does not exist or has expired.');
