import { it } from 'node:test';
import { startTestServer, ADMIN_TOKEN } from '../../helpers/server.ts';
import { paidOrder } from '../../helpers/admin.ts';
import { launchChromium } from '../../e2e/browser.ts';
it('peek', async () => {
  const s = await startTestServer();
  const browser = await launchChromium();
  try {
    await paidOrder(s, [['tee-black', 2]], 'ada@example.com');
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    page.on('console', (m) => console.log('console:', m.type(), m.text()));
    page.on('pageerror', (e) => console.log('pageerror', e.message));
    await page.goto(`${s.url}/admin`);
    await page.fill('input[name=token]', ADMIN_TOKEN);
    await page.fill('input[name=name]', 'Ada');
    await page.click('button:has-text("Sign in")');
    await page.waitForSelector('admin-orders tr[data-order]');
    await page.screenshot({ path: '/tmp/peek-orders.png' });
    await page.click('admin-orders tr[data-order] a');
    await page.waitForSelector('admin-order-detail [data-testid=order-status]');
    await page.screenshot({ path: '/tmp/peek-detail.png', fullPage: true });
    await page.goto(`${s.url}/admin#metrics`);
    await page.waitForSelector('admin-metrics canvas#revenue');
    await page.waitForTimeout(300);
    await page.screenshot({ path: '/tmp/peek-metrics.png', fullPage: true });
    const res = await fetch(`${s.url}/admin`); console.log(res.status, res.headers.get('content-security-policy'));
  } finally { await browser.close(); await s.stop(); }
});
