/// <reference types="mocha" />
import type { CheckoutCart } from '../../widget/checkout-cart/checkout-cart.component.ts';
import type { CheckoutItemAddedEvent } from '../../widget/events/checkout-item-added.ts';
import type { CheckoutItemRemovedEvent } from '../../widget/events/checkout-item-removed.ts';
import type { CheckoutCouponAppliedEvent } from '../../widget/events/checkout-coupon-applied.ts';
import {
  $, $$, addButton, api, cleanUp, deepEqual, equal, expectedTotals, lineFor, mountCart, recordEvents, serverCart,
  shownTotals, text, until, usd,
} from './helpers.ts';

const quantityOf = (el: CheckoutCart, productId: string) => (lineFor(el, productId).querySelector('input') as HTMLInputElement).value;
const hasLine = (el: CheckoutCart, productId: string) => $$(el, `[part="line-item"][data-product-id="${productId}"]`).length > 0;

/** The widget shows exactly what the server holds for its cart. */
async function expectServerNumbers(el: CheckoutCart): Promise<void> {
  const cart = await serverCart(el.cart!.id);
  // The cart panel loads on demand: wait for it to render before reading the screen.
  await until(() => Object.keys(shownTotals(el)).length > 0, 'the totals rendered');
  deepEqual(shownTotals(el), expectedTotals(cart), 'totals on screen');
  deepEqual($$(el, '[part="line-item"]').map((li) => ({
    productId: li.dataset.productId,
    quantity: Number((li.querySelector('input') as HTMLInputElement).value),
    lineTotal: text(li.querySelector('[part="line-total"]')),
    unitPrice: text(li.querySelector('[part="unit-price"]')),
  })), cart.items.map((line) => ({
    productId: line.productId, quantity: line.quantity, lineTotal: usd(line.lineTotal), unitPrice: `${usd(line.unitPrice)} each`,
  })), 'lines on screen');
  equal(text($(el, '[part="badge"]')), String(cart.itemCount), 'badge');
}

