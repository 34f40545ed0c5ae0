/**
 * A checkout from the moment the server opens it to the order: the Payment Element, paying,
 * following the status until the server reports the order, and picking all of that up again after
 * a reload, a payment redirect or a retry link. A Lit controller: the element renders its stage.
 */
import type { ReactiveController, ReactiveControllerHost } from 'lit';
import type { CheckoutCreated, CheckoutState, Order, PublicConfig, Shipping, Totals } from '../../shared/api.ts';
import { getCheckout, retryCheckout } from '../api/checkout-requests.ts';
import { ApiError, type ApiClient } from '../api/client.ts';
import { CheckoutCompletedEvent } from '../events/checkout-completed.ts';
import { CheckoutPaymentFailedEvent } from '../events/checkout-payment-failed.ts';
import { CheckoutStartedEvent } from '../events/checkout-started.ts';
import { messageFor } from '../i18n/error-words.ts';
import type { Translate } from '../i18n/messages.ts';
import { stripeFor } from '../payment/load-stripe.ts';
import { ExpressCheckout } from '../payment/express-checkout.ts';
import { PaymentForm } from '../payment/payment-form.ts';
import { watchCheckout } from '../payment/watch-checkout.ts';
import { rememberConfirmation } from '../storage/confirmed-checkout.ts';
import type { SavedState } from '../storage/saved-state.ts';

/** `idle`: no checkout on screen (the element shows its cart or the email step). */
export type Stage = 'idle' | 'payment' | 'processing' | 'complete';

export interface CheckoutLine {
  productId: string;
  name: string;
  quantity: number;
  lineTotal: number;
}

/** The checkout being paid: from `POST /checkout`, a saved checkout id, or a retry link. */
export interface ActiveCheckout {
  id: string;
  clientSecret: string | null;
  amount: number;
  currency: string;
  totals: Totals;
  items: CheckoutLine[];
  email: string;
  /** Where it ships; null when nothing in it is shipped. */
  shipping: Shipping | null;
}

/** What the flow needs from the element that shows it. */
export interface FlowContext {
  client: ApiClient;
  saved: SavedState;
  t(): Translate;
  config(): Promise<PublicConfig>;
  /** The Payment Element's language. */
  language(): string;
  /** A light-DOM container for an Element (the Payment Element, the wallets' buttons), slotted into the panel. */
  container(slot: 'payment' | 'express'): HTMLElement;
  /** The flow has something to show: open the panel and move focus there. */
  show(focus: 'heading' | 'pay'): void;
  announce(text: string): void;
  report(error: unknown, retry?: () => void): void;
  problem(message: string, retry: () => void): void;
  /** Escape was pressed in a Stripe Element (the card form, the wallets), whose frame keeps the key from the page: close the panel. */
  escape(): void;
  /** The checkout closed without an order (it expired): the cart is shown again, with the notice. */
  closed(notice: string): void;
  /** The server made the order and clears the cart it came from. */
  ordered(): void;
}

/** Query parameters Stripe adds to `return_url` after a redirect (3D Secure on some cards, bank redirects). */
const REDIRECT_PARAMS = ['payment_intent', 'payment_intent_client_secret', 'redirect_status'];

function withoutRedirectParams(href: string): URL {
  const url = new URL(href);
  for (const name of REDIRECT_PARAMS) url.searchParams.delete(name);
  return url;
}

export class CheckoutFlow implements ReactiveController {
  stage: Stage = 'idle';
  checkout: ActiveCheckout | null = null;
  /** The Payment Element is mounted: the Pay button may be used. */
  ready = false;
  /** Whether Stripe shows any wallet button (Apple Pay, Google Pay, Link); null until it says. */
  wallets: boolean | null = null;
  paying = false;
  /** The last attempt's failure, in the shopper's words. */
  error: string | null = null;
  order: Order | null = null;
  /** The email of a checkout found on reload, to pre-fill the email step. */
  email = '';
  /** Its address and rate, to pre-fill the address step (a reload must not make the shopper type it again). */
  shipping: Shipping | null = null;

  private form: PaymentForm | null = null;
  private formKey = '';
  private formContainer: HTMLElement | null = null;
  private expressContainer: HTMLElement | null = null;
  private express: ExpressCheckout | null = null;
  private stopWatching: (() => void) | null = null;

  constructor(private readonly host: ReactiveControllerHost & EventTarget & { isConnected: boolean }, private readonly c: FlowContext) {
    host.addController(this);
  }

  hostConnected(): void {
    if (this.stage === 'processing' && this.checkout && !this.stopWatching) this.watch(this.checkout.id);
  }

  hostDisconnected(): void {
    this.stopWatching?.();
    this.stopWatching = null;
  }

  /** The server opened (or brought up to date) a checkout for the cart. */
  opened(created: CheckoutCreated, items: CheckoutLine[], email: string, shipping: Shipping | null = null): void {
    this.c.saved.write({ checkoutId: created.checkoutId });
    this.host.dispatchEvent(new CheckoutStartedEvent(created.checkoutId, created.amount, created.currency));
    this.enterPayment({
      id: created.checkoutId, clientSecret: created.clientSecret, amount: created.amount, currency: created.currency,
      totals: created.totals, items, email, shipping,
    }, null);
  }

