/// <reference types="mocha" />
/**
 * The element against its Custom Elements Manifest (dist/custom-elements.json, which `npm run build`
 * generates from the JSDoc): every part it renders in every view, every event it fires through a
 * whole purchase, its attributes and its public members.
 */
import { sendKeys } from '@web/test-runner-commands';
import type { CheckoutCart } from '../../widget/checkout-cart/checkout-cart.component.ts';
import { $, addButton, CARDS, cleanUp, deepEqual, equal, fillCard, lineFor, mountCart, payButton, text, toPayment, until } from './helpers.ts';

interface Described { name: string; description?: string; type?: { text: string } }
interface Declaration {
  tagName: string;
  attributes: (Described & { fieldName: string })[];
  members: (Described & { kind: 'field' | 'method'; privacy?: string; static?: boolean; readonly?: boolean })[];
  events: Described[];
  cssParts: Described[];
  slots: Described[];
}

async function manifest(): Promise<Declaration> {
  const response = await fetch('/dist/custom-elements.json');
  if (!response.ok) throw new Error('dist/custom-elements.json is missing: run `npm run build` first');
  const { modules } = (await response.json()) as { modules: { declarations?: Declaration[] }[] };
  const element = modules.flatMap((module) => module.declarations ?? []).find((declaration) => declaration.tagName === 'checkout-cart');
  if (!element) throw new Error('the manifest declares no <checkout-cart>');
  return element;
}

const sorted = (names: Iterable<string>) => [...new Set(names)].sort();

/** Every part the element renders from now on: views come and go, so an observer keeps the count. */
function partsRendered(el: CheckoutCart): { parts: Set<string>; stop(): void } {
  const parts = new Set<string>();
  const collect = (node: Node) => {
    if (!(node instanceof Element || node instanceof ShadowRoot)) return;
    if (node instanceof Element && node.hasAttribute('part')) parts.add(node.getAttribute('part')!);
    node.querySelectorAll('[part]').forEach((found) => parts.add(found.getAttribute('part')!));
  };
  const root = el.shadowRoot!;
  collect(root);
  const observer = new MutationObserver((records) => records.forEach((record) => record.addedNodes.forEach(collect)));
  observer.observe(root, { childList: true, subtree: true });
  return { parts, stop: () => observer.disconnect() };
}

/** Every `checkout-*` event dispatched anywhere, with the name of its class. */
function eventsDispatched(): { events: Map<string, string>; stop(): void } {
  const events = new Map<string, string>();
  const dispatch = EventTarget.prototype.dispatchEvent;
  EventTarget.prototype.dispatchEvent = function (this: EventTarget, event: Event) {
    if (event.type.startsWith('checkout-')) events.set(event.type, event.constructor.name);
    return dispatch.call(this, event);
  };
  return { events, stop: () => (EventTarget.prototype.dispatchEvent = dispatch) };
}

describe('<checkout-cart> against its manifest', () => {
  afterEach(cleanUp);

  it('renders exactly the documented parts and fires exactly the documented events through a whole purchase', async () => {
    const declared = await manifest();
    const recording = eventsDispatched();
    const main = document.createElement('main');
    main.dataset.testOwned = '';
    document.body.append(main);
    try {
      const el = await mountCart({}, main);
      const rendering = partsRendered(el);

      await el.show(); // the empty cart
      await el.hide(); // the page is inert while the panel is open
      addButton('tee-black', 2).click();
      await until(() => el.cart?.items.length === 1, 'the tees added');
      await el.add('mug-stone', 1);
      await el.updateComplete;
      ($(el, '#coupon') as HTMLInputElement).value = 'WELCOME15';
      ($(el, 'form[part="coupon"]') as HTMLFormElement).requestSubmit();
      await until(() => el.cart?.couponCode === 'WELCOME15', 'the coupon applied');
      (lineFor(el, 'mug-stone').querySelector('[part="remove-button"]') as HTMLButtonElement).click();
      await until(() => el.cart?.items.length === 1, 'the mug removed');

      // Asking to close can be refused; Escape closes.
      el.addEventListener('checkout-request-close', (event) => event.preventDefault(), { once: true });
      $(el, '[part="close-button"]').click();
      await el.updateComplete;
      equal(el.open, true, 'a refused request leaves the panel open');
      $(el, '[part="base"]').focus();
      await sendKeys({ press: 'Escape' });
      await until(() => !el.open, 'the panel closed');

      await toPayment(el, 'contract@example.com');
      fillCard(el, CARDS.declined);
      payButton(el).click();
      await until(() => text($(el, '#pay-error')), 'the decline');
      await until(() => !payButton(el).disabled, 'the pay button ready again');
      fillCard(el, CARDS.visa);
      payButton(el).click();
      await until(() => text(el.shadowRoot!.querySelector('[part="order-number"]')), 'the confirmation', 20000);
      (el.shadowRoot!.querySelector('[part="continue-shopping"]') as HTMLButtonElement).click();
      await until(() => !el.open, 'the panel closed with Continue shopping');
      rendering.stop();

      // The shipping step's parts show only for carts that ship, which this server (no rates) has
      // none of: test/e2e/shipping.test.ts renders them in a purchase that ships.
      const shippingParts = ['address-element', 'shipping-rates', 'ship-to'];
      deepEqual(sorted(rendering.parts), sorted(declared.cssParts.map((part) => part.name).filter((name) => !shippingParts.includes(name))), 'parts rendered vs the manifest\'s');
      deepEqual(sorted(recording.events.keys()), sorted(declared.events.map((event) => event.name)), 'events fired vs the manifest\'s');
      for (const event of declared.events) equal(recording.events.get(event.name), event.type?.text, `the class of ${event.name}`);
    } finally {
      recording.stop();
    }
  });

  it('has the documented attributes, reflected where documented, and the documented public members', async () => {
    const declared = await manifest();
    const element = customElements.get('checkout-cart') as unknown as { observedAttributes: string[] };
    deepEqual(sorted(element.observedAttributes), sorted(declared.attributes.map((attribute) => attribute.name)), 'attributes vs the manifest\'s');

    const el = await mountCart();
    for (const attribute of declared.attributes) equal(attribute.fieldName in el, true, `${attribute.fieldName} is a property`);
    el.open = true;
    await el.updateComplete;
    equal(el.hasAttribute('open'), true, 'open is reflected');
    el.lang = 'de';
    await el.updateComplete;
    equal(el.getAttribute('lang'), 'de', 'lang is reflected, so it is inherited as in HTML');

    const members = declared.members.filter((member) => (member.privacy ?? 'public') === 'public' && !member.static);
    deepEqual(sorted(members.map((member) => member.name)), ['add', 'api', 'cart', 'hide', 'lang', 'open', 'restoreToken', 'retryToken', 'show'], 'the public API');
    const api = el as unknown as Record<string, unknown>;
    for (const member of members) equal(member.kind === 'method' ? typeof api[member.name] : member.name in el, member.kind === 'method' ? 'function' : true, member.name);
    equal(declared.slots.map((slot) => slot.name).sort().join(), 'address,express,payment');
  });
});
