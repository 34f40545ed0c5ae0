import { html, LitElement, nothing, type PropertyValues } from 'lit';
import type { Cart, PublicConfig } from '../../shared/api.ts';
import { CartController } from '../cart/cart-controller.ts';
import type { CartPanel } from '../cart/cart-panel.ts';
import type { CheckoutSteps } from '../checkout/checkout-steps.ts';
import { CheckoutRequestCloseEvent, type CloseSource } from '../events/checkout-request-close.ts';
import { LocalizeController } from '../i18n/localize-controller.ts';
import { AddButtonsController } from './add-buttons.ts';
import { styles } from './checkout-cart.styles.ts';
import { LazyView } from './lazy-view.ts';
import { PanelController } from './panel-controller.ts';
import type { Problem } from './problem.ts';
import type { ViewContext } from './view-context.ts';

/**
 * A drop-in cart and embedded checkout: buttons anywhere on the page add to it, it shows the
 * server's totals, and shoppers pay in the page with Stripe's Payment Element.
 *
 * @summary A cart and checkout for any page, priced and paid through the shop's server.
 *
 * @event {CheckoutItemAddedEvent} checkout-item-added - A product was added (`productId`, `quantity`, `cart`).
 * @event {CheckoutItemRemovedEvent} checkout-item-removed - A line was removed (`productId`, `cart`).
 * @event {CheckoutCouponAppliedEvent} checkout-coupon-applied - The server accepted a discount code (`code`, `discount`, `cart`).
 * @event {CheckoutStartedEvent} checkout-started - A checkout was opened for the cart (`checkoutId`, `amount`, `currency`).
 * @event {CheckoutPaymentFailedEvent} checkout-payment-failed - A payment attempt failed; the shopper may retry (`checkoutId`, `code`, `message`).
 * @event {CheckoutCompletedEvent} checkout-completed - The server reported the order (`orderId`, `orderNumber`, `total`, `currency`).
 * @event {CheckoutShowEvent} checkout-show - The panel is opening.
 * @event {CheckoutAfterHideEvent} checkout-after-hide - The panel has closed and focus is back where it was.
 * @event {CheckoutRequestCloseEvent} checkout-request-close - The shopper asked to close the panel (`source`: `close-button`, `keyboard`, `backdrop` or `done-button`). Cancelable: `preventDefault()` keeps it open.
 *
 * @slot payment - Filled by the element itself: the light-DOM container Stripe's Payment Element mounts into.
 * @slot address - Filled by the element itself, for carts that ship: the light-DOM container Stripe's Address Element mounts into.
 * @slot express - Filled by the element itself: the light-DOM container Stripe's Express Checkout Element (wallet buttons) mounts into.
 *
 * @csspart toggle - The button that opens the cart.
 * @csspart badge - The item count on the toggle.
 * @csspart backdrop - What dims the page while the panel is open; a click on it closes the panel.
 * @csspart base - The panel (a modal dialog: the page around it is inert while it is open).
 * @csspart header - The panel's title bar.
 * @csspart close-button - The panel's close button.
 * @csspart error - A problem, with a "Try again" or "Dismiss" button; on the payment step, why a payment failed.
 * @csspart line-item - One cart line.
 * @csspart unit-price - A line's unit price.
 * @csspart line-total - A line's total.
 * @csspart quantity - A line's quantity stepper.
 * @csspart remove-button - A line's remove button.
 * @csspart coupon - The discount code field (or the applied code).
 * @csspart totals - Subtotal, discount, shipping, tax and total.
 * @csspart total - The total's label and amount.
 * @csspart checkout-button - "Go to checkout".
 * @csspart continue-button - "Continue to payment".
 * @csspart summary - The order summary on the checkout steps and the confirmation.
 * @csspart email - The shopper's email on the payment step.
 * @csspart express-checkout - The wallet buttons (Apple Pay, Google Pay, Link) above the Payment Element; hidden when Stripe offers none.
 * @csspart payment-element - The light card the Payment Element shows on.
 * @csspart address-element - The light card the Address Element shows on (carts that ship).
 * @csspart shipping-rates - The shipping methods for the address's country, each with its price.
 * @csspart ship-to - Where the order ships, on the payment step and the confirmation.
 * @csspart pay-button - "Pay $x".
 * @csspart trust - Under the Pay button: a lock, "Payments by Stripe" and the card brands taken.
 * @csspart processing - "Confirming your payment…".
 * @csspart confirmation - The thank-you block.
 * @csspart order-number - The order number.
 * @csspart continue-shopping - After the order: closes the panel (on a retry link's page, a link to the shop).
 *
 * @cssprop {<family-name>#} --checkout-font-family - Font of the panel and the toggle (default: the system UI font).
 * @cssprop {<color>} [--checkout-color-text=#1b1b1f] - Text colour.
 * @cssprop {<color>} [--checkout-color-muted=#55555c] - Secondary text colour.
 * @cssprop {<color>} [--checkout-color-background=#ffffff] - Panel background.
 * @cssprop {<color>} [--checkout-color-surface=#f4f4f6] - Background of quiet blocks (notices, images).
 * @cssprop {<color>} [--checkout-color-border=#c9c9d1] - Lines and input borders.
 * @cssprop {<color>} [--checkout-color-accent=#1d4ed8] - Primary buttons, links and the badge.
 * @cssprop {<color>} [--checkout-color-accent-text=#ffffff] - Text on accent-coloured buttons.
 * @cssprop {<color>} [--checkout-color-error=#b42318] - Error text and borders.
 * @cssprop {<color>} [--checkout-color-success=#166534] - Confirmation accents.
 * @cssprop {<length>} [--checkout-radius=8px] - Corner radius.
 * @cssprop {<length>} [--checkout-panel-width=420px] - Width of the panel (capped at the viewport).
 * @cssprop {<integer>} [--checkout-z-index=2147483000] - Stacking level of the open panel.
 * @cssprop {<shadow>} --checkout-focus-ring - Box shadow of focused controls (default: a ring in the accent colour outside a ring in the panel's background, visible on any button).
 * @cssprop {<color>} [--checkout-payment-background=#ffffff] - The light card behind Stripe's Payment Element.
 */
