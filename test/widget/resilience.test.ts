/// <reference types="mocha" />
import type { CheckoutCart } from '../../widget/checkout-cart/checkout-cart.component.ts';
import type { ApiFault } from './harness/commands.ts';
import { $, $$, apiFault, cleanUp, deepEqual, equal, expectedTotals, lineFor, mountCart, serverCart, shownTotals, text, until } from './helpers.ts';

const NETWORK = 'We could not reach the shop. Your cart is safe; please try again.';
const SERVER = 'Something went wrong on our side. Your cart is safe; please try again.';

const errorText = (el: CheckoutCart) => text($$(el, '[part="error"] span')[0]);
const retryButton = (el: CheckoutCart) => $(el, '[part="error"] button') as HTMLButtonElement;
const savedCartId = (el: CheckoutCart) => JSON.parse(localStorage.getItem(`checkout-cart:${el.api}`)!).cartId as string;

describe('<checkout-cart> when the server fails', () => {
  afterEach(async () => {
    await apiFault('none');
    cleanUp();
  });

  const cases: [ApiFault, string, string][] = [
    ['offline', 'the network is down', NETWORK],
    ['server-error', 'the server answers 503 with an HTML page', SERVER],
    ['malformed', 'the server answers 200 with broken JSON', SERVER],
  ];
  for (const [fault, when, message] of cases) {
    it(`keeps the cart and offers to try again when ${when}`, async () => {
      const el = await mountCart();
      await el.add('tee-black', 1);
      await el.show();
      await el.updateComplete;
      const before = await serverCart(el.cart!.id);
      await apiFault(fault);

      (lineFor(el, 'tee-black').querySelector('.increase') as HTMLButtonElement).click();
      await until(() => errorText(el), 'the error message');
      equal(errorText(el), message);
      equal(text(retryButton(el)), 'Try again');
      equal((lineFor(el, 'tee-black').querySelector('input') as HTMLInputElement).value, '1', 'the line is still shown');
      deepEqual(shownTotals(el), expectedTotals(before), 'the last known totals are still shown');
      equal(savedCartId(el), before.id, 'the cart id is kept');
      equal(el.cart!.id, before.id);

      await apiFault('none');
      retryButton(el).click();
      await until(() => el.cart!.items[0]?.quantity === 2, 'the retried change');
      await el.updateComplete;
      equal(errorText(el), '', 'the error is gone');
      deepEqual(shownTotals(el), expectedTotals(await serverCart(before.id)));
    });
  }

  it('says how long to wait when the server answers 429 to a coupon guess', async () => {
    const el = await mountCart();
    await el.add('tee-black', 1);
    await el.show();
    await el.updateComplete;
    await apiFault('rate-limited');

    ($(el, '#coupon') as HTMLInputElement).value = 'GUESS1';
    ($(el, 'form[part="coupon"]') as HTMLFormElement).requestSubmit();
    await until(() => errorText(el), 'the error message');
    equal(errorText(el), 'Too many attempts. Please wait 42 seconds and try again.');
    equal(text(retryButton(el)), 'Try again');
    equal(el.cart!.items[0]?.quantity, 1, 'the cart is kept');
  });

  it('restores the saved cart once the server is back after failing on page load', async () => {
    const first = await mountCart();
    await first.add('mug-stone', 2);
    const id = first.cart!.id;
    first.remove();

    await apiFault('offline');
    const el = await mountCart({ open: '' });
    await until(() => errorText(el), 'the error message');
    equal(errorText(el), NETWORK);
    equal(savedCartId(el), id, 'a failed load does not forget the cart');

    await apiFault('none');
    retryButton(el).click();
    await until(() => el.cart?.id === id, 'the cart loaded');
    await el.updateComplete;
    deepEqual(shownTotals(el), expectedTotals(await serverCart(id)));
  });
});
