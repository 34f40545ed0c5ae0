/**
 * Everything past the cart, in a chunk of its own: the element imports it when a shopper heads for
 * the checkout or there is a checkout to resume, since most page views never get that far. The
 * email step, paying (CheckoutFlow), the outcome, and their words and CSS.
 */
import { html, nothing, type LitElement } from 'lit';
import type { Cart } from '../../shared/api.ts';
import { isLocale } from '../../shared/locale.ts';
import { getCheckout, startCheckout } from '../api/checkout-requests.ts';
import { ApiError } from '../api/client.ts';
import type { CartPanel } from '../cart/cart-panel.ts';
import { addStyles } from '../checkout-cart/add-styles.ts';
import type { ViewContext } from '../checkout-cart/view-context.ts';
import { checkoutWords } from '../i18n/checkout-words.ts';
import { addMessages } from '../i18n/messages.ts';
import { checkoutStyles } from './checkout.styles.ts';
import { CheckoutFlow } from './checkout-flow.ts';
import { confirmation, continueShopping } from './parts/confirmation.ts';
import { detailsForm, looksLikeEmail } from './parts/details-form.ts';
import { orderSummary } from './parts/order-summary.ts';
import { paymentStep } from './parts/payment-step.ts';
import { processing } from './parts/processing.ts';
import { shippingFields, shipToLine } from './parts/shipping-fields.ts';
import { ShippingStep } from './shipping-step.ts';

/** What the checkout needs from the element that shows it: the cart panel is loaded first. */
export type CheckoutContext = ViewContext & { panel: CartPanel };

const HEADING = 'h2';
const EMAIL = '#email';

export class CheckoutSteps {
  readonly flow: CheckoutFlow;
  /** The address and shipping rate, for carts that ship. */
  private readonly shipping: ShippingStep;
  /** The email step is on screen (when no checkout stage is). */
  private onDetails = false;
  private email = '';
  private emailError: string | null = null;
  /** The server is opening a checkout. */
  busy = false;
  /** Paying a retry link's checkout: no way back to a cart or to another email. */
  private fixed = false;
  /** The merchant's shop (the server's SHOP_URL), read for a retry link's page. */
  private home: string | null = null;
  /** The cart version the checkout on screen was opened for. */
  private openedFor: number | null = null;

  constructor(private readonly host: LitElement, private readonly c: CheckoutContext) {
    addMessages('en', checkoutWords);
    addStyles(host, checkoutStyles);
    this.shipping = new ShippingStep(host, {
      client: c.shop.client, config: c.config, language: () => c.localize.language, report: c.report, escape: c.focus.escape,
      given: () => this.flow.shipping,
    });
    this.flow = new CheckoutFlow(host, {
      client: c.shop.client,
      saved: c.shop.saved,
      t: () => c.localize.t,
      config: c.config,
      language: () => c.localize.language,
      container: (slot) => this.lightContainer(slot),
      show: (focus) => {
        c.show();
        c.focus.moveTo(focus === 'pay' ? '[part="pay-button"]' : HEADING);
      },
      announce: c.announce,
      report: c.report,
      problem: c.problem,
      escape: c.focus.escape,
      closed: (notice) => {
        this.onDetails = false;
        c.notice(notice);
        if (c.shop.cart) void c.shop.load(c.shop.cart.id, true);
      },
      ordered: () => {
        // The server clears the paid cart; find out whether ours was it.
        const cartId = c.shop.session.savedCartId;
        if (cartId) void c.shop.load(cartId, false);
      },
    });
  }

  /** Picks up a checkout: a retry link's, or one saved before a reload or a payment redirect. */
  async resume(retryToken: string | null, checkoutId: string | null): Promise<void> {
    this.fixed = Boolean(retryToken);
    if (retryToken) {
      await this.flow.resumeRetry(retryToken);
      // Loaded already for Stripe.js; unreadable, the checkout server's own page will do.
      this.home = await this.c.config().then((config) => config.shopUrl, () => null);
    } else if (checkoutId) await this.flow.resumeSaved(checkoutId);
  }

  /** From the cart to the email step. */
  begin(): void {
    this.c.clearProblem();
    this.c.notice(null);
    this.emailError = null;
    this.email ||= this.flow.email;
    this.flow.leave();
    this.onDetails = true;
    this.c.focus.moveTo(EMAIL);
  }