export class CheckoutCart extends LitElement {
  static override styles = styles;
  /**
   * Lit's reactive properties, declared here rather than with `@property()` and `@state()`: the
   * decorators and TypeScript's helper for them cost every page about 390 B gzip of the first
   * script, whose budget is 12 KB. Each public one is documented at its field.
   */
  static override properties = {
    // Internal: a change re-renders; never an attribute.
    config: { state: true, attribute: false }, problem: { state: true, attribute: false }, notice: { state: true, attribute: false }, announcement: { state: true, attribute: false },
    api: {}, lang: { reflect: true }, retryToken: { attribute: 'retry-token' }, restoreToken: { attribute: 'restore-token' }, open: { type: Boolean, reflect: true },
  };

  private readonly localize = new LocalizeController(this, () => this.config?.locale);
  // A finished checkout gives way to the cart when the panel closes.
  private readonly panelControl = new PanelController(this, () => this.checkout.value?.hidden(), () => this.requestClose('keyboard'));
  private readonly shop = new CartController(this, {
    report: (error, retry) => this.views.report(error, retry),
    changed: (cart, byShopper) => {
      this.checkout.value?.cartChanged(cart);
      if (cart && byShopper) void this.when(this.panel, (panel) => (this.announcement = panel.totalAnnouncement(cart)));
    },
  });
  private readonly addButtons = new AddButtonsController(this);

  /** What the views loaded on demand may use and do here. */
  private readonly views: ViewContext = {
    shop: this.shop,
    localize: this.localize,
    focus: this.panelControl,
    config: async () => (this.config ??= await this.shop.client.config()),
    show: () => (this.open = true),
    announce: (text) => (this.announcement = text),
    // Told in the panel's words (a refusal never in the server's text): they come with its code.
    report: (error, retry) => void this.when(this.panel, (panel) => (this.problem = panel.problem(error, retry))),
    problem: (message, retry) => (this.problem = { message, retry }),
    clearProblem: () => (this.problem = null),
    notice: (text) => (this.notice = text),
    checkout: () => void this.when(this.checkout, (checkout) => checkout.begin()),
    done: () => this.requestClose('done-button'),
  };

  /** The cart panel, fetched when the panel first opens (or a shopper's change is to be announced). */
  private readonly panel = new LazyView<CartPanel>(
    async () => new (await import('../cart/cart-panel.ts')).CartPanel(this, this.views),
    () => this.requestUpdate(),
  );

  /** Everything past the cart, fetched when a shopper heads for the checkout or one is there to resume. */
  private readonly checkout = new LazyView<CheckoutSteps>(async () => {
    const panel = await this.panel.get();
    return new (await panel.checkoutCode()).CheckoutSteps(this, { ...this.views, panel });
  }, () => this.requestUpdate());

  private config: PublicConfig | null = null;
  private problem: Problem | null = null;
  private notice: string | null = null;
  private announcement = '';

  /** Origin (and optional path) of the checkout server, e.g. `https://shop.example.com`; empty means this page's origin. Changing it switches servers. */
  api = '';
  /** Language of the words and money format. Unset, the nearest ancestor's `lang` applies, then the server's `LOCALE`. */
  override lang!: string;
  /** A signed retry token from a recovery link: the element opens straight into the payment step of that checkout. Read when connecting to a server. */
  retryToken: string | null = null;
  /** A signed token from an abandoned-cart reminder's link: the element shows that cart, which becomes this browser's cart (replacing another one it had). A token that is forged or has expired leaves the cart there was, with a notice. Read when connecting to a server. */
  restoreToken: string | null = null;
  /** Whether the panel is open. */
  open = false;

  private connectedTo: string | null = null;