describe('<checkout-cart> cart', () => {
  afterEach(cleanUp);

  it('adds from a data-checkout-add button added after the widget, opens, and shows the server\'s numbers', async () => {
    const el = await mountCart();
    const events = recordEvents(document, ['checkout-item-added']);
    equal(el.cart, null, 'no cart before the first add');
    equal(text($(el, '[part="badge"]')), '0');

    const button = addButton('tee-black', 2);
    button.click();
    await until(() => hasLine(el, 'tee-black'), 'the tee in the cart');

    equal(el.open, true, 'the panel opened');
    equal(quantityOf(el, 'tee-black'), '2');
    await expectServerNumbers(el);
    deepEqual(shownTotals(el), { subtotal: '$50.00', tax: '$4.00', total: '$54.00' });
    equal(events.length, 1);
    const added = events[0] as CheckoutItemAddedEvent;
    deepEqual([added.productId, added.quantity, added.cart.id, added.bubbles, added.composed], ['tee-black', 2, el.cart!.id, true, true]);
    equal(JSON.parse(localStorage.getItem(`checkout-cart:${el.api}`)!).cartId, el.cart!.id, 'cart id saved');
  });

  it('hears buttons inside other shadow roots and re-rendered lists (event delegation)', async () => {
    const el = await mountCart();
    const host = document.createElement('div');
    host.dataset.testOwned = '';
    const root = host.attachShadow({ mode: 'open' });
    root.innerHTML = '<button type="button" data-checkout-add="mug-stone" data-quantity="3">Add mugs</button>';
    document.body.append(host);
    root.querySelector('button')!.click();
    await until(() => hasLine(el, 'mug-stone'), 'the mugs in the cart');
    equal(quantityOf(el, 'mug-stone'), '3');
    await expectServerNumbers(el);
  });

  it('changes quantity with the stepper and by typing, and removes lines', async () => {
    const el = await mountCart();
    const events = recordEvents(document, ['checkout-item-removed']);
    await el.add('tee-black', 1);
    await el.add('cap-navy', 2);
    await until(() => hasLine(el, 'cap-navy'), 'both lines');

    (lineFor(el, 'tee-black').querySelector('.increase') as HTMLButtonElement).click();
    await until(() => quantityOf(el, 'tee-black') === '2' && el.cart!.items.find((l) => l.productId === 'tee-black')?.quantity === 2, 'two tees');
    await expectServerNumbers(el);

    const input = lineFor(el, 'cap-navy').querySelector('input') as HTMLInputElement;
    input.value = '5';
    input.dispatchEvent(new Event('change', { bubbles: true }));
    await until(() => el.cart!.items.find((l) => l.productId === 'cap-navy')?.quantity === 5, 'five caps');
    await el.updateComplete;
    await expectServerNumbers(el);
    deepEqual(shownTotals(el), { subtotal: '$160.00', tax: '$12.80', total: '$172.80' });

    (lineFor(el, 'tee-black').querySelector('.decrease') as HTMLButtonElement).click();
    await until(() => el.cart!.items.find((l) => l.productId === 'tee-black')?.quantity === 1, 'one tee');
    await el.updateComplete;
    equal((lineFor(el, 'tee-black').querySelector('.decrease') as HTMLButtonElement).disabled, true, 'no going below 1 with the stepper');

    (lineFor(el, 'tee-black').querySelector('[part="remove-button"]') as HTMLButtonElement).click();
    await until(() => !hasLine(el, 'tee-black'), 'the tee removed');
    await expectServerNumbers(el);
    equal(events.length, 1);
    deepEqual([(events[0] as CheckoutItemRemovedEvent).productId, (events[0] as CheckoutItemRemovedEvent).cart.items.length], ['tee-black', 1]);

    const caps = lineFor(el, 'cap-navy').querySelector('input') as HTMLInputElement;
    caps.value = '0';
    caps.dispatchEvent(new Event('change', { bubbles: true }));
    await until(() => text($(el, '.empty p')) === 'Your cart is empty.', 'the empty state');
    equal((await serverCart(el.cart!.id)).items.length, 0);
    equal(events.length, 2, 'quantity 0 is a removal');
    equal(text($(el, '[part="badge"]')), '0');
  });

  it('counts every tap of a stepper made before the server answered the one before', async () => {
    const el = await mountCart();
    await el.add('tee-black', 2);
    await until(() => hasLine(el, 'tee-black'), 'the tees');
    const tap = (button: string) => (lineFor(el, 'tee-black').querySelector(button) as HTMLButtonElement).click();
    // A double tap: both clicks land on the same render, before the first PATCH is answered.
    tap('.increase');
    tap('.increase');
    tap('.increase');
    await until(() => el.cart!.items[0]?.quantity === 5, 'five tees');
    await el.updateComplete;
    equal(quantityOf(el, 'tee-black'), '5');
    equal((await serverCart(el.cart!.id)).items[0]!.quantity, 5, 'the server counted three taps');

    // Down to 1 and no further: taps past 1 are not a removal.
    for (let i = 0; i < 6; i++) tap('.decrease');
    await until(() => el.cart!.items[0]?.quantity === 1, 'one tee');
    await el.updateComplete;
    equal((await serverCart(el.cart!.id)).items.length, 1, 'the line is still there');
    equal((await serverCart(el.cart!.id)).items[0]!.quantity, 1);
  });

  it('shows the server\'s stock message and keeps the quantity it had', async () => {
    const el = await mountCart();
    await el.add('print-limited', 1);
    await until(() => hasLine(el, 'print-limited'), 'the print');
    const input = lineFor(el, 'print-limited').querySelector('input') as HTMLInputElement;
    input.value = '50';
    input.dispatchEvent(new Event('change', { bubbles: true }));
    const alert = await until(() => text($(el, '[part="error"] span')) || null, 'an error');
    const { body } = await api<{ error: { message: string } }>(`/carts/${el.cart!.id}/items/print-limited`, { method: 'PATCH', json: { quantity: 50 } });
    equal(alert, body.error.message);
    equal(quantityOf(el, 'print-limited'), '1', 'the input shows the quantity the server kept');
    await expectServerNumbers(el);
  });

  it('applies and removes a coupon, and shows a refused code\'s message inline', async () => {
    const el = await mountCart();
    const events = recordEvents(document, ['checkout-coupon-applied']);
    await el.add('tee-black', 2);
    await el.add('mug-stone', 1);
    await el.updateComplete;
    await el.show();

    const form = $(el, 'form[part="coupon"]') as HTMLFormElement;
    const field = $(el, '#coupon') as HTMLInputElement;
    field.value = 'EXPIRED20';
    form.requestSubmit();
    await until(() => text($(el, '#coupon-error')), 'the coupon error');
    equal(text($(el, '#coupon-error')), 'This code has expired.');
    equal(field.getAttribute('aria-invalid'), 'true');
    equal(events.length, 0);

    field.value = 'welcome15';
    form.requestSubmit();
    await until(() => el.cart!.couponCode === 'WELCOME15', 'the coupon on the cart');
    await el.updateComplete;
    equal(text($(el, '[part="coupon"] .applied span')), 'Code WELCOME15 applied');
    await expectServerNumbers(el);
    deepEqual(shownTotals(el), { subtotal: '$64.00', discount: '−$9.60', tax: '$4.35', total: '$58.75' });
    equal(events.length, 1);
    deepEqual([(events[0] as CheckoutCouponAppliedEvent).code, (events[0] as CheckoutCouponAppliedEvent).discount], ['WELCOME15', 960]);

    // The discount follows the cart.
    (lineFor(el, 'tee-black').querySelector('.decrease') as HTMLButtonElement).click();
    await until(() => el.cart!.totals.subtotal === 3900, 'one tee less');
    await el.updateComplete;
    await expectServerNumbers(el);

    ($(el, '[part="coupon"] .applied button') as HTMLButtonElement).click();
    await until(() => el.cart!.couponCode === null, 'the coupon removed');
    await el.updateComplete;
    await expectServerNumbers(el);
    equal($$(el, '[data-total="discount"]').length, 0, 'no discount row');
  });

  it('keeps the cart across a reload and starts a new one quietly when the saved one is gone', async () => {
    const first = await mountCart();
    await first.add('hoodie-grey', 1);
    const id = first.cart!.id;
    first.remove();

    const second = await mountCart();
    await until(() => second.cart?.id === id, 'the saved cart restored');
    equal(text($(second, '[part="badge"]')), '1', 'the badge counts it before the panel opens');
    await second.show();
    await until(() => hasLine(second, 'hoodie-grey'), 'its line shown');
    await expectServerNumbers(second);
    second.remove();

    localStorage.setItem(`checkout-cart:${second.api}`, JSON.stringify({ cartId: 'AAAAAAAAAAAAAAAAAAAAAA', cartVersion: 3, checkoutId: null }));
    const third = await mountCart();
    equal(third.cart, null);
    equal(text($(third, '[part="error"]')), '', 'no error for an expired cart');
    equal(JSON.parse(localStorage.getItem(`checkout-cart:${third.api}`)!).cartId, null, 'the dead id forgotten');
    await third.add('tee-white', 1);
    equal(third.cart!.items.length, 1);
    await expectServerNumbers(third);
  });

  it('follows a change made in another tab (storage event)', async () => {
    const el = await mountCart();
    await el.add('tee-black', 1);
    const id = el.cart!.id;
    // What another tab does: change the cart on the server and bump the saved version.
    const { body } = await api<{ cart: { version: number } }>(`/carts/${id}/items`, { json: { productId: 'cap-navy', quantity: 1 } });
    const key = `checkout-cart:${el.api}`;
    const value = JSON.stringify({ cartId: id, cartVersion: body.cart.version, checkoutId: null });
    localStorage.setItem(key, value);
    window.dispatchEvent(new StorageEvent('storage', { key, newValue: value, storageArea: localStorage }));
    await until(() => hasLine(el, 'cap-navy'), 'the other tab\'s cap');
    await expectServerNumbers(el);
  });

  it('works when storage is unavailable (privacy mode)', async () => {
    const original = Object.getOwnPropertyDescriptor(window, 'localStorage')!;
    Object.defineProperty(window, 'localStorage', { configurable: true, get: () => { throw new DOMException('denied', 'SecurityError'); } });
    try {
      const el = await mountCart();
      addButton('tee-white', 1).click();
      await until(() => hasLine(el, 'tee-white'), 'the tee in the cart');
      (lineFor(el, 'tee-white').querySelector('.increase') as HTMLButtonElement).click();
      await until(() => el.cart!.items[0]?.quantity === 2, 'two tees');
      await el.updateComplete;
      equal(text($(el, '[part="error"]')), '');
      await expectServerNumbers(el);
    } finally {
      Object.defineProperty(window, 'localStorage', original);
    }
  });

  it('speaks German with lang="de"', async () => {
    const el = await mountCart({ lang: 'de' });
    await el.add('tee-black', 2);
    await el.show();
    await el.updateComplete;
    equal(text($(el, 'h2')), 'Dein Warenkorb');
    equal(text($(el, '[part="checkout-button"]')), 'Zur Kasse');
    const cart = await serverCart(el.cart!.id);
    const euroFormat = (n: number) => new Intl.NumberFormat('de', { style: 'currency', currency: cart.currency }).format(n / 100);
    deepEqual(shownTotals(el), expectedTotals(cart, euroFormat));
    equal(shownTotals(el).total, '54,00 $', 'German number format');
  });
});