  /** A recovery email's link: straight to paying that checkout. */
  async resumeRetry(token: string): Promise<void> {
    try {
      const state = await retryCheckout(this.c.client, token);
      this.c.saved.write({ checkoutId: state.id });
      this.follow(state, true);
    } catch (error) {
      this.c.show('heading');
      this.c.report(error, () => void this.resumeRetry(token));
    }
  }

  /** A checkout saved before a reload or a payment redirect: show how it stands instead of starting over. */
  async resumeSaved(checkoutId: string): Promise<void> {
    const params = new URLSearchParams(location.search);
    const redirected = params.has('payment_intent_client_secret');
    if (redirected) history.replaceState(history.state, '', withoutRedirectParams(location.href));
    try {
      const state = await getCheckout(this.c.client, checkoutId);
      if (redirected && params.get('redirect_status') !== 'failed' && state.status === 'pending') {
        // Back from the bank: the server hears from Stripe any moment now.
        this.useCheckout(state);
        this.watch(state.id);
      } else {
        this.follow(state, redirected);
      }
    } catch (error) {
      if (error instanceof ApiError && error.code === 'checkout_not_found') {
        this.c.saved.write({ checkoutId: null });
        rememberConfirmation(this.c.saved, null);
      }
      else if (redirected) this.c.report(error, () => void this.resumeSaved(checkoutId));
    }
  }

  async pay(): Promise<void> {
    const { checkout, form } = this;
    if (this.paying || !checkout || !form) return;
    this.update({ paying: true, error: null });
    try {
      const outcome = await form.confirm(withoutRedirectParams(location.href).href);
      if (outcome.kind === 'paid') {
        // The server turns it into an order. Stripe said `succeeded`, which is final: a failure the
        // server reports meanwhile is an earlier attempt's (its webhook came late), not this one's.
        this.watch(checkout.id, outcome.status === 'succeeded');
        return;
      }
      if (outcome.code === 'payment_intent_unexpected_state') return await this.afterStaleIntent(checkout);
      const t = this.c.t();
      const message = messageFor(t, outcome.code, outcome.message ?? t('paymentFailed'));
      this.update({ error: message });
      // Incomplete card details are not an attempt: Stripe marks and focuses the field, nothing was charged.
      if (outcome.type !== 'validation_error') {
        this.host.dispatchEvent(new CheckoutPaymentFailedEvent(checkout.id, outcome.code, message));
        this.c.show('pay');
      }
    } catch {
      this.update({ error: this.c.t()('paymentFailed') });
    } finally {
      this.update({ paying: false });
    }
  }

  /**
   * Stripe refused to confirm this PaymentIntent: it was paid already (another tab), or replaced
   * because another tab changed the email, address or shipping rate (the cart's version stays the same,
   * so only the server knows). Replaced: show the checkout's new amount and let the shopper pay it.
   */
  private async afterStaleIntent(checkout: ActiveCheckout): Promise<void> {
    const state = await getCheckout(this.c.client, checkout.id).catch(() => null);
    // Failed too: a checkout declined once is paid again on a PaymentIntent of its own.
    if ((state?.status === 'pending' || state?.status === 'failed') && state.clientSecret && state.clientSecret !== checkout.clientSecret) {
      return this.enterPayment(this.useCheckout(state), this.c.t()('checkoutChangedElsewhere'));
    }
    this.watch(checkout.id);
  }

  /**
   * Follows the checkout until the server settles it (the server refused a new one: it is being
   * paid). `succeeded`: this tab's payment went through, so no failure can end the wait.
   */
  watch(checkoutId: string, succeeded = false): void {
    this.stopWatching?.();
    this.stopWatching = null;
    this.update({ stage: 'processing' });
    this.c.show('heading');
    this.c.announce(this.c.t()('processing'));
    // A detached element resumes watching when it is connected again.
    if (!this.host.isConnected) return;
    this.stopWatching = watchCheckout(this.c.client, checkoutId, (state) => {
      if (state.status === 'processing' || state.status === 'pending' || (state.status === 'paid' && !state.order)) return;
      if (succeeded && state.status === 'failed') return;
      this.stopWatching?.();
      this.stopWatching = null;
      this.follow(state, true);
    });
  }

  /** The element left for another server: stop following this checkout and drop its form. */
  dispose(): void {
    this.hostDisconnected();
    this.dropForm();
    this.removeContainers();
  }

  /** The shopper went back to the cart: the checkout and its form stay, in case they come back. */
  leave(): void {
    if (this.stage === 'payment') this.update({ stage: 'idle', error: null });
    else if (this.stage === 'complete') {
      // Seen and dismissed: a reload now shows the shop, not this confirmation again.
      rememberConfirmation(this.c.saved, null);
      this.update({ stage: 'idle', order: null });
    }
  }

