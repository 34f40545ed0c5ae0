/// <reference types="mocha" />
import { emulateMedia } from '@web/test-runner-commands';
import type { CheckoutCart } from '../../widget/checkout-cart/checkout-cart.component.ts';
import { $, cleanUp, equal, expectNoViolations, mountCart, text, toPayment, until } from './helpers.ts';

const walletButtons = (el: CheckoutCart) => [...el.querySelectorAll<HTMLButtonElement>('[slot="express"] button')];

async function mountInMain(attributes: Record<string, string> = {}): Promise<CheckoutCart> {
  const main = document.createElement('main');
  main.dataset.testOwned = '';
  document.body.append(main);
  return mountCart(attributes, main);
}

describe('<checkout-cart> wallets', () => {
  afterEach(async () => {
    await emulateMedia({ colorScheme: 'light' });
    cleanUp();
  });

  for (const scheme of ['light', 'dark'] as const) {
    it(`shows the wallets Stripe offers above the card form, with no axe violations (${scheme})`, async () => {
      await emulateMedia({ colorScheme: scheme });
      const el = await mountInMain();
      await el.add('tee-black', 1);
      await toPayment(el);
      await until(() => walletButtons(el).length === 2, 'the wallet buttons');
      equal(walletButtons(el).map((b) => text(b)).join(), 'Apple Pay,Google Pay');
      const part = $(el, '[part="express-checkout"]');
      await until(() => !part.classList.contains('pending'), 'Stripe saying which wallets show');
      equal(part.hidden, false);
      equal(text($(el, '[part="express-checkout"] .divider')), 'Or pay another way');
      equal(part.compareDocumentPosition($(el, '[part="payment-element"]')) & Node.DOCUMENT_POSITION_FOLLOWING, Node.DOCUMENT_POSITION_FOLLOWING, 'above the Payment Element');
      await expectNoViolations(el, 'payment step with wallets');
    });
  }

  it('says "or pay another way" in German', async () => {
    const el = await mountInMain({ lang: 'de' });
    await el.add('mug-stone', 1);
    await toPayment(el);
    await until(() => walletButtons(el).length === 2, 'the wallet buttons');
    equal(text($(el, '[part="express-checkout"] .divider')), 'Oder anders bezahlen');
    await expectNoViolations(el, 'German payment step with wallets');
  });
});
