/**
 * The address and the shipping rate, for carts that ship: Stripe's Address Element (shipping
 * mode, only the countries the shop ships to) in a light-DOM container slotted into the panel,
 * and the shop's rates for the address's country, each priced by the server for this cart. The
 * server prices the chosen rate again at checkout; the totals shown here are its numbers.
 */
import type { Stripe, StripeAddressElement, StripeAddressElementChangeEvent } from '@stripe/stripe-js';
import type { LitElement } from 'lit';
import type { PublicConfig, Shipping, ShippingBody, ShippingQuote, Totals } from '../../shared/api.ts';
import { shippingRates } from '../api/checkout-requests.ts';
import type { ApiClient } from '../api/client.ts';
import { stripeFor } from '../payment/load-stripe.ts';

export interface ShippingStepContext {
  client: ApiClient;
  config(): Promise<PublicConfig>;
  /** The Address Element's language. */
  language(): string;
  /** Something went wrong that the shopper may retry (the network, Stripe.js not loading). */
  report(error: unknown, retry?: () => void): void;
  /** Escape was pressed in the Address Element, whose frame keeps the key from the page: close the panel. */
  escape(): void;
  /** The address and rate of the shopper's checkout found on a reload, if any: the step starts with them. */
  given(): Shipping | null;
}

export type ShippingRateQuote = ShippingQuote['rates'][number];

/** Why the step can't go on yet, as a message key. */
export type ShippingProblem = 'addressIncomplete' | 'chooseRate' | 'noShippingRates' | 'shippingRateGone';

export class ShippingStep {
  /** The rates for the address's country, priced for the cart as it was (`quotedFor`). */
  rates: ShippingRateQuote[] = [];
  rateId: string | null = null;
  country: string | null = null;
  loading = false;
  problem: ShippingProblem | null = null;
  /** The Address Element is on screen and reports changes. */
  ready = false;

  private element: StripeAddressElement | null = null;
  private mounting: Promise<void> | null = null;
  private cartId: string | null = null;
  /** The cart version on screen, and the one the rates were priced for: a changed cart is priced again. */
  private version = -1;
  private quotedFor = -1;
  /** Answers to earlier country changes that arrive late are dropped. */
  private asked = 0;
  /**
   * A request failed and its message offers Try again: until then render asks nothing by itself.
   * The message renders the step, and a render that asked again would ask without end (hundreds
   * of requests a second at a server that is down).
   */
  private stalled = false;

  constructor(private readonly host: LitElement, private readonly c: ShippingStepContext) {}

  /** The totals with the chosen rate, for the order summary; null until a rate is chosen. */
  get totals(): Totals | null {
    return this.rates.find((r) => r.id === this.rateId)?.totals ?? null;
  }

  /**
   * The details step renders a cart that ships: mount the Address Element once, and price the rates
   * again when the cart changed (a line added in another tab can make shipping free). Called from
   * render, so the work starts after it.
   */
  show(cart: { id: string; version: number }): void {
    if (this.cartId !== cart.id) {
      this.cartId = cart.id;
      this.quotedFor = -1;
    }
    this.version = cart.version;
    queueMicrotask(() => {
      if (this.stalled) return;
      this.mounting ??= this.mount().catch((error: unknown) => {
        this.mounting = null;
        this.stall(error, () => this.show(cart));
      });
      if (this.country && !this.loading && this.quotedFor !== this.version) void this.price(this.country);
    });
  }

  /** The address and rate to send with the checkout, or null (with `problem` set and shown) when one is missing. */
  async choice(): Promise<ShippingBody | null> {
    if (!this.element) return this.stop('addressIncomplete');
    const { complete, value } = await this.element.getValue();
    if (!complete) return this.stop('addressIncomplete');
    const rate = this.rates.find((r) => r.id === this.rateId);
    if (!rate) return this.stop(this.rates.length ? 'chooseRate' : 'noShippingRates');
    this.update({ problem: null });
    const { line1, line2, city, state, postal_code, country } = value.address;
    return { name: value.name, address: { line1, line2: line2 || null, city, state: state || null, postal_code: postal_code || null, country }, rateId: rate.id };
  }

