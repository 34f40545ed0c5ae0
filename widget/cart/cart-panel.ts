/**
 * The cart in the panel, in a chunk of its own that the element imports the first time the panel
 * opens: lines with a quantity stepper, the discount code, the server's totals, and what the
 * shopper does to them. Also the words and money format every view in the panel uses.
 */
import type { LitElement } from 'lit';
import type { Cart } from '../../shared/api.ts';
import { formatMoney } from '../../shared/money.ts';
import { applyCoupon, removeCoupon, removeItem, setQuantity } from '../api/cart-requests.ts';
import { ApiError } from '../api/client.ts';
import { addStyles } from '../checkout-cart/add-styles.ts';
import { MAX_QUANTITY_PER_LINE } from '../checkout-cart/limits.ts';
import { problemFor, type Problem } from '../checkout-cart/problem.ts';
import { cartView } from '../checkout-cart/parts/cart-view.ts';
import type { PartContext } from '../checkout-cart/parts/context.ts';
import type { ViewContext } from '../checkout-cart/view-context.ts';
import { CheckoutCouponAppliedEvent } from '../events/checkout-coupon-applied.ts';
import { CheckoutItemRemovedEvent } from '../events/checkout-item-removed.ts';
import { cartWords } from '../i18n/cart-words.ts';
import { addMessages } from '../i18n/messages.ts';
import { describeRefusal } from '../i18n/refusal-words.ts';
import { cartPanelStyles } from './cart-panel.styles.ts';

const COUPON_CONTROL = '[part="coupon"] :is(input, button)';

export class CartPanel {
  /** The server's verdict on the code just tried, shown under the field. */
  private couponError: string | null = null;

  constructor(private readonly host: LitElement & { readonly open: boolean }, private readonly c: ViewContext) {
    addMessages('en', cartWords);
    addStyles(host, cartPanelStyles);
  }

  /** Words and money in the shopper's locale, for every view in the panel. */
  get parts(): PartContext {
    const { localize } = this.c;
    return { t: localize.t, money: (amount, currency) => formatMoney(amount, currency, localize.locale) };
  }

  /** The checkout's code. Imported from here, after this chunk, it shares this chunk's views (totals). */
  checkoutCode() {
    return import('../checkout/checkout-steps.ts');
  }

  /** A refusal in the shopper's words (never the server's own text). */
  describe = (error: ApiError): string => describeRefusal(this.c.localize.t, error);

  /** Any failure as the panel shows it. */
  problem(error: unknown, retry?: () => void): Problem {
    return problemFor(this.c.localize.t, error, retry);
  }

  /** What the status region says after a shopper's change: the new total. */
  totalAnnouncement(cart: Cart): string {
    const { t, money } = this.parts;
    return t('totalIs', { total: money(cart.totals.total, cart.currency) });
  }

  render() {
    const { shop } = this.c;
    return cartView(this.parts, shop.cart, { loading: shop.loading, couponError: this.couponError }, {
      setQuantity: (id, quantity) => this.setQuantity(id, quantity),
      step: (id, by) => void this.step(id, by),
      remove: (id) => void this.remove(id),
      coupon: { apply: (code) => void this.applyCoupon(code), remove: () => void this.removeCoupon() },
      checkout: this.c.checkout,
      close: this.c.done,
    });
  }

  /** After a change re-rendered the cart, focus lost with a removed or disabled control goes to `fallback` or the heading. */
  private async keepFocus(fallback: string): Promise<void> {
    const { host } = this;
    await host.updateComplete;
    const root = host.renderRoot as ShadowRoot;
    const active = root.activeElement as HTMLButtonElement | null;
    if (host.open && (!active || active.disabled)) (root.querySelector<HTMLElement>(fallback) ?? root.querySelector<HTMLElement>('h2'))?.focus();
  }

  private async setQuantity(productId: string, quantity: number): Promise<void> {
    if (quantity <= 0) return this.remove(productId);
    await this.changeQuantity(productId, () => quantity, () => void this.setQuantity(productId, quantity));
  }

  /**
   * Counts from the quantity the line holds when this change goes out, not from the one on screen
   * at the tap: a double tap lands twice on one render, and both taps would ask for the same number.
   * The stepper stays between 1 and the line maximum (its taps never remove a line).
   */
  private async step(productId: string, by: 1 | -1): Promise<void> {
    await this.changeQuantity(productId, (held) => Math.min(Math.max(held + by, 1), MAX_QUANTITY_PER_LINE), () => void this.step(productId, by));
  }

  /** Sets a line to `quantityFor(what it holds now)`, after the changes sent before it. */
  private async changeQuantity(productId: string, quantityFor: (held: number) => number, retry: () => void): Promise<void> {
    const { shop } = this.c;
    this.c.clearProblem();
    try {
      await shop.session.change((id) => {
        const { cart } = shop.session;
        const held = cart?.items.find((line) => line.productId === productId)?.quantity;
        const quantity = quantityFor(held ?? 1);
        // Nothing to change (a tap past the limit): the cart stays as the server last said.
        if (cart && quantity === held) return Promise.resolve(cart);
        return setQuantity(shop.client, id, productId, quantity);
      }, false);
    } catch (error) {
      if (error instanceof ApiError && error.code === 'not_found' && shop.cart) await shop.load(shop.cart.id, true);
      else this.c.report(error, retry);
    }
    await this.keepFocus(`[data-product-id="${CSS.escape(productId)}"] input`);
  }

  private async remove(productId: string): Promise<void> {
    const { shop } = this.c;
    this.c.clearProblem();
    try {
      const cart = await shop.session.change((id) => removeItem(shop.client, id, productId), false);
      if (cart) this.host.dispatchEvent(new CheckoutItemRemovedEvent(productId, cart));
    } catch (error) {
      this.c.report(error, () => void this.remove(productId));
    }
    await this.keepFocus('h2');
  }

  private async applyCoupon(code: string): Promise<void> {
    const { shop } = this.c;
    this.c.clearProblem();
    this.couponError = null;
    try {
      const cart = await shop.session.change((id) => applyCoupon(shop.client, id, code), false);
      if (cart?.couponCode) this.host.dispatchEvent(new CheckoutCouponAppliedEvent(cart.couponCode, cart));
    } catch (error) {
      if (!(error instanceof ApiError) || error.retryable) return this.c.report(error, () => void this.applyCoupon(code));
      this.couponError = this.describe(error);
    }
    this.c.focus.moveTo(COUPON_CONTROL);
  }

  private async removeCoupon(): Promise<void> {
    const { shop } = this.c;
    this.c.clearProblem();
    this.couponError = null;
    try {
      await shop.session.change((id) => removeCoupon(shop.client, id), false);
      this.c.focus.moveTo(COUPON_CONTROL);
    } catch (error) {
      this.c.report(error, () => void this.removeCoupon());
    }
  }
}