  /** Starts over with the server at `api`: its config, the cart saved for it, a checkout in flight. */
  private connectTo(api: string): void {
    this.connectedTo = api;
    this.checkout.value?.dispose();
    this.checkout.reset();
    [this.config, this.problem, this.notice] = [null, null, null];
    this.shop.connect(api);
    const { client } = this.shop;
    client.config().then((config) => client === this.shop.client && (this.config = config), () => undefined);
    const token = this.retryToken;
    const restore = this.restoreToken;
    const { saved } = this.shop;
    const { cartId, checkoutId: inFlight } = saved.read();
    // A checkout in flight, or the one whose confirmation this tab showed before a reload.
    const checkoutId = inFlight ?? saved.confirmed;
    // A reminder's cart comes with code of its own (most pages never restore one); should that fail to load, the saved cart shows.
    if (restore && !token) void import('../cart/restore-cart.ts').then((code) => code.restoreCart(this.views, restore, cartId), () => this.shop.load(cartId, false));
    else void this.shop.load(token ? null : cartId, false);
    if (token || checkoutId) void this.when(this.checkout, (checkout) => checkout.resume(token, checkoutId));
  }

  /** Runs `use` once a view's code is here; code that fails to load is reported with a "Try again". */
  private async when<T>(view: LazyView<T>, use: (value: T) => unknown = () => undefined): Promise<void> {
    const { session } = this.shop;
    let value: T;
    try {
      value = await view.get();
    } catch {
      this.problem = { message: this.localize.t('networkError'), retry: () => void this.when(view, use) };
      return;
    }
    if (session === this.shop.session) await use(value);
  }

  private requestClose(source: CloseSource): void {
    const request = new CheckoutRequestCloseEvent(source);
    this.dispatchEvent(request);
    if (!request.defaultPrevented) this.open = false;
  }

  /** The cart as the server last reported it (read-only), or null before the first item. */
  get cart(): Readonly<Cart> | null {
    return this.shop.cart;
  }

  /** Adds `quantity` (1 to 99) of a product; resolves with the server's cart, rejects with an `ApiError` that is also shown in the panel. */
  async add(productId: string, quantity = 1): Promise<Cart> {
    [this.problem, this.notice] = [null, null];
    const cart = await this.shop.add(productId, quantity);
    // A changed cart needs a fresh checkout: back to the cart (a payment being confirmed stays on screen).
    this.checkout.value?.leave();
    return cart;
  }

  /** Opens the panel and moves focus into it; resolves once it is shown. */
  async show(): Promise<void> {
    this.open = true;
    await this.updateComplete;
  }

  /** Closes the panel and gives focus back to where it was; resolves once it is hidden. */
  async hide(): Promise<void> {
    this.open = false;
    await this.updateComplete;
  }

  override connectedCallback(): void {
    super.connectedCallback();
    if (this.connectedTo === null) this.connectTo(this.api);
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('api') && this.connectedTo !== null && this.connectedTo !== this.api) this.connectTo(this.api);
    // The panel's code is fetched as it opens (its "Loading…" meanwhile).
    if (changed.has('open') && this.open) void this.when(this.panel);
  }

  /** Includes what is on its way (the language's words, a view's code): a caller waits for what it will see. */
  protected override async getUpdateComplete(): Promise<boolean> {
    let complete = await super.getUpdateComplete();
    const pending = () => (this.localize.ready ? null : this.localize.whenReady()) ?? this.panel.loading ?? this.checkout.loading;
    for (let code = pending(); code; code = pending()) {
      await code;
      complete = await super.getUpdateComplete();
    }
    return complete;
  }

  override render() {
    if (!this.localize.ready) return nothing;
    const { localize: { t }, shop, problem } = this;
    const checkout = this.checkout.value;
    const count = shop.cart?.itemCount ?? 0;
    const retry = problem?.retry;
    return html`
      <button type="button" part="toggle" class="button" aria-haspopup="dialog" aria-expanded=${this.open ? 'true' : 'false'} ?inert=${this.open} @click=${this.show}>
        <span>${t('cart')}</span>
        <span part="badge" aria-hidden="true">${count}</span>
        <span class="visually-hidden">, ${count === 1 ? t('itemsOne') : t('itemsOther', { count })}</span>
      </button>
      <div class="visually-hidden" role="status">${this.announcement}</div>
      <div part="backdrop" ?hidden=${!this.open} @click=${() => this.requestClose('backdrop')}></div>
      <div part="base" role="dialog" aria-modal="true" aria-labelledby="title" tabindex="-1" ?hidden=${!this.open}
        aria-busy=${shop.loading || shop.busy || checkout?.busy ? 'true' : 'false'}>
        <div part="header">
          <h2 id="title" tabindex="-1">${checkout?.heading() ?? t('yourCart')}</h2>
          <button type="button" part="close-button" class="button" aria-label=${t('close')} @click=${() => this.requestClose('close-button')}>✕</button>
        </div>
        <div class="body">
          <div part="error" role="alert">${problem ? html`<span>${problem.message}</span>${retry
            ? html`<button type="button" class="button" @click=${() => { this.problem = null; retry(); }}>${t('retry')}</button>`
            : html`<button type="button" class="link" @click=${() => (this.problem = null)}>${t('dismiss')}</button>`}` : nothing}</div>
          ${this.notice ? html`<p class="notice" role="status">${this.notice}</p>` : nothing}
          ${checkout?.render() ?? this.panel.value?.render() ?? html`<p class="muted">${t('loading')}</p>`}
        </div>
      </div>`;
  }
}
