import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { currencyOf, isCurrencyCode } from '../../shared/currencies.ts';
import { assertMinorUnits, assertSameCurrency, CurrencyMismatchError, formatMoney } from '../../shared/money.ts';
import { couponProblem, couponRefused, normalizeCouponCode, type CouponRules } from '../../shared/coupons.ts';

describe('currencies', () => {
  it('knows zero-, two- and three-decimal currencies from the ISO 4217 table', () => {
    assert.deepEqual(currencyOf('usd'), { code: 'USD', exponent: 2 });
    assert.deepEqual(currencyOf('JPY'), { code: 'JPY', exponent: 0 });
    assert.deepEqual(currencyOf('KWD'), { code: 'KWD', exponent: 3 });
  });

  it('counts minor units as Stripe does where Stripe differs from ISO 4217 or from Intl', () => {
    // Intl (CLDR) shows HUF and IDR without decimals; Stripe charges hundredths of both.
    assert.deepEqual([currencyOf('HUF').exponent, currencyOf('TWD').exponent, currencyOf('IDR').exponent], [2, 2, 2]);
    // ISO 4217 has no decimals for ISK and UGX; Stripe wants them as two-decimal amounts (5 ISK is 500).
    assert.deepEqual([currencyOf('ISK').exponent, currencyOf('UGX').exponent], [2, 2]);
    // ISO 4217 gives MGA two digits; Stripe lists it as zero-decimal.
    assert.equal(currencyOf('MGA').exponent, 0);
  });

  it('accepts only codes in the table, in any case', () => {
    assert.deepEqual(['eur', 'HUF', 'Xof'].map(isCurrencyCode), [true, true, true]);
    assert.deepEqual(['DOLLARS', 'XXX', 'DEM', ''].map(isCurrencyCode), [false, false, false, false]);
    assert.throws(() => currencyOf('ABC'), RangeError);
  });
});

describe('money', () => {
  it('formats minor units with Intl.NumberFormat and the table\'s digits', () => {
    assert.equal(formatMoney(1999, 'USD', 'en-US'), '$19.99');
    assert.equal(formatMoney(1999, 'JPY', 'en-US'), '¥1,999');
    assert.equal(formatMoney(123456, 'EUR', 'de-DE'), '1.234,56\u00a0€');
    assert.equal(formatMoney(1999, 'HUF', 'hu-HU'), '19,99\u00a0Ft');
    assert.equal(formatMoney(500, 'ISK', 'en-US'), 'ISK\u00a05.00');
    assert.equal(formatMoney(12345, 'KWD', 'en-US'), 'KWD\u00a012.345');
  });

  it('refuses money that is not an integer', () => {
    assert.throws(() => assertMinorUnits(10.5), RangeError);
    assert.throws(() => formatMoney(Number.NaN, 'USD'), RangeError);
  });

  it('refuses to combine amounts in two currencies, with a typed error', () => {
    assert.doesNotThrow(() => assertSameCurrency('USD', 'usd'));
    assert.throws(() => assertSameCurrency('USD', 'EUR'), (err: unknown) =>
      err instanceof CurrencyMismatchError && err.expected === 'USD' && err.actual === 'EUR');
  });
});

describe('coupon rules', () => {
  const base: CouponRules = { code: 'X', type: 'percentage', value: 10, active: true, expiresAt: null, maxUses: null, usesTaken: 0, minSubtotal: 0 };
  it('accepts a live coupon and names each reason to refuse', () => {
    assert.equal(couponProblem(base, 100, 0), null);
    assert.equal(couponProblem(null, 100, 0), 'coupon_invalid');
    assert.equal(couponProblem({ ...base, active: false }, 100, 0), 'coupon_invalid');
    assert.equal(couponProblem({ ...base, expiresAt: 50 }, 100, 50), 'coupon_expired');
    assert.equal(couponProblem({ ...base, maxUses: 5, usesTaken: 5 }, 100, 0), 'coupon_exhausted');
    assert.equal(couponProblem({ ...base, maxUses: 5, usesTaken: 4 }, 100, 0), null);
    assert.equal(couponProblem({ ...base, minSubtotal: 101 }, 100, 0), 'coupon_min_subtotal');
  });
  it('treats codes case-insensitively', () => {
    assert.equal(normalizeCouponCode('  welcome15 '), 'WELCOME15');
  });
  it('refuses with the code as the error code and the shared words', () => {
    const refused = couponRefused('coupon_exhausted');
    assert.deepEqual(refused.toBody(), { error: { code: 'coupon_exhausted', message: 'This code has been used up.' } });
    assert.equal(refused.status, 409);
  });
});
