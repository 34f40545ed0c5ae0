/**
 * Browser-side helpers for the widget tests: the real server's URL, a fresh element, waiting for
 * what the shopper would see, and plain assertions.
 */
import { executeServerCommand } from '@web/test-runner-commands';
import type { Cart } from '../../shared/api.ts';
import { formatMoney } from '../../shared/money.ts';
import { fetchJson, type JsonAnswer, type JsonRequest } from '../helpers/fetch-json.ts';
import '../../widget/checkout-cart/checkout-cart.ts';
import type { CheckoutCart } from '../../widget/checkout-cart/checkout-cart.component.ts';
import type { ApiFault, ChallengeAnswer, ChargeCount, RedirectPayment, RestoreTokenRequest } from './harness/commands.ts';

let serverUrl: string | undefined;

export async function server(): Promise<string> {
  serverUrl ??= await executeServerCommand<string, undefined>('checkout-server-url');
  return serverUrl;
}

export async function apiFault(fault: ApiFault): Promise<void> {
  await executeServerCommand('checkout-api-fault', fault);
}

export async function webhooksSettled(): Promise<void> {
  await executeServerCommand('checkout-webhooks-settled');
}

/** The real API, as the test (not the widget) sees it. */
export async function api<T>(path: string, init: JsonRequest = {}): Promise<JsonAnswer<T>> {
  return fetchJson<T>(`${await server()}/api${path}`, init);
}

export async function serverCart(id: string): Promise<Cart> {
  const { status, body } = await api<{ cart: Cart }>(`/carts/${id}`);
  if (status !== 200) throw new Error(`GET cart ${id}: ${status}`);
  return body.cart;
}

