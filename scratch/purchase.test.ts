import { it } from 'node:test';
import { startTestServer } from '../test/helpers/server.ts';
import { launchChromium } from '../test/e2e/browser.ts';
import { addFromButton, confirmedOrderNumber, fillCard, pay, startCheckout } from '../test/e2e/shop.ts';

it('logs', async () => {
  const s = await startTestServer({ store: 'redis' });
  const browser = await launchChromium();
  const page = await browser.newPage();
  page.on('console', (m) => console.log('CONSOLE', m.type(), m.text(), JSON.stringify(m.location())));
  page.on('requestfailed', (r) => console.log('FAILED', r.url()));
  page.on('response', (r) => { if (r.status() >= 400) console.log('RESP', r.status(), r.request().method(), r.url()); });
  await page.goto(`${s.url}/`);
  await page.locator('checkout-cart [part="toggle"]').waitFor();
  await addFromButton(page, 'tee-black');
  await startCheckout(page, 'ada@example.com');
  await fillCard(page, '4242424242424242');
  await pay(page);
  console.log(await confirmedOrderNumber(page));
  await new Promise((r) => setTimeout(r, 1500));
  await browser.close();
  await s.stop();
});
