import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { currencyOf, formatMoney, assertMinorUnits } from '../../shared/money.ts';
import { couponProblem, normalizeCouponCode, type CouponRules } from '../../shared/coupons.ts';

describe('money', () => {
  it('knows zero-decimal currencies', () => {
    assert.deepEqual(currencyOf('usd'), { code: 'USD', exponent: 2 });
    assert.deepEqual(currencyOf('JPY'), { code: 'JPY', exponent: 0 });
  });

  it('formats minor units with Intl.NumberFormat', () => {
    assert.equal(formatMoney(1999, 'USD', 'en-US'), '$19.99');
    assert.equal(formatMoney(1999, 'JPY', 'en-US'), '¥1,999');
    assert.equal(formatMoney(123456, 'EUR', 'de-DE'), '1.234,56\u00a0€');
  });

  it('refuses money that is not an integer', () => {
    assert.throws(() => assertMinorUnits(10.5), RangeError);
    assert.throws(() => formatMoney(Number.NaN, 'USD'), RangeError);
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
});