  /** Back to the cart view; a checkout and its form stay, in case the shopper comes back. */
  leave(): void {
    this.flow.leave();
    this.onDetails = false;
    this.host.requestUpdate();
  }

  /**
   * The cart changed while its checkout waits for payment (another tab, which this one hears
   * through the cart session): that checkout's amount is no longer the cart's, so back to the cart,
   * with a word why. Going to checkout again re-prices it on the server, which cancels the old
   * PaymentIntent before making one for the new amount, so the old amount can't be paid.
   * Another tab may also have paid this checkout (the server then takes the paid lines out of the
   * cart): only the server knows, and then the shopper learns the order was placed, not that their
   * items vanished.
   */
  cartChanged(cart: Cart | null): void {
    const { checkout } = this.flow;
    if (this.fixed || this.flow.stage !== 'payment' || !checkout || this.openedFor === null || cart?.version === this.openedFor) return;
    this.openedFor = null;
    this.leave();
    this.c.focus.moveTo(HEADING);
    void getCheckout(this.c.shop.client, checkout.id).then((state) => state.order, () => undefined).then((order) => {
      // The shopper moved on meanwhile: the word belongs to the cart they left.
      if (this.showing) return;
      const { t } = this.c.localize;
      this.c.notice(order ? t('paidElsewhere', { number: order.number, email: order.email }) : t('cartChangedElsewhere'));
    });
  }

  /** The panel closed: a finished checkout gives way to the cart. */
  hidden(): void {
    if (this.flow.stage === 'complete') this.leave();
  }

  /** The element moved to another server. */
  dispose(): void {
    this.shipping.dispose();
    this.flow.dispose();
    this.host.removeController(this.flow);
  }

  /** The panel's title while the checkout is on screen; undefined when the cart is. */
  heading(): string | undefined {
    const { t } = this.c.localize;
    if (!this.showing) return undefined;
    const { stage, order } = this.flow;
    if (stage === 'complete') return order ? t('orderConfirmed') : t('paymentReceived');
    return stage === 'payment' || stage === 'processing' ? t('payment') : t('checkout');
  }

  /** The checkout's view; undefined when the cart is on screen. */
  render() {
    if (!this.showing) return undefined;
    const c = this.c.panel.parts;
    const { t } = c;
    const { flow } = this;
    const checkout = flow.checkout;
    if (flow.stage === 'payment' && checkout) {
      return html`
        ${paymentStep(c, {
          email: checkout.email, amount: checkout.amount, currency: checkout.currency,
          ready: flow.ready, wallets: flow.wallets, paying: flow.paying, error: flow.error, fixed: this.fixed,
          shipTo: checkout.shipping ? shipToLine(c, checkout.shipping, 'shipTo', this.fixed ? undefined : () => this.begin()) : undefined,
        }, { pay: () => void flow.pay(), changeEmail: () => this.begin() })}
        ${orderSummary(c, checkout.items, checkout.totals, checkout.currency)}
        ${this.fixed ? nothing : html`<button type="button" class="link" @click=${() => this.backToCart()}>${t('backToCart')}</button>`}`;
    }
    if (flow.stage === 'processing') return processing(c);
    if (flow.stage === 'complete') {
      const back = { done: this.c.done, shopUrl: this.fixed ? this.shopUrl() : null };
      return flow.order
        ? confirmation(c, flow.order, back)
        : html`<p class="notice" role="status">${t('needsAttention')}</p>${continueShopping(c, back)}`;
    }
    const cart = this.c.shop.cart!;
    const ships = cart.requiresShipping;
    if (ships) this.shipping.show(cart);
    const { shipping } = this;
    return html`
      ${detailsForm(c, {
        email: this.email, error: this.emailError, busy: this.busy,
        shipping: ships ? shippingFields(c, { ...shipping, currency: cart.currency }, { choose: (rateId) => shipping.choose(rateId) }) : undefined,
      }, {
        submit: (email) => void this.submit(email),
        back: () => this.backToCart(),
      })}
      ${orderSummary(c, cart.items, (ships && shipping.totals) || cart.totals, cart.currency)}`;
  }

