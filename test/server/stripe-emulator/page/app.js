// The test page's own code: what a checkout does with Stripe.js, exposed to the browser test.
import { loadStripe } from '/stripe-js.mjs';

const log = [];
const violations = [];
document.addEventListener('securitypolicyviolation', (e) => violations.push(e.violatedDirective + ' ' + e.blockedURI));

const stripe = await loadStripe(new URLSearchParams(location.search).get('pk'));
let elements = null;
let element = null;

const describeError = (error) => ({
  type: error.type, code: error.code, decline_code: error.decline_code, message: error.message,
  payment_intent_status: error.payment_intent && error.payment_intent.status,
});

window.harness = {
  readyFired: () => log.some((entry) => entry.event === 'ready'),
  lastChange: () => log.filter((entry) => entry.event === 'change').at(-1),
  violations: () => violations,
  mount(clientSecret, locale) {
    elements = stripe.elements(locale ? { clientSecret, locale } : { clientSecret });
    element = elements.create('payment');
    for (const event of ['ready', 'change', 'focus', 'blur']) element.on(event, (e) => log.push({ event, complete: e.complete, empty: e.empty }));
    element.mount('#payment');
  },
  async pay(returnUrl, confirmParams) {
    const result = await stripe.confirmPayment({ elements, confirmParams: { return_url: returnUrl || location.href, ...confirmParams }, redirect: 'if_required' });
    return result.error ? { error: describeError(result.error) } : { status: result.paymentIntent.status, id: result.paymentIntent.id };
  },
  payAndRedirect(returnUrl) {
    return stripe.confirmPayment({ elements, confirmParams: { return_url: returnUrl } });
  },
  async submit() {
    const result = await elements.submit();
    return result.error ? { error: describeError(result.error) } : { ok: true };
  },
  async retrieve(clientSecret) {
    const result = await stripe.retrievePaymentIntent(clientSecret);
    return result.paymentIntent.status;
  },
  mountInShadowRoot(clientSecret) {
    const host = document.createElement('div');
    document.body.append(host);
    const target = document.createElement('div');
    host.attachShadow({ mode: 'open' }).append(target);
    try {
      stripe.elements({ clientSecret }).create('payment').mount(target);
      return 'mounted';
    } catch (error) {
      return error.name + ': ' + error.message;
    }
  },
  loadAxe() {
    return new Promise((resolve, reject) => {
      const script = document.createElement('script');
      script.src = '/axe.js';
      script.onload = resolve;
      script.onerror = reject;
      document.head.append(script);
    });
  },
  // The Address Element, in an Elements group of its own (it needs no clientSecret), as the widget uses it.
  mountAddress(options, locale = 'en') {
    try {
      const address = stripe.elements({ locale }).create('address', options);
      address.on('change', (e) => log.push({ event: 'address-change', complete: e.complete, empty: e.empty, value: e.value, elementMode: e.elementMode }));
      address.on('ready', (e) => log.push({ event: 'address-ready', elementType: e.elementType }));
      address.mount('#address');
      window.addressElement = address;
      return 'mounted';
    } catch (error) {
      return error.name + ': ' + error.message;
    }
  },
  // The Express Checkout Element for an intent, its group in `locale`, as the widget mounts it.
  mountExpress(clientSecret, locale) {
    const express = stripe.elements({ clientSecret, locale }).create('expressCheckout');
    const ready = new Promise((resolve) => express.once('ready', resolve));
    const host = document.createElement('div');
    document.querySelector('main').append(host);
    express.mount(host);
    return ready.then(() => 'ready');
  },
  addressValue: () => window.addressElement.getValue(),
  addressUpdate: (options) => { window.addressElement.update(options); },
  lastAddressChange: () => log.filter((entry) => entry.event === 'address-change').at(-1),
  addressReady: () => log.some((entry) => entry.event === 'address-ready'),
  // What every Element shares (element.js), driven the same way for each type.
  async elementBasics(type, clientSecret) {
    const thrown = (act) => {
      try {
        act();
        return 'no error';
      } catch (error) {
        return error.name + ': ' + error.message;
      }
    };
    const element = stripe.elements({ clientSecret }).create(type, type === 'address' ? { mode: 'shipping' } : undefined);
    const heard = [];
    element.on('focus', (e) => heard.push('focus ' + e.elementType));
    element.on('blur', (e) => heard.push('blur ' + e.elementType));
    element.on('escape', (e) => heard.push('escape ' + e.elementType));
    element.once('focus', () => heard.push('focus once'));
    const dropped = () => heard.push('dropped');
    element.on('blur', dropped).off('blur', dropped);
    const ready = new Promise((resolve) => element.once('ready', resolve));
    const nowhere = thrown(() => element.mount('#nowhere'));
    const host = document.createElement('div');
    document.querySelector('main').append(host);
    element.mount(host);
    const readyType = (await ready).elementType;
    const mountedTwice = thrown(() => element.mount(host));
    element.focus();
    // Escape in the element: its frame keeps the key, the page hears only the element's event.
    let keysOnPage = 0;
    const countKey = () => keysOnPage++;
    document.addEventListener('keydown', countKey);
    document.activeElement.dispatchEvent(new KeyboardEvent('keydown', { key: 'Escape', bubbles: true, composed: true }));
    document.removeEventListener('keydown', countKey);
    element.blur();
    element.focus();
    element.blur();
    element.destroy();
    return { nowhere, readyType, mountedTwice, heard, keysOnPage, leftInHost: host.childElementCount, afterDestroy: thrown(() => element.mount(host)) };
  },
  async axeViolations(selector) {
    // The 3D Secure frame is another origin's page: checked on its own (stripe-js.test.ts).
    const result = await window.axe.run(document.querySelector(selector), { iframes: false });
    return result.violations.map((v) => v.id + ': ' + v.nodes.map((n) => n.target.join(' ')).join(', '));
  },
};
document.documentElement.dataset.ready = 'true';