  choose(rateId: string): void {
    this.update({ rateId, problem: null });
  }

  /** What the payment step shows for the choice sent: the rate by its label. */
  described(choice: ShippingBody): Shipping {
    const label = this.rates.find((r) => r.id === choice.rateId)?.label ?? choice.rateId;
    return { name: choice.name, address: choice.address, rate: { id: choice.rateId, label } };
  }

  /** The server refused a field of the address (too long, a control character). */
  addressRefused(): void {
    this.update({ problem: 'addressIncomplete' });
  }

  /** The server refused the rate (withdrawn, or not for this country since): price the country again. */
  rateRefused(): void {
    this.update({ rateId: null, problem: 'shippingRateGone' });
    if (this.country && this.cartId) void this.price(this.country);
  }

  /** The element moved to another server or was removed. */
  dispose(): void {
    this.element?.destroy();
    this.element = null;
    this.mounting = null;
    this.ready = false;
  }

  private stop(problem: ShippingProblem): null {
    this.update({ problem });
    return null;
  }

  private async mount(): Promise<void> {
    const cartId = this.cartId!;
    const [config, { countries }] = await Promise.all([this.c.config(), shippingRates(this.c.client, cartId)]);
    const stripe: Stripe = await stripeFor(config.stripeJsUrl, config.publishableKey);
    // The address given before a reload when the shop still ships there; else the shopper's own
    // country when the shop ships there, else the first the shop ships to.
    const found = this.c.given();
    const given = found && countries.includes(found.address.country) ? found : null;
    const region = (navigator.language.split('-')[1] ?? '').toUpperCase();
    const country = given?.address.country ?? (countries.includes(region) ? region : countries[0]);
    if (!country) {
      this.stop('noShippingRates');
      return;
    }
    if (given) this.rateId = given.rate.id;
    const elements = stripe.elements({ locale: this.c.language() as 'auto', appearance: { theme: 'stripe' } });
    const defaultValues = given ? { name: given.name, address: given.address } : { address: { country } };
    const element = elements.create('address', { mode: 'shipping', allowedCountries: countries, defaultValues });
    element.on('change', (event: StripeAddressElementChangeEvent) => {
      if (event.value.address.country !== this.country) void this.price(event.value.address.country);
    });
    element.on('ready', () => this.update({ ready: true }));
    element.on('escape', this.c.escape);
    element.mount(this.container());
    this.element = element;
    await this.price(country);
  }

  /** The rates for `country`, priced for the cart; keeps the chosen rate when the country still has it. */
  private async price(country: string): Promise<void> {
    const asked = ++this.asked;
    const version = this.version;
    this.update({ country, loading: true });
    try {
      const quote = await shippingRates(this.c.client, this.cartId!, country);
      if (asked !== this.asked) return;
      const kept = quote.rates.some((r) => r.id === this.rateId) ? this.rateId : (quote.rates[0]?.id ?? null);
      this.quotedFor = version;
      this.stalled = false;
      // A refused rate's message stays until the shopper chooses again.
      const problem = !quote.rates.length ? 'noShippingRates' : this.problem === 'shippingRateGone' ? this.problem : null;
      this.update({ rates: quote.rates, rateId: kept, loading: false, problem });
    } catch (error) {
      if (asked !== this.asked) return;
      this.update({ loading: false });
      this.stall(error, () => void this.price(country));
    }
  }

  private stall(error: unknown, retry: () => void): void {
    this.stalled = true;
    this.c.report(error, () => {
      this.stalled = false;
      retry();
    });
  }

  /** The light-DOM container the Address Element mounts into (Stripe will not mount in a shadow root). */
  private container(): HTMLElement {
    let container = this.host.querySelector<HTMLElement>(':scope > [slot="address"]');
    if (!container) {
      container = document.createElement('div');
      container.slot = 'address';
      container.className = 'checkout-cart-address';
      this.host.append(container);
    }
    return container;
  }

  private update(changes: Partial<Pick<ShippingStep, 'rates' | 'rateId' | 'country' | 'loading' | 'problem' | 'ready'>>): void {
    Object.assign(this, changes);
    this.host.requestUpdate();
  }
}
