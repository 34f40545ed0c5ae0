import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { CartLine } from '../../../shared/api.ts';
import { orderConfirmationEmail, orderNeedsAttentionEmail, orderRefundedEmail, paymentFailedEmail } from '../../../server/mail/templates.ts';
import { sampleOrder } from './helpers.ts';

const hostileShop = `Bob's <Shop> & "Co"`;
const escapedShop = 'Bob&#39;s &lt;Shop&gt; &amp; &quot;Co&quot;';
const hostileProduct = 'Tee <img src=x onerror=alert(1)> & "Friends"';
const escapedProduct = 'Tee &lt;img src=x onerror=alert(1)&gt; &amp; &quot;Friends&quot;';
const hostileEmail = `"<script>alert('to')</script>"@example.com`;

/** Markup an attacker would want to survive into the HTML part. */
function assertNoInjectedMarkup(html: string): void {
  for (const raw of ['<script', '<img', '<Shop>', '<b>', '<i>', hostileProduct, hostileShop, hostileEmail]) {
    assert.equal(html.includes(raw), false, `the HTML part contains ${raw}`);
  }
}

describe('email templates', () => {
  describe('order confirmation', () => {
    const order = sampleOrder({ email: hostileEmail, couponCode: '<b>SAVE10</b>' });
    const mail = orderConfirmationEmail({ order, shopName: hostileShop, locale: 'en-US', shopUrl: 'https://shop.example/?a=1&b="2"' });

    it('goes to the shopper with the order number in the subject', () => {
      assert.equal(mail.to, hostileEmail);
      assert.equal(mail.subject, `${hostileShop}: order A-1042 confirmed`);
    });

    it('escapes the shop name, product name, coupon code and link in the HTML part', () => {
      assertNoInjectedMarkup(mail.html);
      assert.ok(mail.html.includes(`>${escapedShop}</p>`));
      assert.ok(mail.html.includes(`>${escapedProduct}</td>`));
      assert.ok(mail.html.includes('>Discount (&lt;b&gt;SAVE10&lt;/b&gt;)</td>'));
      assert.ok(mail.html.includes('<a href="https://shop.example/?a=1&amp;b=&quot;2&quot;">Visit Bob&#39;s'));
    });

    it('shows the items and the exact formatted totals in the HTML part', () => {
      assert.ok(mail.html.includes('<h1 style="font-size:20px;margin:0 0 16px">Thank you! Order A-1042 is confirmed</h1>'));
      for (const figure of ['>2</td>', '>$1,234.56</td>', '>-$123.46</td>', '>$88.89</td>', '>$1,199.99</td>']) {
        assert.ok(mail.html.includes(figure), `HTML part shows ${figure}`);
      }
    });

    it('says the same in the text part, unescaped', () => {
      assert.equal(mail.text, [
        'Thank you! Order A-1042 is confirmed',
        '',
        'We have your payment and are getting your order ready.',
        '',
        `2 x ${hostileProduct}: $1,234.56`,
        '',
        'Subtotal: $1,234.56',
        'Discount (<b>SAVE10</b>): -$123.46',
        'Tax: $88.89',
        'Total: $1,199.99',
        '',
        `${hostileShop}: https://shop.example/?a=1&b="2"`,
        '',
      ].join('\n'));
    });

    it('formats zero-decimal currencies, and speaks a German locale\'s words with its signs and separators', () => {
      const euros = orderConfirmationEmail({
        order: sampleOrder({ currency: 'EUR' }), shopName: 'Laden', locale: 'de-DE', shopUrl: 'https://shop.example',
      });
      assert.ok(euros.text.includes('Zwischensumme: 1.234,56\u00a0€\nRabatt (SAVE10): -123,46\u00a0€\nSteuer: 88,89\u00a0€\nGesamt: 1.199,99\u00a0€'));
      assert.equal(euros.subject, 'Laden: Bestellung A-1042 bestätigt');
      // A language without a catalogue reads English, in its own money format.
      const french = orderConfirmationEmail({ order: sampleOrder({ currency: 'EUR' }), shopName: 'Boutique', locale: 'fr-FR', shopUrl: 'https://shop.example' });
      assert.ok(french.text.includes('Total: 1\u202f199,99\u00a0€'), french.text);
      assert.equal(french.subject, 'Boutique: order A-1042 confirmed');
      const yen = orderConfirmationEmail({
        order: sampleOrder({ currency: 'JPY', couponCode: null, items: [{ productId: 'mug', name: 'Mug', unitPrice: 1999, quantity: 1, lineTotal: 1999 }],
          totals: { subtotal: 1999, discount: 0, tax: 160, total: 2159 } }),
        shopName: 'Shop', locale: 'en-US', shopUrl: 'https://shop.example',
      });
      assert.ok(yen.text.includes('1 x Mug: ¥1,999\n\nSubtotal: ¥1,999\nTax: ¥160\nTotal: ¥2,159\n'));
      assert.equal(yen.html.includes('Discount'), false);
    });
  });

  describe('payment failed', () => {
    const items: CartLine[] = [{ productId: 'tee-black', name: hostileProduct, unitPrice: 2500, quantity: 2, imageUrl: '/tee.webp', lineTotal: 5000 }];
    const retryUrl = 'https://shop.example/checkout/retry/abc.DEF-123?x=1&y="2"';
    const mail = paymentFailedEmail({
      to: 'grace@example.com', items, totals: { subtotal: 5000, discount: 500, tax: 360, total: 4860 }, currency: 'USD',
      reason: 'Your card was declined <i>by the bank</i>.', retryUrl, shopName: hostileShop, locale: 'en-US',
    });

    it('gives the reason in the shopper\'s words and a button to the retry link', () => {
      assert.equal(mail.to, 'grace@example.com');
      assert.equal(mail.subject, `${hostileShop}: your payment did not go through`);
      assert.ok(mail.html.includes('<p>Your card was declined &lt;i&gt;by the bank&lt;/i&gt;.</p>'));
      const escapedUrl = 'https://shop.example/checkout/retry/abc.DEF-123?x=1&amp;y=&quot;2&quot;';
      assert.ok(mail.html.includes(`<a href="${escapedUrl}" style=`));
      assert.ok(mail.html.includes('>Complete your payment</a>'));
      // The fallback link breaks anywhere: a long token must not widen the email past its column.
      assert.ok(mail.html.includes(`<a href="${escapedUrl}" style="overflow-wrap:anywhere;word-break:break-all">${escapedUrl}</a>`));
      assertNoInjectedMarkup(mail.html);
    });

    it('puts the reason, the link and the summary in the text part', () => {
      assert.equal(mail.text, [
        'Your payment did not go through',
        '',
        'Your card was declined <i>by the bank</i>.',
        '',
        'We are holding your items for you. You can pay again with the same or another card:',
        retryUrl,
        '',
        `2 x ${hostileProduct}: $50.00`,
        '',
        'Subtotal: $50.00',
        'Discount: -$5.00',
        'Tax: $3.60',
        'Total: $48.60',
        '',
      ].join('\n'));
    });
  });

  describe('order needs attention', () => {
    const reason = 'An item sold out while your payment was being completed.';

    it('tells the shopper the order could not be completed and that the full amount was refunded', () => {
      const mail = orderNeedsAttentionEmail({ order: sampleOrder({ items: [] }), shopName: hostileShop, locale: 'en-US', refunded: true, reason: 'attentionStockGone' });
      assert.equal(mail.subject, `${hostileShop}: we could not complete order A-1042`);
      const refunded = 'We have refunded the full amount, $1,199.99, to your card. It usually appears on your statement within 5 to 10 business days.';
      assert.ok(mail.html.includes(`<p>${reason}</p><p>${refunded}</p>`));
      assert.ok(mail.text.startsWith(`We could not complete order A-1042\n\n${reason}\n\n${refunded}\n\n`));
      assertNoInjectedMarkup(mail.html);
    });

    it('promises no refund when none was made', () => {
      const mail = orderNeedsAttentionEmail({ order: sampleOrder(), shopName: 'Shop', locale: 'en-US', refunded: false, reason: 'attentionAmountMismatch' });
      assert.equal(mail.text.includes('refunded'), false);
      assert.ok(mail.text.includes('Your order is on hold while we look into it, and we will be in touch soon.'));
      assert.ok(mail.html.includes(`>${escapedProduct}</td>`));
      assertNoInjectedMarkup(mail.html);
    });
  });

  describe('order refunded', () => {
    it('states the amount refunded and the order number', () => {
      const mail = orderRefundedEmail({ order: sampleOrder(), amountRefunded: 2500, shopName: hostileShop, locale: 'en-US' });
      assert.equal(mail.to, 'ada@example.com');
      assert.equal(mail.subject, `${hostileShop}: $25.00 refunded for order A-1042`);
      assert.ok(mail.html.includes('<p>We have refunded $25.00 to your card.'));
      assert.ok(mail.html.includes(`>${escapedShop}</p>`));
      assert.equal(mail.text, 'Refund for order A-1042\n\nWe have refunded $25.00 to your card. It usually appears on your statement within 5 to 10 business days.\n');
      assertNoInjectedMarkup(mail.html);
    });
  });
});
