/**
 * The shopper's emails as a phone's mail app shows them: rendered in Chromium 390 px wide, in
 * English and German, none wider than the screen. A recovery link's fallback URL (one long token,
 * no place to break) used to widen the email past its column (issue 13, point 8).
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Browser } from 'playwright-core';
import type { CartLine } from '../../shared/api.ts';
import { LinkTokens } from '../../server/checkout/link-tokens.ts';
import type { OutgoingEmail } from '../../server/mail/email.ts';
import { cartReminderEmail, orderConfirmationEmail, orderNeedsAttentionEmail, orderRefundedEmail, paymentFailedEmail } from '../../server/mail/templates.ts';
import { sampleOrder } from '../server/mail/helpers.ts';
import { launchChromium } from './browser.ts';

const PHONE = { width: 390, height: 844 };
const tokens = new LinkTokens('a-secret-of-some-length-for-the-test');
const publicUrl = 'https://shop.example.com';
// Real tokens, as the server signs them: a checkout id and an expiry, base64url, then the MAC.
const retryUrl = `${publicUrl}/checkout/retry/${tokens.sign('chk_01JBZ8Q2W7Y5M3N4P6R8T0V2X4', Date.UTC(2026, 11, 31))}`;
const restoreUrl = `${publicUrl}/cart/restore/${tokens.signFor('restore', 'cart_01JBZ8Q2W7Y5M3N4P6R8T0V2X4', Date.UTC(2026, 11, 31))}`;
const unsubscribeUrl = `${publicUrl}/unsubscribe/${tokens.signFor('unsubscribe', 'a.rather.long.address@example.com', Date.UTC(2027, 11, 31))}`;

const items: CartLine[] = [
  { productId: 'tee-black', name: 'Classic Tee, Black', imageUrl: '/images/tee-black.svg', unitPrice: 2500, quantity: 2, lineTotal: 5000 },
  { productId: 'print-limited', name: 'Limited Risograph Print, Signed and Numbered', imageUrl: '/images/print-limited.svg', unitPrice: 4500, quantity: 1, lineTotal: 4500 },
];
const totals = { subtotal: 9500, discount: 1425, tax: 646, total: 8721 };
const order = sampleOrder({
  items, totals, couponCode: 'WELCOME15', currency: 'EUR',
  shipping: {
    name: 'Ada Lovelace-Byron', rate: { id: 'international', label: 'International (7-14 business days)' },
    address: { line1: 'Analytical-Engine-Straße 12', line2: 'Hinterhaus, 3. Obergeschoss', city: 'Berlin', state: null, postal_code: '10115', country: 'DE' },
  },
});

/** Every email a shopper may get, in `locale`. */
function emails(locale: string): Record<string, OutgoingEmail> {
  const shopName = 'Northwind Goods';
  return {
    'order confirmation': orderConfirmationEmail({ order, shopName, locale, shopUrl: `${publicUrl}/` }),
    'payment failed': paymentFailedEmail({ to: order.email, items, totals, currency: 'EUR', reason: 'Your card was declined.', retryUrl, shopName, locale }),
    'cart reminder': cartReminderEmail({ to: order.email, items, totals, currency: 'EUR', couponCode: 'WELCOME15', restoreUrl, unsubscribeUrl, shopName, locale }),
    'order needs attention': orderNeedsAttentionEmail({ order, shopName, locale, refunded: true, reason: 'attentionStockGone' }),
    'order refunded': orderRefundedEmail({ order, amountRefunded: 4500, shopName, locale }),
  };
}

describe('the shopper\'s emails on a 390 px phone', () => {
  let browser: Browser;
  before(async () => { browser = await launchChromium(); });
  after(() => browser?.close());

  for (const locale of ['en-US', 'de-DE']) {
    it(`fit the screen, links and all (${locale})`, async () => {
      const page = await browser.newPage({ viewport: PHONE });
      try {
        const wider: string[] = [];
        for (const [name, email] of Object.entries(emails(locale))) {
          await page.setContent(email.html);
          const width = await page.evaluate(() => document.documentElement.scrollWidth);
          if (width > PHONE.width) wider.push(`${name}: ${width} px`);
        }
        assert.deepEqual(wider, [], `emails wider than a ${PHONE.width} px screen`);
        // The recovery link is in the email whole, to copy when the button does not work.
        assert.ok(emails(locale)['payment failed']!.html.includes(`>${retryUrl}</a>`));
      } finally {
        await page.close();
      }
    });
  }
});
