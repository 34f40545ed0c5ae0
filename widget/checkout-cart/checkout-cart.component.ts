import { html, LitElement, nothing, type PropertyValues } from 'lit';
import type { Cart, PublicConfig } from '../../shared/api.ts';
import { formatMoney } from '../../shared/money.ts';
import { ApiClient, ApiError } from '../api/client.ts';
import { CartSession } from '../cart/cart-session.ts';
import { CheckoutFlow } from '../checkout/checkout-flow.ts';
import { CheckoutCouponAppliedEvent } from '../events/checkout-coupon-applied.ts';
import { CheckoutItemAddedEvent } from '../events/checkout-item-added.ts';
import { CheckoutItemRemovedEvent } from '../events/checkout-item-removed.ts';
import { messageFor, rateLimitedMessage, supportedLanguage, translator, type Translate } from '../i18n/messages.ts';
import { SavedState } from '../storage/saved-state.ts';
import { styles } from './checkout-cart.styles.ts';
import { MAX_QUANTITY_PER_LINE } from './limits.ts';
import { cartView } from './parts/cart-view.ts';
import { confirmation } from '../checkout/parts/confirmation.ts';
import type { PartContext } from './parts/context.ts';
import { detailsForm, looksLikeEmail } from '../checkout/parts/details-form.ts';
import { orderSummary } from '../checkout/parts/order-summary.ts';
import { paymentStep } from '../checkout/parts/payment-step.ts';
import { processing } from '../checkout/parts/processing.ts';

/** The element's own views; the checkout flow's stages (payment, processing, complete) take over when active. */
type View = 'cart' | 'details';

interface Problem {
  message: string;
  retry?: () => void;
}

type FocusTarget = 'panel' | 'heading' | 'email' | 'coupon' | 'pay';

const focusTargets: Record<FocusTarget, string> = {
  panel: '[part="base"]', heading: 'h2', email: '#email', coupon: '[part="coupon"] :is(input, button)', pay: '[part="pay-button"]',
};

const isApiError = (error: unknown, code: string): boolean => error instanceof ApiError && error.code === code;

function deepActiveElement(): HTMLElement | null {
  let active = document.activeElement;
  while (active?.shadowRoot?.activeElement) active = active.shadowRoot.activeElement;
  return active instanceof HTMLElement ? active : null;
}

function clampQuantity(value: unknown): number {
  const n = Math.trunc(Number(value));
  return Number.isFinite(n) && n >= 1 ? Math.min(n, MAX_QUANTITY_PER_LINE) : 1;
}