  /**
   * Shows what the server says about a checkout. `interactive` is false for a checkout found on a
   * plain reload: an unpaid one then only pre-fills the email, it does not pop the panel open.
   */
  private follow(state: CheckoutState, interactive: boolean): void {
    const t = this.c.t();
    switch (state.status) {
      case 'paid':
        if (state.order) return this.complete(state.order, state.id);
        this.useCheckout(state);
        return this.watch(state.id);
      case 'processing':
        this.useCheckout(state);
        return this.watch(state.id);
      case 'pending':
      case 'failed': {
        if (!interactive) {
          this.update({ email: state.email, shipping: state.shipping });
          return;
        }
        const last = state.status === 'failed' ? state.lastError : null;
        const error = last ? messageFor(t, last.code, last.message) : null;
        if (last && error && this.stage === 'processing') this.host.dispatchEvent(new CheckoutPaymentFailedEvent(state.id, last.code, error));
        return this.enterPayment(this.useCheckout(state), error);
      }
      case 'needs_attention':
        this.finish(state.id);
        this.update({ stage: 'complete', order: null });
        this.c.show('heading');
        return;
      case 'canceled':
        this.finish();
        this.update({ stage: 'idle' });
        if (interactive) this.c.closed(t('checkoutCanceled'));
        return;
    }
  }

  private useCheckout(state: CheckoutState): ActiveCheckout {
    const checkout: ActiveCheckout = {
      id: state.id, clientSecret: state.clientSecret ?? null, amount: state.amount, currency: state.currency,
      totals: state.totals, items: state.items, email: state.email, shipping: state.shipping,
    };
    this.update({ checkout, email: state.email });
    return checkout;
  }

  private enterPayment(checkout: ActiveCheckout, error: string | null): void {
    this.stopWatching?.();
    this.stopWatching = null;
    this.update({ stage: 'payment', checkout, error, paying: false });
    this.c.show('heading');
    void this.mount();
  }

  private async mount(): Promise<void> {
    const checkout = this.checkout;
    if (!checkout?.clientSecret) return;
    // The server updates the PaymentIntent's amount when the cart changed: Stripe's form then starts afresh.
    const key = `${checkout.clientSecret}|${checkout.amount}`;
    if (this.form && this.formKey === key) return this.update({ ready: true });
    this.dropForm();
    try {
      const config = await this.c.config();
      const stripe = await stripeFor(config.stripeJsUrl, config.publishableKey);
      if (this.checkout !== checkout) return;
      this.formContainer = this.c.container('payment');
      this.form = new PaymentForm(stripe, checkout.clientSecret, this.formContainer, this.c.language(), this.c.escape);
      this.formKey = key;
      // The wallets pay through the same confirmPayment as the card form, one payment at a time.
      this.expressContainer = this.c.container('express');
      this.express = new ExpressCheckout(this.form.elements, this.expressContainer, {
        available: (any) => this.update({ wallets: any }),
        escape: this.c.escape,
        confirm: () => {
          if (this.paying) return false;
          void this.pay();
          return true;
        },
      });
      this.update({ ready: true });
    } catch {
      this.c.problem(this.c.t()('stripeLoadError'), () => void this.mount());
    }
  }

  private complete(order: Order, checkoutId: string): void {
    // This tab showed it before a reload: show it again, but the order was reported already.
    const shownBefore = this.c.saved.confirmed === checkoutId;
    this.finish(checkoutId);
    this.update({ stage: 'complete', order });
    this.c.show('heading');
    const t = this.c.t();
    this.c.announce(`${t('thanks')} ${t('orderNumber', { number: order.number })}`);
    if (shownBefore) return;
    this.host.dispatchEvent(new CheckoutCompletedEvent(order.id, order.number, order.totals.total, order.currency));
    this.c.ordered();
  }

  /**
   * The checkout is over, one way or another: nothing left to resume. One that ended in an order
   * (or a payment to look at) is `shown`: this tab shows its outcome again after a reload.
   */
  private finish(shown: string | null = null): void {
    this.stopWatching?.();
    this.stopWatching = null;
    this.dropForm();
    this.removeContainers();
    this.update({ checkout: null, error: null });
    this.c.saved.write({ checkoutId: null });
    rememberConfirmation(this.c.saved, shown);
  }

  private removeContainers(): void {
    this.formContainer?.remove();
    this.expressContainer?.remove();
    [this.formContainer, this.expressContainer] = [null, null];
  }

  private dropForm(): void {
    this.express?.destroy();
    this.express = null;
    this.form?.destroy();
    this.form = null;
    this.formKey = '';
    this.update({ ready: false, wallets: null });
  }

  private update(changes: Partial<Pick<CheckoutFlow, 'stage' | 'checkout' | 'ready' | 'wallets' | 'paying' | 'error' | 'order' | 'email' | 'shipping'>>): void {
    Object.assign(this, changes);
    this.host.requestUpdate();
  }
}
