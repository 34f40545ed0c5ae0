/// <reference types="mocha" />
import { $, $$, addButton, cleanUp, equal, expectNoViolations, mountCart, text, until } from './helpers.ts';

/** Records console.warn and console.error while a test runs, and lets them through. */
function recordConsole(): { warnings: string[]; errors: string[]; restore(): void } {
  const { warn, error } = console;
  const warnings: string[] = [];
  const errors: string[] = [];
  console.warn = (...args: unknown[]) => { warnings.push(args.join(' ')); warn(...args); };
  console.error = (...args: unknown[]) => { errors.push(args.join(' ')); error(...args); };
  return { warnings, errors, restore: () => Object.assign(console, { warn, error }) };
}

describe('<checkout-cart> refusals in the shopper\'s words', () => {
  let recorded: ReturnType<typeof recordConsole>;
  beforeEach(() => { recorded = recordConsole(); });
  afterEach(() => {
    recorded.restore();
    cleanUp();
  });

  it('says a product a button names is not available, never the server\'s text, and tells the merchant which one', async () => {
    const el = await mountCart();
    addButton('does-not-exist').click();
    const problem = await until(() => text($(el, '[part="error"] span')), 'the problem shown');
    equal(problem, 'Sorry, this product is not available.');
    equal(el.shadowRoot!.textContent!.includes('No product'), false, 'the server\'s own words stay out of the panel');
    equal(recorded.warnings.length, 1);
    equal(recorded.warnings[0], '<checkout-cart>: the server refused a request (product_not_found): No product "does-not-exist".');
    equal(recorded.errors.length, 0);
    await expectNoViolations(el, 'cart with a refusal');
  });

  it('says it in German for a German page', async () => {
    const el = await mountCart({ lang: 'de' });
    await el.add('does-not-exist').catch(() => undefined);
    await el.show();
    equal(await until(() => text($(el, '[part="error"] span')), 'the problem shown'), 'Dieses Produkt ist leider nicht verfügbar.');
  });

  it('says a total too small to pay online in the page\'s language, not "try again" (a 100 % coupon)', async () => {
    const el = await mountCart({ lang: 'de' });
    await el.add('tee-black', 1);
    await el.show();
    ($(el, '#coupon') as HTMLInputElement).value = 'ALLFREE';
    ($(el, 'form[part="coupon"]') as HTMLFormElement).requestSubmit();
    await until(() => el.cart?.totals.total === 0, 'the cart at 0');
    $(el, '[part="checkout-button"]').click();
    await el.updateComplete;
    ($(el, '#email') as HTMLInputElement).value = 'free@example.com';
    ($(el, 'form.details') as HTMLFormElement).requestSubmit();
    const problem = await until(() => text($(el, '[part="error"] span')), 'the problem shown');
    equal(problem, 'Dieser Betrag liegt unter dem kleinsten, der sich online bezahlen lässt.');
    // Trying again can't help: no "Erneut versuchen" button.
    equal($$(el, '[part="error"] button').map(text).includes('Erneut versuchen'), false);
  });

  it('says how many are left in the page\'s language, not in the server\'s English', async () => {
    const el = await mountCart({ lang: 'de' });
    await el.add('tee-black', 99).catch(() => undefined);
    const problem = await until(() => text($(el, '[part="error"] span')), 'the problem shown');
    equal(/^Von Classic Tee, Black sind leider nur noch \d+ übrig\.$/.test(problem), true, problem);
  });
});