/** Waits for a condition the shopper would notice; fails with `what` if it never comes. */
export async function until<T>(condition: () => T | null | undefined | false, what: string, limitMs = 10000): Promise<T> {
  const deadline = performance.now() + limitMs;
  for (;;) {
    let value: T | null | undefined | false = null;
    try {
      value = condition();
    } catch {
      // not there yet (an element not rendered yet)
    }
    if (value) return value;
    if (performance.now() > deadline) throw new Error(`timed out waiting for: ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

const mounted: Element[] = [];

/** A new `<checkout-cart>` against the test server, after its first load settled. */
export async function mountCart(attributes: Record<string, string> = {}, parent: Element = document.body): Promise<CheckoutCart> {
  const el = document.createElement('checkout-cart');
  el.setAttribute('api', await server());
  for (const [name, value] of Object.entries(attributes)) el.setAttribute(name, value);
  parent.append(el);
  mounted.push(el);
  await el.updateComplete;
  // The panel is busy until the saved cart (if any) has loaded.
  await until(() => shadow(el).querySelector('[part="base"]')?.getAttribute('aria-busy') === 'false', 'the widget to load');
  return el;
}

/** Removes what tests added to the page and forgets saved carts (and the confirmation a tab keeps for a reload). */
export function cleanUp(): void {
  for (const el of mounted.splice(0)) el.remove();
  document.querySelectorAll('[data-checkout-add], [data-test-owned]').forEach((el) => el.remove());
  try {
    localStorage.clear();
    sessionStorage.clear();
  } catch {
    // storage may be disabled by the test that just ran
  }
}

export function shadow(el: CheckoutCart): ShadowRoot {
  return el.shadowRoot!;
}

export function $(el: CheckoutCart, selector: string): HTMLElement {
  const found = el.shadowRoot!.querySelector<HTMLElement>(selector);
  if (!found) throw new Error(`no ${selector} in the widget`);
  return found;
}

export function $$(el: CheckoutCart, selector: string): HTMLElement[] {
  return [...el.shadowRoot!.querySelectorAll<HTMLElement>(selector)];
}

export const text = (node: Element | null | undefined) => (node?.textContent ?? '').replace(/\s+/g, ' ').trim();

export const usd = (amount: number) => formatMoney(amount, 'USD', 'en-US');

/** The totals the widget shows, by row. */
export function shownTotals(el: CheckoutCart, scope = ''): Record<string, string> {
  const rows: Record<string, string> = {};
  for (const dd of $$(el, `${scope} [part="totals"] dd`)) rows[dd.dataset.total!] = text(dd);
  return rows;
}

/** The totals a cart should show: formatted from the server's numbers, nothing recomputed. */
export function expectedTotals(cart: Pick<Cart, 'totals' | 'currency'>, money = (n: number) => formatMoney(n, cart.currency, 'en-US')): Record<string, string> {
  const format = (n: number) => money(n).replace(/\s+/g, ' ');
  const rows: Record<string, string> = { subtotal: format(cart.totals.subtotal), tax: format(cart.totals.tax), total: format(cart.totals.total) };
  if (cart.totals.discount > 0) rows.discount = `−${format(cart.totals.discount)}`;
  return rows;
}

/** A `data-checkout-add` button in the page, like a merchant's. */
export function addButton(productId: string, quantity?: number): HTMLButtonElement {
  const button = document.createElement('button');
  button.type = 'button';
  button.textContent = `Add ${productId}`;
  button.dataset.checkoutAdd = productId;
  if (quantity !== undefined) button.dataset.quantity = String(quantity);
  document.body.append(button);
  return button;
}

/** Records the widget's events by type, in order. */
export function recordEvents(target: EventTarget, types: string[]): Event[] {
  const seen: Event[] = [];
  for (const type of types) target.addEventListener(type, (event) => seen.push(event));
  return seen;
}

export function lineFor(el: CheckoutCart, productId: string): HTMLElement {
  return $(el, `[part="line-item"][data-product-id="${productId}"]`);
}

// ---- paying, as a shopper does through the emulator's Stripe.js stand-in

export const CARDS = {
  visa: '4242424242424242',
  threeDSecure: '4000002760003184',
  declined: '4000000000000002',
};

export const payButton = (el: CheckoutCart) => $(el, '[part="pay-button"]') as HTMLButtonElement;
/** A field of the Payment Element, which lives in the element's light DOM. */
export const cardField = (el: CheckoutCart, testid: string) => el.querySelector<HTMLInputElement>(`[data-testid="${testid}"]`);

/** From the cart to a mounted Payment Element, as a shopper clicks through. */
export async function toPayment(el: CheckoutCart, email = 'shopper@example.com'): Promise<void> {
  await el.show();
  $(el, '[part="checkout-button"]').click();
  await el.updateComplete;
  ($(el, '#email') as HTMLInputElement).value = email;
  ($(el, 'form.details') as HTMLFormElement).requestSubmit();
  await until(() => cardField(el, 'card-number'), 'the Payment Element');
  await until(() => !payButton(el).disabled, 'the pay button ready');
}

/** Types a test card into the Payment Element (any future expiry, any CVC). */
export function fillCard(el: CheckoutCart, number: string): void {
  const values: Record<string, string> = { 'card-number': number, 'card-expiry': '12 / 34', 'card-cvc': '123', 'postal-code': '10115' };
  for (const [testid, value] of Object.entries(values)) {
    const input = cardField(el, testid)!;
    input.value = value;
    input.dispatchEvent(new Event('input', { bubbles: true }));
  }
}

export async function settled(el: CheckoutCart): Promise<void> {
  await until(() => $(el, '[part="base"]').getAttribute('aria-busy') === 'false', 'the widget to finish its request');
  await el.updateComplete;
}

// ---- assertions (exact, with the values in the message)

export function equal<T>(actual: T, expected: T, message = ''): void {
  if (!Object.is(actual, expected)) throw new Error(`${message ? `${message}: ` : ''}expected ${JSON.stringify(expected)}, got ${JSON.stringify(actual)}`);
}

export function deepEqual(actual: unknown, expected: unknown, message = ''): void {
  const a = stable(actual);
  const b = stable(expected);
  if (a !== b) throw new Error(`${message ? `${message}: ` : ''}expected ${b}, got ${a}`);
}

function stable(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    v && typeof v === 'object' && !Array.isArray(v) ? Object.fromEntries(Object.entries(v).sort(([x], [y]) => x.localeCompare(y))) : v);
}

/** Pays a checkout's PaymentIntent with 4242 from the server side, as a redirect page would; resolves with its status. */
export async function payOutOfBand(clientSecret: string): Promise<string> {
  return executeServerCommand<string, string>('checkout-pay-out-of-band', clientSecret);
}

/**
 * Pays with the emulator's redirect method while the shop's page is away, as the shopper does on
 * the method's page; resolves with the query string Stripe sends them back with (`redirect_status`).
 */
export async function payByRedirect(payment: RedirectPayment): Promise<string> {
  return executeServerCommand<string, RedirectPayment>('checkout-pay-by-redirect', payment);
}

/** The shopper's answer in the 3D Secure frame. */
export async function answerChallenge(answer: ChallengeAnswer): Promise<string> {
  return executeServerCommand<string, ChallengeAnswer>('checkout-3ds-answer', answer);
}

/** Stripe settles what was left processing, and its webhooks have been handled. */
export async function stripeSettles(): Promise<void> {
  await executeServerCommand('checkout-stripe-settles');
}

/** Stripe holds its webhooks from now on, until `webhooksSettled()` delivers them (or `releaseWebhooks()`). */
export async function holdWebhooks(): Promise<void> {
  await executeServerCommand('checkout-webhooks-hold');
}

export async function releaseWebhooks(): Promise<void> {
  await executeServerCommand('checkout-webhooks-release');
}

/** The server's reads of PaymentIntents from Stripe wait from now on, until `releaseIntentReads()`. */
export async function holdIntentReads(): Promise<void> {
  await executeServerCommand('checkout-intent-reads-hold');
}

/** The server's reads of PaymentIntents fail from now on, as when Stripe can't be reached, until `releaseIntentReads()`. */
export async function refuseIntentReads(): Promise<void> {
  await executeServerCommand('checkout-intent-reads-refuse');
}

/** Resolves once the server has tried a read since it was held or refused. */
export async function intentReadHeld(): Promise<void> {
  await executeServerCommand('checkout-intent-read-held');
}

export async function releaseIntentReads(): Promise<void> {
  await executeServerCommand('checkout-intent-reads-release');
}

/** How many times Stripe charged for a checkout, and how many orders the server made of it. */
export async function chargesFor(checkoutId: string): Promise<ChargeCount> {
  return executeServerCommand<ChargeCount, string>('checkout-charges', checkoutId);
}

/** A signed retry link token for a checkout, as a recovery email carries. */
export async function retryToken(checkoutId: string): Promise<string> {
  return executeServerCommand<string, string>('checkout-retry-token', checkoutId);
}

/** A signed restore token for a cart, as an abandoned-cart reminder carries; `validForMs` below 0 gives an expired one. */
export async function restoreToken(cartId: string, validForMs = 3_600_000): Promise<string> {
  return executeServerCommand<string, RestoreTokenRequest>('checkout-restore-token', { cartId, validForMs });
}

// ---- accessibility

interface AxeResults { violations: { id: string; impact: string; help: string; nodes: { target: unknown[]; failureSummary: string }[] }[] }
declare global {
  interface Window { axe?: { run(context: unknown, options?: unknown): Promise<AxeResults> } }
}

async function loadAxe(): Promise<void> {
  if (window.axe) return;
  await new Promise<void>((resolve, reject) => {
    const script = document.createElement('script');
    script.src = '/node_modules/axe-core/axe.min.js';
    script.onload = () => resolve();
    script.onerror = () => reject(new Error('axe-core did not load'));
    document.head.append(script);
  });
}

/** axe-core with its default rule set (WCAG 2 A/AA and best practices) over the element and its shadow tree. */
export async function expectNoViolations(el: CheckoutCart, view: string): Promise<void> {
  await loadAxe();
  await el.updateComplete;
  const results = await window.axe!.run(el, { resultTypes: ['violations'] });
  const found = results.violations.map((v) => `${v.id} (${v.impact}): ${v.help} at ${v.nodes.map((n) => JSON.stringify(n.target)).join(', ')}`);
  deepEqual(found, [], `axe violations in the ${view} view`);
}

