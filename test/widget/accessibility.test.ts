/// <reference types="mocha" />
import { emulateMedia, sendKeys } from '@web/test-runner-commands';
import type { CheckoutCart } from '../../widget/checkout-cart/checkout-cart.component.ts';
import { $, addButton, cleanUp, deepEqual, equal, expectNoViolations, expectedTotals, mountCart, serverCart, shownTotals, text, until } from './helpers.ts';

/** The element with focus, looking through the widget's shadow root. */
const focused = (el: CheckoutCart): Element | null => el.shadowRoot!.activeElement ?? (el.contains(document.activeElement) ? document.activeElement : null);

/** Presses Tab (or Shift+Tab) until `match` has focus, as a keyboard user would. */
async function tabTo(el: CheckoutCart, match: (node: Element) => boolean, what: string, key = 'Tab'): Promise<void> {
  for (let i = 0; i < 30; i++) {
    const node = focused(el);
    if (node && match(node)) return;
    await sendKeys({ press: key });
  }
  throw new Error(`could not reach ${what} with ${key}`);
}

/** A merchant page: the element in a landmark, like the demo's header. */
async function mountInPage(attributes: Record<string, string> = {}): Promise<CheckoutCart> {
  const main = document.createElement('main');
  main.dataset.testOwned = '';
  document.body.append(main);
  return mountCart(attributes, main);
}

