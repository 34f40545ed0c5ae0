import { before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { couponMessage, englishFor, fillIn, messageKeyFor, rateLimitMessage, stockMessage } from '../../shared/messages.ts';
import { plainDeclineMessage } from '../../server/payments/decline-messages.ts';
import { cartWords } from '../../widget/i18n/cart-words.ts';
import { checkoutWords } from '../../widget/i18n/checkout-words.ts';
import { messageFor } from '../../widget/i18n/error-words.ts';
import { addMessages, loadMessages, translator } from '../../widget/i18n/messages.ts';

describe('shared messages', () => {
  // What the widget has once its cart panel, its checkout and a German page's words have loaded.
  before(async () => {
    addMessages('en', { ...cartWords, ...checkoutWords });
    await loadMessages('de');
  });

  it('says the same English on the server and in the widget for every shared code', () => {
    const en = translator('en');
    const codes = ['card_declined', 'insufficient_funds', 'expired_card', 'incorrect_cvc', 'processing_error',
      'payment_intent_authentication_failure', 'coupon_invalid', 'coupon_expired', 'coupon_exhausted', 'coupon_min_subtotal', 'retry_link_invalid'];
    for (const code of codes) {
      const english = englishFor(code);
      assert.ok(english, code);
      assert.equal(messageFor(en, code, 'fallback'), english, code);
    }
  });

  it('translates the shared words in the widget and keeps the server\'s words for codes without them', () => {
    const de = translator('de-AT');
    assert.equal(messageFor(de, 'insufficient_funds', 'x'), 'Deine Karte ist nicht ausreichend gedeckt.');
    assert.equal(messageFor(de, 'coupon_expired', 'x'), 'Dieser Code ist abgelaufen.');
    assert.equal(messageFor(de, 'out_of_stock', 'Mug is sold out.'), 'Mug is sold out.');
    assert.equal(messageKeyFor('toString'), undefined);
  });

  it('presents lost and stolen cards as a plain decline, as Stripe asks', () => {
    assert.deepEqual(plainDeclineMessage({ code: 'card_declined', decline_code: 'lost_card', message: 'Your card was declined.' }),
      { code: 'lost_card', message: 'Your card was declined.' });
    assert.deepEqual(plainDeclineMessage({ code: 'card_declined', decline_code: 'stolen_card' }), { code: 'stolen_card', message: 'Your card was declined.' });
  });

  it('falls back from the decline code to the error code, then to Stripe\'s words, then to ours', () => {
    assert.deepEqual(plainDeclineMessage({ code: 'card_declined', decline_code: 'velocity_exceeded' }), { code: 'velocity_exceeded', message: 'Your card was declined.' });
    assert.deepEqual(plainDeclineMessage({ code: 'amount_too_small', message: 'Amount must be at least $0.50.' }), { code: 'amount_too_small', message: 'Amount must be at least $0.50.' });
    assert.deepEqual(plainDeclineMessage(null), { code: 'card_declined', message: 'Your card was declined.' });
    assert.deepEqual(plainDeclineMessage({ code: 'mystery' }), { code: 'mystery', message: 'Your payment did not go through.' });
  });

  it('words coupon, stock and rate-limit refusals one way', () => {
    assert.equal(couponMessage('coupon_min_subtotal'), 'Your cart is below the minimum for this code.');
    assert.equal(stockMessage('Mug', 0), 'Mug is sold out.');
    assert.equal(stockMessage('Mug {name}', 2), 'Only 2 of Mug {name} left.');
    assert.equal(rateLimitMessage(1), 'Too many attempts. Please wait 1 second and try again.');
    assert.equal(rateLimitMessage(30), 'Too many attempts. Please wait 30 seconds and try again.');
    assert.equal(fillIn('{a} and {b}', { a: 1 }), '1 and {b}');
  });
});