  /** The shop's home page, where a retry link's page (no shop around it) leads: the server's SHOP_URL, else its root. */
  private shopUrl(): string {
    return this.home ?? new URL('/', new URL(this.c.shop.client.url(''), location.href)).href;
  }

  /** A checkout stage, or the email step with a cart to check out. */
  private get showing(): boolean {
    const { stage } = this.flow;
    if (stage === 'idle') return this.onDetails && Boolean(this.c.shop.cart);
    return stage !== 'payment' || Boolean(this.flow.checkout);
  }

  private backToCart(): void {
    this.c.clearProblem();
    this.leave();
    this.c.focus.moveTo(HEADING);
  }

  private async submit(email: string): Promise<void> {
    this.email = email;
    if (!looksLikeEmail(email)) {
      this.emailError = this.c.localize.t('emailInvalid');
      this.c.focus.moveTo(EMAIL);
      return;
    }
    const { shop } = this.c;
    const cart = shop.cart;
    if (!cart || cart.items.length === 0) return this.backToCart();
    this.emailError = null;
    this.c.clearProblem();
    this.busy = true;
    this.host.requestUpdate();
    try {
      const shipping = cart.requiresShipping ? await this.shipping.choice() : undefined;
      if (shipping === null) return;
      // The emails about this checkout speak the page's language (a page may name none the server knows).
      const { locale } = this.c.localize;
      const created = await startCheckout(shop.client, cart.id, { email, ...(isLocale(locale) ? { locale } : {}), ...(shipping ? { shipping } : {}) });
      // The server priced the cart afresh; if its goods differ from the screen, show its lines too.
      if (created.totals.subtotal !== cart.totals.subtotal || created.totals.discount !== cart.totals.discount) await shop.load(cart.id, false);
      this.onDetails = false;
      this.openedFor = (shop.cart ?? cart).version;
      this.flow.opened(created, (shop.cart ?? cart).items, email, shipping ? this.shipping.described(shipping) : null);
    } catch (error) {
      this.refused(error, () => void this.submit(email));
    } finally {
      this.busy = false;
      this.host.requestUpdate();
    }
  }

  private refused(error: unknown, retry: () => void): void {
    if (!(error instanceof ApiError) || error.retryable) return this.c.report(error, retry);
    if (error.code === 'shipping_rate_invalid') return this.shipping.rateRefused();
    if (error.code === 'shipping_required' || error.code === 'shipping_not_required') {
      // The cart gained or lost its last shipped item in another tab: show it as it is now, then ask again.
      if (this.c.shop.cart) void this.c.shop.load(this.c.shop.cart.id, false);
      return;
    }
    if (error.code === 'validation_failed' && isAddressRefusal(error.details)) return this.shipping.addressRefused();
    if (error.code === 'validation_failed') {
      this.emailError = this.c.localize.t('emailInvalid');
      this.c.focus.moveTo(EMAIL);
      return;
    }
    const { shop } = this.c;
    const checkoutId = shop.saved.read().checkoutId;
    if (error.code === 'checkout_closed' && checkoutId) return this.flow.watch(checkoutId);
    // The cart changed under the shopper (stock, coupon, emptied elsewhere): show it as it is now.
    this.c.report(error);
    this.onDetails = false;
    this.c.focus.moveTo(HEADING);
    if (error.code === 'cart_not_found') shop.session.forget();
    else if (shop.cart) void shop.load(shop.cart.id, true);
  }

  /** A light-DOM container an Element mounts into (Stripe will not mount inside a shadow root), slotted into the panel. */
  private lightContainer(slot: 'payment' | 'express'): HTMLElement {
    let container = this.host.querySelector<HTMLElement>(`:scope > [slot="${slot}"]`);
    if (!container) {
      container = document.createElement('div');
      container.slot = slot;
      container.className = `checkout-cart-${slot}`;
      this.host.append(container);
    }
    return container;
  }
}

/** A validation refusal about the address (its fields are under `shipping.`), not the email. */
function isAddressRefusal(details: unknown): boolean {
  return Array.isArray(details) && details.some((d: { path?: unknown }) => typeof d.path === 'string' && d.path.startsWith('shipping'));
}