describe('<checkout-cart> accessibility', () => {
  afterEach(async () => {
    await emulateMedia({ colorScheme: 'light' });
    cleanUp();
  });

  for (const scheme of ['light', 'dark'] as const) {
    it(`has no axe violations in the empty, cart and checkout views (${scheme})`, async () => {
      await emulateMedia({ colorScheme: scheme });
      const el = await mountInPage();
      await expectNoViolations(el, 'closed');
      await el.show();
      await expectNoViolations(el, 'empty');

      await el.add('tee-black', 2);
      await el.add('mug-stone', 1);
      await expectNoViolations(el, 'cart');

      const field = $(el, '#coupon') as HTMLInputElement;
      field.value = 'NOPE';
      ($(el, 'form[part="coupon"]') as HTMLFormElement).requestSubmit();
      await until(() => text($(el, '#coupon-error')), 'the coupon error');
      await expectNoViolations(el, 'cart with a coupon error');

      field.value = 'WELCOME15';
      ($(el, 'form[part="coupon"]') as HTMLFormElement).requestSubmit();
      await until(() => el.cart?.couponCode, 'the coupon applied');
      await expectNoViolations(el, 'cart with a coupon');

      ($(el, '[part="checkout-button"]') as HTMLButtonElement).click();
      await el.updateComplete;
      await expectNoViolations(el, 'checkout form');
      ($(el, 'form.details') as HTMLFormElement).requestSubmit();
      await until(() => text($(el, '#email-error')), 'the email error');
      await expectNoViolations(el, 'checkout form with an error');
    });
  }

  it('is a dialog: focus moves in, Escape closes, focus returns to the button that opened it', async () => {
    const el = await mountInPage();
    const button = addButton('tee-white', 1);
    button.focus();
    await sendKeys({ press: 'Enter' });
    await until(() => el.cart?.items.length === 1, 'the tee added');
    const panel = $(el, '[part="base"]');
    equal(panel.getAttribute('role'), 'dialog');
    equal(text($(el, `#${panel.getAttribute('aria-labelledby')}`)), 'Your cart');
    equal(focused(el), panel, 'focus moved into the dialog');

    await sendKeys({ press: 'Escape' });
    await el.updateComplete;
    equal(el.open, false);
    equal(panel.hidden, true);
    equal(document.activeElement, button, 'focus back on the add button');

    // The widget's own toggle: opens, and focus goes back to it on close.
    const toggle = $(el, '[part="toggle"]');
    toggle.focus();
    await sendKeys({ press: 'Enter' });
    await el.updateComplete;
    equal(toggle.getAttribute('aria-expanded'), 'true');
    equal(focused(el), panel);
    await tabTo(el, (n) => n.getAttribute('part') === 'close-button', 'the close button');
    await sendKeys({ press: 'Enter' });
    await el.updateComplete;
    equal(el.open, false);
    equal(focused(el), toggle, 'focus back on the toggle');
  });

  it('is modal while open: Tab stays in the panel, the page is inert, Escape closes it from anywhere', async () => {
    const el = await mountInPage();
    const next = addButton('mug-stone', 1);
    await el.add('cap-navy', 1);
    await el.show();
    await el.updateComplete;
    equal($(el, '[part="base"]').getAttribute('aria-modal'), 'true');
    equal(next.closest('[inert]') !== null, true, 'the page around the panel is inert');
    equal($(el, '[part="toggle"]').hasAttribute('inert'), true, 'the toggle under the backdrop is inert');
    await tabTo(el, (n) => n.getAttribute('part') === 'checkout-button', 'the checkout button');
    for (let i = 0; i < 12; i++) {
      await sendKeys({ press: 'Tab' });
      equal(document.activeElement === next, false, 'Tab never reaches the page behind the panel');
    }

    // Focus on the page's body (a click on nothing in particular): Escape still closes the panel.
    (el.shadowRoot!.activeElement as HTMLElement | null)?.blur();
    equal(document.activeElement, document.body);
    await sendKeys({ press: 'Escape' });
    await el.updateComplete;
    equal(el.open, false);
    equal(next.closest('[inert]'), null, 'the page is alive again');
  });

  it('gives the page back on every way the panel closes or leaves it, and takes it again wherever it opens', async () => {
    const el = await mountInPage();
    const next = addButton('mug-stone', 1);
    const inert = () => next.closest('[inert]') !== null;
    const closings: [string, () => Promise<void> | void][] = [
      ['hide()', () => el.hide()],
      ['the close button', () => ($(el, '[part="close-button"]') as HTMLElement).click()],
      ['the backdrop', () => ($(el, '[part="backdrop"]') as HTMLElement).click()],
      ['Escape', () => sendKeys({ press: 'Escape' })],
      ['the open attribute removed', () => el.removeAttribute('open')],
    ];
    for (const [way, close] of closings) {
      await el.show();
      equal(inert(), true, `inert before closing by ${way}`);
      await close();
      await el.updateComplete;
      deepEqual([el.open, inert()], [false, false], `closed by ${way}: the page is alive again`);
    }

    // Taken out of the page while open: the page is given back; put back still open: modal again.
    const home = el.parentElement!;
    await el.show();
    el.remove();
    equal(inert(), false, 'removed while open');
    home.append(el);
    await el.updateComplete;
    equal(inert(), true, 'put back while open');
    await el.hide();

    // Opened while out of the page (its update runs detached), then put in: the page around its place is inert.
    el.remove();
    await el.show();
    equal(inert(), false, 'nothing to make inert while detached');
    home.append(el);
    await el.updateComplete;
    equal(inert(), true, 'modal once in the page');
    await el.hide();
    equal(inert(), false, 'and given back on close');
  });

  it('closes when the backdrop is clicked, saying so', async () => {
    const el = await mountInPage();
    await el.show();
    let source = '';
    el.addEventListener('checkout-request-close', (event) => (source = event.source), { once: true });
    ($(el, '[part="backdrop"]') as HTMLElement).click();
    await el.updateComplete;
    equal(source, 'backdrop');
    equal(el.open, false);
  });

  it('runs the cart with the keyboard alone: quantity, coupon, checkout form', async () => {
    const el = await mountInPage();
    const button = addButton('tee-black', 1);
    button.focus();
    await sendKeys({ press: 'Enter' });
    await until(() => el.cart?.items.length === 1, 'the tee added');

    await tabTo(el, (n) => n.classList.contains('increase'), 'the + button');
    await sendKeys({ press: 'Enter' });
    await until(() => el.cart?.items[0]?.quantity === 2, 'two tees');

    await tabTo(el, (n) => n.id.startsWith('qty-'), 'the quantity field', 'Shift+Tab');
    await sendKeys({ press: 'Control+a' });
    await sendKeys({ type: '3' });
    await sendKeys({ press: 'Enter' });
    await until(() => el.cart?.items[0]?.quantity === 3, 'three tees');

    await tabTo(el, (n) => n.id === 'coupon', 'the coupon field');
    await sendKeys({ type: 'TENOFF' });
    await sendKeys({ press: 'Enter' });
    await until(() => el.cart?.couponCode === 'TENOFF', 'the coupon applied');
    await el.updateComplete;
    equal(focused(el)?.textContent?.trim(), 'Remove', 'focus lands on the applied code\'s remove button');
    deepEqual(shownTotals(el), expectedTotals(await serverCart(el.cart!.id)));

    await tabTo(el, (n) => n.getAttribute('part') === 'checkout-button', 'the checkout button');
    await sendKeys({ press: 'Enter' });
    await el.updateComplete;
    equal(focused(el)?.id, 'email', 'the email field has focus');
    await sendKeys({ type: 'not-an-email' });
    await sendKeys({ press: 'Enter' });
    await until(() => text($(el, '#email-error')), 'the email error');
    equal(text($(el, '#email-error')), 'Please enter a valid email address, like name@example.com.');
    equal(focused(el)?.id, 'email', 'focus stays on the field to fix');
    equal($(el, '#email').getAttribute('aria-invalid'), 'true');

    await sendKeys({ press: 'Escape' });
    await el.updateComplete;
    equal(el.open, false);
    equal(document.activeElement, button);
  });
});
