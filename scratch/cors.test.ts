import { it } from 'node:test';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { startTestServer } from '../test/helpers/server.ts';
import { launchChromium } from '../test/e2e/browser.ts';

it('logs', async () => {
  const s = await startTestServer();
  const site = createServer((_, res) => res.setHeader('content-type', 'text/html').end(`<!doctype html><html lang="en"><head><title>x</title><script type="module" src="${s.url}/checkout-cart.js"></script></head><body><checkout-cart api="${s.url}"></checkout-cart><button type="button" data-checkout-add="tee-black">Add</button></body></html>`));
  await new Promise<void>((r) => site.listen(0, '127.0.0.1', r));
  const origin = `http://127.0.0.1:${(site.address() as AddressInfo).port}`;
  const browser = await launchChromium();
  const page = await browser.newPage();
  page.on('console', (m) => console.log('CONSOLE', m.type(), m.text())); page.on('pageerror', (e) => console.log('PAGEERR', e.message)); page.on('requestfailed', (r) => console.log('FAILED', r.url(), r.failure()?.errorText));
  await page.goto(`${origin}/`);
  await page.locator('[data-checkout-add]').click();
  await new Promise((r) => setTimeout(r, 2500));
  console.log('HTML', await page.evaluate(() => document.querySelector('checkout-cart')!.shadowRoot!.innerHTML.replace(/<!--[^>]*-->/g, '')));
  await browser.close(); site.close();
  await s.stop();
});