/**
 * @summary A drop-in cart and embedded checkout: buttons anywhere on the page add to it, it shows
 * the server's totals, and shoppers pay in the page with Stripe's Payment Element.
 *
 * @event checkout-item-added - A product was added (`productId`, `quantity`, `cart`).
 * @event checkout-item-removed - A line was removed (`productId`, `cart`).
 * @event checkout-coupon-applied - The server accepted a discount code (`code`, `discount`, `cart`).
 * @event checkout-started - A checkout was opened for the cart (`checkoutId`, `amount`, `currency`).
 * @event checkout-payment-failed - A payment attempt failed; the shopper may retry (`checkoutId`, `code`, `message`).
 * @event checkout-completed - The server reported the order (`orderId`, `orderNumber`, `total`, `currency`).
 *
 * @slot payment - Filled by the element itself: the light-DOM container Stripe's Payment Element mounts into.
 *
 * @csspart toggle - The button that opens the cart. @csspart badge - The item count on it.
 * @csspart base - The panel (a dialog). @csspart header - Its title bar. @csspart close-button - Its close button.
 * @csspart error - Problems with a "try again" button. @csspart line-item - One cart line.
 * @csspart unit-price - A line's unit price. @csspart line-total - A line's total. @csspart quantity - The quantity stepper.
 * @csspart remove-button - A line's remove button. @csspart coupon - The discount code field.
 * @csspart totals - Subtotal, discount, tax and total. @csspart total - The total's label and amount.
 * @csspart checkout-button - "Go to checkout". @csspart continue-button - "Continue to payment".
 * @csspart summary - The order summary. @csspart email - The shopper's email on the payment step.
 * @csspart payment-element - Where the Payment Element shows. @csspart pay-button - "Pay $x".
 * @csspart confirmation - The thank-you block. @csspart order-number - The order number.
 *
 * @cssproperty --checkout-font-family - Font of the panel and button.
 * @cssproperty --checkout-color-text - Text colour.
 * @cssproperty --checkout-color-muted - Secondary text colour.
 * @cssproperty --checkout-color-background - Panel background.
 * @cssproperty --checkout-color-surface - Background of quiet blocks (notices, images).
 * @cssproperty --checkout-color-border - Lines and input borders.
 * @cssproperty --checkout-color-accent - Primary buttons, links and the badge.
 * @cssproperty --checkout-color-accent-text - Text on accent-coloured buttons.
 * @cssproperty --checkout-color-error - Error text and borders.
 * @cssproperty --checkout-color-success - Confirmation accents.
 * @cssproperty --checkout-radius - Corner radius.
 * @cssproperty --checkout-panel-width - Width of the panel (capped at the viewport).
 * @cssproperty --checkout-z-index - Stacking level of the open panel.
 * @cssproperty --checkout-focus-ring - Box shadow of focused controls.
 * @cssproperty --checkout-payment-background - The light card behind Stripe's Payment Element.
 */
export class CheckoutCart extends LitElement {
  static override styles = styles;

  static override properties = {
    _cart: { state: true },
    _config: { state: true },
    _loading: { state: true },
    _view: { state: true },
    _problem: { state: true },
    _notice: { state: true },
    _couponError: { state: true },
    _email: { state: true },
    _emailError: { state: true },
    _busy: { state: true },
    _announcement: { state: true },
    api: { type: String },
    locale: { type: String, attribute: 'lang' },
    retryToken: { type: String, attribute: 'retry-token' },
    opened: { type: Boolean, attribute: 'open', reflect: true },
  };

  declare private _cart: Cart | null;
  declare private _config: PublicConfig | null;
  declare private _loading: boolean;
  declare private _view: View;
  declare private _problem: Problem | null;
  declare private _notice: string | null;
  declare private _couponError: string | null;
  declare private _email: string;
  declare private _emailError: string | null;
  declare private _busy: boolean;
  declare private _announcement: string;

  /** Origin of the checkout server, e.g. `https://shop.example.com`; empty means this page's origin. Read once, on connect. */
  declare api: string;
  /** The `lang` attribute: language of the text and money format; defaults to the server's locale. */
  declare locale: string | null;
  /** Opens straight into the payment step of the checkout this signed token names (recovery links). */
  declare retryToken: string | null;
  /** Whether the panel is open (the `open` attribute). */
  declare opened: boolean;

  private client!: ApiClient;
  private saved!: SavedState;
  private session!: CartSession;
  private flow!: CheckoutFlow;
  private started: Promise<void> | null = null;
  private returnFocus: HTMLElement | null = null;
  private pendingFocus: FocusTarget | null = null;

  constructor() {
    super();
    this._cart = null;
    this._config = null;
    this._loading = true;
    this._view = 'cart';
    this._problem = null;
    this._notice = null;
    this._couponError = null;
    this._email = '';
    this._emailError = null;
    this._busy = false;
    this._announcement = '';
    this.api = '';
    this.locale = null;
    this.retryToken = null;
    this.opened = false;
  }

  // ---- derived

  private get t(): Translate {
    return translator(this.locale || this._config?.locale);
  }

  private get parts(): PartContext {
    const locale = this.locale || this._config?.locale || 'en-US';
    return { t: this.t, money: (amount, currency) => formatMoney(amount, currency, locale) };
  }

