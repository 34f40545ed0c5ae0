/// <reference types="mocha" />
/**
 * `restore-token`: an abandoned-cart reminder's link opens the widget on the cart it names, which
 * becomes this browser's cart; a token that is forged or expired leaves the shopper's cart alone.
 */
import type { Cart } from '../../shared/api.ts';
import type { CheckoutCart } from '../../widget/checkout-cart/checkout-cart.component.ts';
import {
  $, $$, api, apiFault, cleanUp, deepEqual, equal, expectedTotals, mountCart, restoreToken, serverCart, shownTotals, text, until, usd,
} from './helpers.ts';

async function cartWith(lines: [productId: string, quantity: number][], coupon?: string): Promise<Cart> {
  let { body } = await api<{ cart: Cart }>('/carts', { method: 'POST' });
  for (const [productId, quantity] of lines) body = (await api<{ cart: Cart }>(`/carts/${body.cart.id}/items`, { json: { productId, quantity } })).body;
  if (coupon) body = (await api<{ cart: Cart }>(`/carts/${body.cart.id}/coupon`, { json: { code: coupon } })).body;
  return body.cart;
}

const savedCartId = (el: CheckoutCart) => JSON.parse(localStorage.getItem(`checkout-cart:${el.api}`) ?? '{}').cartId as string | undefined;
const notice = (el: CheckoutCart) => text(el.shadowRoot!.querySelector('.notice'));

/** The panel shows exactly `cart`'s lines and totals, as the server holds them. */
async function expectShown(el: CheckoutCart, cart: Cart): Promise<void> {
  await until(() => Object.keys(shownTotals(el)).length > 0, 'the totals rendered');
  deepEqual(shownTotals(el), expectedTotals(cart), 'totals on screen');
  deepEqual($$(el, '[part="line-item"]').map((li) => [li.dataset.productId, Number((li.querySelector('input') as HTMLInputElement).value), text(li.querySelector('[part="line-total"]'))]),
    cart.items.map((line) => [line.productId, line.quantity, usd(line.lineTotal)]), 'lines on screen');
  equal(text($(el, '[part="badge"]')), String(cart.itemCount), 'badge');
}

describe('<checkout-cart restore-token>', () => {
  afterEach(async () => {
    await apiFault('none');
    cleanUp();
  });

  it('opens on the reminder\'s cart, its coupon and totals included, and keeps it as this browser\'s cart', async () => {
    const cart = await cartWith([['tee-black', 2], ['mug-stone', 1]], 'WELCOME15');
    const el = await mountCart({ 'restore-token': await restoreToken(cart.id), open: '' });
    await until(() => el.cart?.id === cart.id, 'the restored cart');
    await expectShown(el, cart);
    equal(el.open, true, 'the panel is open');
    equal(savedCartId(el), cart.id, 'saved as this browser\'s cart');
    equal(notice(el), '', 'nothing to explain: there was no other cart');
    el.remove();

    // A later page of the shop shows the same cart, restored or not.
    const later = await mountCart();
    await until(() => later.cart?.id === cart.id, 'the same cart on the next page');
    deepEqual(await serverCart(cart.id), cart, 'restoring changed nothing on the server');
  });

  it('replaces a different cart this browser had, and says so', async () => {
    const own = await mountCart();
    await own.add('cap-navy', 1);
    const ownCartId = own.cart!.id;
    own.remove();

    const reminded = await cartWith([['tee-black', 1]]);
    const el = await mountCart({ 'restore-token': await restoreToken(reminded.id) });
    await until(() => el.cart?.id === reminded.id, 'the reminder\'s cart');
    await until(() => notice(el), 'the notice');
    equal(notice(el), 'Your cart from the email replaced your previous one.');
    equal(el.open, true, 'the link opens the panel');
    await expectShown(el, reminded);
    equal(savedCartId(el), reminded.id);
    equal((await serverCart(ownCartId)).itemCount, 1, 'the replaced cart is left as it was on the server');
  });

  it('leaves the shopper\'s cart alone, with a calm notice, for a forged or an expired token', async () => {
    const own = await mountCart();
    const mine = await own.add('mug-stone', 2);
    own.remove();
    const other = await cartWith([['tee-black', 1]]);
    const valid = await restoreToken(other.id);
    const forged = `${valid.split('.')[0]}.${'A'.repeat(43)}`;
    for (const token of [forged, await restoreToken(other.id, -1000), 'not-a-token']) {
      const el = await mountCart({ 'restore-token': token });
      await until(() => notice(el), `the notice for ${token.slice(0, 12)}…`);
      equal(notice(el), 'This link to your cart is invalid or has expired.');
      equal(text($(el, '[part="error"]')), '', 'not an error: nothing went wrong with the shop');
      equal(el.cart?.id, mine.id, 'the shopper\'s own cart stays');
      await expectShown(el, await serverCart(mine.id));
      equal(savedCartId(el), mine.id);
      el.remove();
    }
  });

  it('says it in the page\'s language', async () => {
    const el = await mountCart({ 'restore-token': 'not-a-token', lang: 'de' });
    await until(() => notice(el), 'the notice');
    equal(notice(el), 'Dieser Warenkorb-Link ist ungültig oder abgelaufen.');
  });

  it('offers to try again when the shop is out of reach, and then restores', async () => {
    const cart = await cartWith([['tee-black', 3]]);
    await apiFault('offline');
    const el = await mountCart({ 'restore-token': await restoreToken(cart.id) });
    await until(() => text($(el, '[part="error"]')).startsWith('We could not reach the shop.'), 'the network problem');
    equal(el.cart, null);
    await apiFault('none');
    ($(el, '[part="error"] button') as HTMLButtonElement).click();
    await until(() => el.cart?.id === cart.id, 'the restored cart after trying again');
    await expectShown(el, cart);
  });
});