  // ---- lifecycle

  override connectedCallback(): void {
    super.connectedCallback();
    document.addEventListener('click', this.onDocumentClick);
    window.addEventListener('storage', this.onStorage);
    this.started ??= this.start();
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    document.removeEventListener('click', this.onDocumentClick);
    window.removeEventListener('storage', this.onStorage);
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('opened') && this.opened && changed.get('opened') !== true) {
      const active = deepActiveElement();
      this.returnFocus = active && !this.renderRoot.contains(active) ? active : null;
      this.pendingFocus ??= 'panel';
    }
  }

  protected override updated(changed: PropertyValues<this>): void {
    if (changed.has('opened') && !this.opened && changed.get('opened') === true) {
      const target = this.returnFocus?.isConnected ? this.returnFocus : this.renderRoot.querySelector<HTMLElement>('[part="toggle"]');
      this.returnFocus = null;
      target?.focus();
    }
    if (this.pendingFocus && this.opened) {
      const selector = focusTargets[this.pendingFocus];
      this.pendingFocus = null;
      this.renderRoot.querySelector<HTMLElement>(selector)?.focus();
    }
  }

  /** Focus moves after the next render: the control that had it may be gone or disabled. */
  private moveFocus(target: FocusTarget): void {
    this.pendingFocus = target;
    this.requestUpdate();
  }

  private async start(): Promise<void> {
    this.client = new ApiClient(this.api);
    this.saved = new SavedState(new URL(this.api || location.origin, location.href).href.replace(/\/+$/, ''));
    this.session = new CartSession(this.client, this.saved, {
      cartChanged: (cart, byShopper) => {
        this._cart = cart;
        if (cart && byShopper) this._announcement = this.t('totalIs', { total: this.parts.money(cart.totals.total, cart.currency) });
      },
      busyChanged: (busy) => {
        this._busy = busy;
      },
    });
    this.flow = new CheckoutFlow(this, {
      client: this.client,
      saved: this.saved,
      t: () => this.t,
      config: () => this.requireConfig(),
      language: () => supportedLanguage(this.locale || this._config?.locale),
      container: () => this.paymentContainer(),
      show: (focus) => {
        this.opened = true;
        this.moveFocus(focus);
      },
      announce: (text) => {
        this._announcement = text;
      },
      report: (error, retry) => this.report(error, retry),
      problem: (message, retry) => {
        this._problem = { message, retry };
      },
      closed: (notice) => {
        this._notice = notice;
        this._view = 'cart';
        if (this._cart) void this.loadCart(this._cart.id, true);
      },
      ordered: () => {
        // The server clears the paid cart; find out whether ours was it.
        const cartId = this.session.savedCartId;
        if (cartId) void this.loadCart(cartId, false);
      },
    });
    await Promise.all([this.loadConfig(), this.resume()]);
  }

  private async loadConfig(): Promise<void> {
    try {
      this._config = await this.client.config();
    } catch (error) {
      this.report(error, () => void this.loadConfig());
    }
  }

  private async requireConfig(): Promise<PublicConfig> {
    this._config ??= await this.client.config();
    return this._config;
  }

  /** Back to where the shopper was: a retry link, a payment in flight, a redirect from 3D Secure, the cart. */
  private async resume(): Promise<void> {
    if (this.retryToken) {
      await this.flow.resumeRetry(this.retryToken);
      this._loading = false;
      return;
    }
    const { cartId, checkoutId } = this.saved.read();
    await Promise.all([
      cartId ? this.loadCart(cartId, false) : (this._loading = false),
      checkoutId ? this.flow.resumeSaved(checkoutId) : undefined,
    ]);
  }

  /** The light-DOM container Stripe mounts into, slotted into the panel. */
  private paymentContainer(): HTMLElement {
    let container = this.querySelector<HTMLElement>(':scope > [slot="payment"]');
    if (!container) {
      container = document.createElement('div');
      container.slot = 'payment';
      container.className = 'checkout-cart-payment';
      this.append(container);
    }
    return container;
  }

  /** Shows a failure: retryable ones (network, 5xx, malformed answers) with a "try again" button. */
  private report(error: unknown, retry?: () => void): void {
    const { t } = this;
    if (error instanceof ApiError && error.code === 'rate_limited') {
      this._problem = { message: rateLimitedMessage(t, error.retryAfterSeconds), retry };
    } else if (error instanceof ApiError && error.retryable) {
      this._problem = { message: t(error.code === 'network' ? 'networkError' : 'serverError'), retry };
    } else if (error instanceof ApiError) {
      this._problem = { message: messageFor(t, error.code, error.message) };
    } else {
      this._problem = { message: t('serverError'), retry };
    }
  }

  // ---- cart

  private async loadCart(cartId: string, byShopper: boolean): Promise<void> {
    try {
      await this.session.load(cartId, byShopper);
    } catch (error) {
      this.report(error, () => void this.loadCart(cartId, byShopper));
    } finally {
      this._loading = false;
    }
  }

  private async setQuantity(productId: string, quantity: number): Promise<void> {
    if (quantity <= 0) return this.removeLine(productId);
    this._problem = null;
    try {
      await this.session.change((id) => this.client.setQuantity(id, productId, quantity), false);
    } catch (error) {
      if (isApiError(error, 'not_found') && this._cart) await this.loadCart(this._cart.id, true);
      else this.report(error, () => void this.setQuantity(productId, quantity));
      this.requestUpdate();
    }
    await this.keepFocus(`[data-product-id="${CSS.escape(productId)}"] input`);
  }

  private async removeLine(productId: string): Promise<void> {
    this._problem = null;
    try {
      const cart = await this.session.change((id) => this.client.removeItem(id, productId), false);
      if (cart) this.dispatchEvent(new CheckoutItemRemovedEvent(productId, cart));
    } catch (error) {
      this.report(error, () => void this.removeLine(productId));
    }
    await this.keepFocus('h2');
  }

  /** After a change re-renders the list, focus lost with a removed or disabled control goes somewhere sensible. */
  private async keepFocus(fallback: string): Promise<void> {
    await this.updateComplete;
    const active = (this.renderRoot as ShadowRoot).activeElement as HTMLElement | null;
    if (this.opened && (!active || (active as HTMLButtonElement).disabled)) {
      (this.renderRoot.querySelector<HTMLElement>(fallback) ?? this.renderRoot.querySelector<HTMLElement>('h2'))?.focus();
    }
  }

  private async applyCoupon(code: string): Promise<void> {
    this._problem = null;
    this._couponError = null;
    try {
      const cart = await this.session.change((id) => this.client.applyCoupon(id, code), false);
      if (cart?.couponCode) this.dispatchEvent(new CheckoutCouponAppliedEvent(cart.couponCode, cart));
      this.moveFocus('coupon');
    } catch (error) {
      if (error instanceof ApiError && !error.retryable) {
        this._couponError = messageFor(this.t, error.code, error.message);
        this.moveFocus('coupon');
      } else {
        this.report(error, () => void this.applyCoupon(code));
      }
    }
  }

  private async removeCoupon(): Promise<void> {
    this._problem = null;
    this._couponError = null;
    try {
      await this.session.change((id) => this.client.removeCoupon(id), false);
      this.moveFocus('coupon');
    } catch (error) {
      this.report(error, () => void this.removeCoupon());
    }
  }

  // ---- to the checkout

  private goToDetails(): void {
    this._problem = null;
    this._notice = null;
    this._emailError = null;
    this._email ||= this.flow.email;
    this.flow.leave();
    this._view = 'details';
    this.moveFocus('email');
  }

  private backToCart(): void {
    this._problem = null;
    this.flow.leave();
    this._view = 'cart';
    this.moveFocus('heading');
  }

  private async submitDetails(email: string): Promise<void> {
    this._email = email;
    if (!looksLikeEmail(email)) {
      this._emailError = this.t('emailInvalid');
      this.moveFocus('email');
      return;
    }
    const cart = this._cart;
    if (!cart || cart.items.length === 0) return this.backToCart();
    this._emailError = null;
    this._problem = null;
    this._busy = true;
    try {
      const created = await this.client.startCheckout(cart.id, email);
      // The server priced the cart afresh; if that differs from the screen, show its lines too.
      if (created.totals.total !== cart.totals.total) await this.loadCart(cart.id, false);
      this.flow.opened(created, (this._cart ?? cart).items, email);
    } catch (error) {
      this.checkoutRefused(error, () => void this.submitDetails(email));
    } finally {
      this._busy = false;
    }
  }

  private checkoutRefused(error: unknown, retry: () => void): void {
    if (!(error instanceof ApiError) || error.retryable) return this.report(error, retry);
    if (error.code === 'validation_failed') {
      this._emailError = this.t('emailInvalid');
      this.moveFocus('email');
      return;
    }
    const checkoutId = this.saved.read().checkoutId;
    if (error.code === 'checkout_closed' && checkoutId) return this.flow.watch(checkoutId);
    // The cart changed under the shopper (stock, coupon, emptied elsewhere): show it as it is now.
    this.report(error);
    this._view = 'cart';
    this.moveFocus('heading');
    if (error.code === 'cart_not_found') this.session.forget();
    else if (this._cart) void this.loadCart(this._cart.id, true);
  }

  // ---- page-wide listeners

  /** `[data-checkout-add]` anywhere in the document, including buttons added after load. */
  private onDocumentClick = (event: MouseEvent): void => {
    if (event.defaultPrevented || event.button !== 0) return;
    const trigger = event.composedPath().find((node): node is Element => node instanceof Element && node.hasAttribute('data-checkout-add'));
    const productId = trigger?.getAttribute('data-checkout-add');
    if (!trigger || !productId) return;
    event.preventDefault();
    this.open();
    this.add(productId, clampQuantity(trigger.getAttribute('data-quantity') ?? 1)).catch(() => undefined);
  };

  /** Another tab changed the cart (or finished it): show the server's current cart. */
  private onStorage = (event: StorageEvent): void => {
    if (event.key !== null && event.key !== this.saved.key) return;
    this.session.sync().catch((error: unknown) => this.report(error, () => this.onStorage(event)));
  };

  private onPanelKeydown = (event: KeyboardEvent): void => {
    if (event.key === 'Escape' && !event.isComposing) {
      event.stopPropagation();
      this.close();
    }
  };

  // ---- public API

  /** The cart as the server last reported it (read-only), or null before the first item. */
  get cart(): Readonly<Cart> | null {
    return this._cart;
  }

  /** Adds `quantity` of a product; resolves with the server's cart, rejects with an ApiError (also shown in the panel). */
  async add(productId: string, quantity = 1): Promise<Cart> {
    const amount = clampQuantity(quantity);
    this._problem = null;
    this._notice = null;
    try {
      const cart = await this.session.change((id) => this.client.addItem(id, productId, amount), true);
      if (!cart) throw new ApiError('cart_not_found', 'The cart could not be created.', 404, true);
      // A changed cart needs a fresh checkout: back to the cart (a payment being confirmed stays on screen).
      this.flow.leave();
      this._view = 'cart';
      this.dispatchEvent(new CheckoutItemAddedEvent(productId, amount, cart));
      return cart;
    } catch (error) {
      this.report(error, () => void this.add(productId, quantity).catch(() => undefined));
      throw error;
    }
  }

  /** Opens the panel and moves focus into it. */
  open(): void {
    this.opened = true;
  }

  /** Closes the panel and gives focus back to where it was. */
  close(): void {
    this.opened = false;
    if (this.flow?.stage === 'complete') {
      this.flow.leave();
      this._view = 'cart';
    }
  }

  // ---- rendering

  private renderView() {
    const { t } = this;
    const c = this.parts;
    const { flow } = this;
    const checkout = flow?.checkout;
    switch (flow?.stage ?? 'idle') {
      case 'payment': {
        if (!checkout) break;
        const fixed = Boolean(this.retryToken);
        return html`
          ${paymentStep(c, {
            email: checkout.email, amount: checkout.amount, currency: checkout.currency,
            ready: flow.ready, paying: flow.paying, error: flow.error, fixed,
          }, { pay: () => void flow.pay(), changeEmail: () => this.goToDetails() })}
          ${orderSummary(c, checkout.items, checkout.totals, checkout.currency)}
          ${fixed ? nothing : html`<button type="button" class="link" @click=${this.backToCart}>${t('backToCart')}</button>`}`;
      }
      case 'processing':
        return processing(c);
      case 'complete':
        return flow.order
          ? confirmation(c, flow.order, { done: () => this.close() })
          : html`<p class="notice" role="status">${t('needsAttention')}</p>
            <button type="button" class="button primary" @click=${this.close}>${t('done')}</button>`;
      case 'idle':
        break;
    }
    const cart = this._cart;
    if (this._view === 'details' && cart) {
      return html`
        ${detailsForm(c, { email: this._email, error: this._emailError, busy: this._busy }, {
          submit: (email) => void this.submitDetails(email),
          back: () => this.backToCart(),
        })}
        ${orderSummary(c, cart.items, cart.totals, cart.currency)}`;
    }
    return cartView(c, cart, { loading: this._loading, couponError: this._couponError }, {
      setQuantity: (id, quantity) => void this.setQuantity(id, quantity),
      remove: (id) => void this.removeLine(id),
      coupon: { apply: (code) => void this.applyCoupon(code), remove: () => void this.removeCoupon() },
      checkout: () => this.goToDetails(),
      close: () => this.close(),
    });
  }

  private heading(): string {
    const { t } = this;
    const stage = this.flow?.stage ?? 'idle';
    if (stage === 'payment' || stage === 'processing') return t('payment');
    return stage === 'complete' || this._view === 'details' ? t('checkout') : t('yourCart');
  }

  override render() {
    const { t } = this;
    const count = this._cart?.itemCount ?? 0;
    const problem = this._problem;
    const retry = problem?.retry;
    return html`
      <button type="button" part="toggle" class="button" aria-haspopup="dialog" aria-expanded=${this.opened ? 'true' : 'false'} @click=${this.open}>
        <span>${t('cart')}</span>
        <span part="badge" aria-hidden="true">${count}</span>
        <span class="visually-hidden">, ${count === 1 ? t('itemsOne') : t('itemsOther', { count })}</span>
      </button>
      <div class="visually-hidden" role="status">${this._announcement}</div>
      <div part="base" role="dialog" aria-labelledby="title" tabindex="-1" ?hidden=${!this.opened}
        aria-busy=${this._busy ? 'true' : 'false'} @keydown=${this.onPanelKeydown}>
        <header part="header">
          <h2 id="title" tabindex="-1">${this.heading()}</h2>
          <button type="button" part="close-button" class="button" aria-label=${t('close')} @click=${this.close}>✕</button>
        </header>
        <div class="body">
          <div part="error" role="alert">${problem ? html`<span>${problem.message}</span>${retry ? html`<button type="button" class="button" @click=${() => { this._problem = null; retry(); }}>${t('retry')}</button>` : html`<button type="button" class="link" @click=${() => { this._problem = null; }}>${t('dismiss')}</button>`}` : nothing}</div>
          ${this._notice ? html`<p class="notice" role="status">${this._notice}</p>` : nothing}
          ${this.renderView()}
        </div>
      </div>`;
  }
}
