import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import type { Totals } from '../../shared/api.ts';
import { priceLines, type Discount, type PricedLine, type ShippingTerms } from '../../shared/pricing.ts';
import { addressLines, servedCountries, shippingCost } from '../../shared/shipping.ts';
import { divideRounded } from '../../shared/rounding.ts';
import { chargeStep } from '../../shared/currencies.ts';

const line = fc.record({ unitPrice: fc.integer({ min: 0, max: 1_000_000 }), quantity: fc.integer({ min: 1, max: 99 }) });
const lines = fc.array(line, { maxLength: 20 });
const percentage = fc.record({ type: fc.constant('percentage' as const), value: fc.integer({ min: 1, max: 100 }) });
const discount: fc.Arbitrary<Discount | null> = fc.oneof(
  fc.constant(null),
  percentage,
  fc.record({ type: fc.constant('fixed' as const), value: fc.integer({ min: 1, max: 10_000_000 }) }),
);
const taxRate = fc.integer({ min: 0, max: 5_000 });

describe('pricing', () => {
  describe('worked examples, computed by hand', () => {
    const cases: [what: string, lines: PricedLine[], discount: Discount | null, taxRateBps: number, expected: Totals][] = [
      // 2 x 25.00 + 50.00 = 100.00; 15 % of it = 15.00; 8 % of 85.00 = 6.80; 85.00 + 6.80 = 91.80.
      ['the design\'s $100 cart, 15 % off, 8 % tax', [{ unitPrice: 2500, quantity: 2 }, { unitPrice: 5000, quantity: 1 }],
        { type: 'percentage', value: 15 }, 800, { subtotal: 10000, discount: 1500, tax: 680, total: 9180 }],
      // The same coupon on a $40 cart takes 15 % of $40 (6.00), not of $100; 8 % of 34.00 = 2.72.
      ['the same coupon once the cart drops to $40', [{ unitPrice: 4000, quantity: 1 }],
        { type: 'percentage', value: 15 }, 800, { subtotal: 4000, discount: 600, tax: 272, total: 3672 }],
      // 10 % of 10.05 = 1.005 -> 1.01 (a half rounds up); 8 % of 9.04 = 0.7232 -> 0.72.
      ['a half cent of discount rounds away from zero', [{ unitPrice: 1005, quantity: 1 }],
        { type: 'percentage', value: 10 }, 800, { subtotal: 1005, discount: 101, tax: 72, total: 976 }],
      // 3 x 19.99 = 59.97; 8.25 % of it = 4.947525 -> 4.95.
      ['tax at 8.25 % without a coupon', [{ unitPrice: 1999, quantity: 3 }], null, 825, { subtotal: 5997, discount: 0, tax: 495, total: 6492 }],
      // 10 % of 0.05 = 0.005 -> 0.01.
      ['a half cent of tax rounds away from zero', [{ unitPrice: 5, quantity: 1 }], null, 1000, { subtotal: 5, discount: 0, tax: 1, total: 6 }],
      // 2 x 12.50 = 25.00 less 3.00 = 22.00; 8 % of 22.00 = 1.76.
      ['a fixed coupon below the subtotal', [{ unitPrice: 1250, quantity: 2 }], { type: 'fixed', value: 300 }, 800, { subtotal: 2500, discount: 300, tax: 176, total: 2376 }],
      // 10.00 off a 7.00 cart takes 7.00, and there is nothing left to tax.
      ['a fixed coupon above the subtotal is capped at it', [{ unitPrice: 700, quantity: 1 }], { type: 'fixed', value: 1000 }, 800, { subtotal: 700, discount: 700, tax: 0, total: 0 }],
      ['a 100 % coupon leaves nothing to pay', [{ unitPrice: 4200, quantity: 1 }], { type: 'percentage', value: 100 }, 800, { subtotal: 4200, discount: 4200, tax: 0, total: 0 }],
      // Yen have no minor unit: 3 x ¥1,200 = ¥3,600; 15 % = ¥540; 10 % of ¥3,060 = ¥306.
      ['a zero-decimal currency', [{ unitPrice: 1200, quantity: 3 }], { type: 'percentage', value: 15 }, 1000, { subtotal: 3600, discount: 540, tax: 306, total: 3366 }],
      ['an empty cart, coupon or not', [], { type: 'fixed', value: 500 }, 800, { subtotal: 0, discount: 0, tax: 0, total: 0 }],
    ];
    for (const [what, ls, d, rate, expected] of cases) {
      it(what, () => assert.deepEqual(priceLines(ls, d, rate), expected));
    }
  });

  it('rounds halves away from zero, in integers', () => {
    assert.deepEqual([divideRounded(5, 10), divideRounded(4, 10), divideRounded(15, 10), divideRounded(-3, 2), divideRounded(-1, 4)], [1, 0, 2, -2, 0]);
  });

  it('never discounts more than the subtotal, never makes a negative total, and the totals add up', () => {
    fc.assert(fc.property(lines, discount, taxRate, (ls, d, rate) => {
      const t = priceLines(ls, d, rate);
      assert.ok(t.discount >= 0 && t.discount <= t.subtotal);
      assert.ok(t.tax >= 0 && t.total >= 0);
      // What the shopper sees line by line adds up to what is charged.
      assert.equal(t.subtotal - t.discount + t.tax, t.total);
      for (const v of Object.values(t)) assert.ok(Number.isSafeInteger(v));
    }));
  });

  it('taxes the discounted amount to within half a minor unit', () => {
    fc.assert(fc.property(lines, discount, taxRate, (ls, d, rate) => {
      const t = priceLines(ls, d, rate);
      // |tax - (subtotal - discount) x rate| <= 1/2, in integers: basis points are 1/10,000.
      assert.ok(Math.abs(t.tax * 10_000 - (t.subtotal - t.discount) * rate) <= 5_000);
    }));
  });

  it('takes a percentage off to within half a minor unit, on whatever the cart holds now', () => {
    fc.assert(fc.property(lines, line, percentage, (ls, extra, d) => {
      for (const t of [priceLines(ls, d, 0), priceLines([...ls, extra], d, 0)]) {
        assert.ok(Math.abs(t.discount * 100 - t.subtotal * d.value) <= 50);
      }
    }));
  });

  it('never charges less for a cart with one more item', () => {
    fc.assert(fc.property(lines, line, discount, taxRate, (ls, extra, d, rate) => {
      assert.ok(priceLines([...ls, extra], d, rate).total >= priceLines(ls, d, rate).total);
    }));
  });

  it('gives the same totals whatever the order of the lines', () => {
    fc.assert(fc.property(lines, discount, taxRate, fc.integer(), (ls, d, rate, seed) => {
      const shuffled = [...ls].sort((a, b) => ((a.unitPrice * 31 + a.quantity) ^ seed) - ((b.unitPrice * 31 + b.quantity) ^ seed));
      assert.deepEqual(priceLines(shuffled, d, rate), priceLines(ls, d, rate));
    }));
  });

  describe('ISK and UGX, charged in whole units (Stripe\'s special cases: two decimals, always 00)', () => {
    const whole = (max: number) => fc.integer({ min: 0, max }).map((units) => units * 100);
    const wholeLines = fc.array(fc.record({ unitPrice: whole(10_000), quantity: fc.integer({ min: 1, max: 99 }) }), { maxLength: 20 });
    const wholeDiscount: fc.Arbitrary<Discount | null> = fc.oneof(fc.constant(null), percentage,
      fc.record({ type: fc.constant('fixed' as const), value: whole(100_000).filter((v) => v > 0) }));

    it('has a charge step of 100 for ISK and UGX, and 1 for the others (HUF and TWD are special for payouts only)', () => {
      assert.deepEqual(['ISK', 'isk', 'UGX', 'JPY', 'USD', 'HUF', 'TWD'].map(chargeStep), [100, 100, 100, 1, 1, 1, 1]);
    });

    it('rounds the discount and the tax to whole krónur, halves away from zero', () => {
      // 3 x 1,990 kr = 5,970 kr; 15 % = 895.50 kr -> 896 kr; 8 % of 5,074 kr = 405.92 kr -> 406 kr; 5,480 kr.
      assert.deepEqual(priceLines([{ unitPrice: 199_000, quantity: 3 }], { type: 'percentage', value: 15 }, 800, null, 100),
        { subtotal: 597_000, discount: 89_600, tax: 40_600, total: 548_000 });
      // The same cart priced per hundredth would ask Stripe for 5,480.46 kr, which it refuses.
      assert.deepEqual(priceLines([{ unitPrice: 199_000, quantity: 3 }], { type: 'percentage', value: 15 }, 800),
        { subtotal: 597_000, discount: 89_550, tax: 40_596, total: 548_046 });
      // 25 kr less 15 % (3.75 kr -> 4 kr) = 21 kr; 8 % = 1.68 kr -> 2 kr; 23 kr.
      assert.deepEqual(priceLines([{ unitPrice: 2500, quantity: 1 }], { type: 'percentage', value: 15 }, 800, null, 100),
        { subtotal: 2500, discount: 400, tax: 200, total: 2300 });
    });

    it('makes every amount a multiple of 100, the totals still adding up, with or without shipping', () => {
      const shipping = fc.option(fc.record({ rate: fc.record({ amount: whole(5_000), freeOverSubtotal: fc.option(whole(50_000), { nil: null }) }), taxed: fc.boolean() }), { nil: null });
      fc.assert(fc.property(wholeLines, wholeDiscount, taxRate, shipping, (ls, d, rate, ship) => {
        const t = priceLines(ls, d, rate, ship, 100);
        for (const [field, amount] of Object.entries(t)) assert.equal(amount % 100, 0, `${field} ${amount}`);
        assert.equal(t.subtotal - t.discount + (t.shipping ?? 0) + t.tax, t.total);
        assert.ok(t.discount <= t.subtotal && t.total >= 0);
        // Within half a króna of the exact tax.
        assert.ok(Math.abs(t.tax * 10_000 - (t.subtotal - t.discount + (ship?.taxed ? t.shipping ?? 0 : 0)) * rate) <= 50 * 10_000);
      }));
    });
  });

  describe('with shipping', () => {
    const terms: fc.Arbitrary<ShippingTerms> = fc.record({
      rate: fc.record({ amount: fc.integer({ min: 0, max: 100_000 }), freeOverSubtotal: fc.option(fc.integer({ min: 0, max: 5_000_000 }), { nil: null }) }),
      taxed: fc.boolean(),
    });

    const worked: [what: string, lines: PricedLine[], discount: Discount | null, shipping: ShippingTerms, expected: Totals][] = [
      // $25.00 + $5.00 shipping; 8 % of $25.00 = $2.00 (shipping untaxed); $32.00.
      ['a flat rate, untaxed', [{ unitPrice: 2500, quantity: 1 }], null, { rate: { amount: 500, freeOverSubtotal: null }, taxed: false },
        { subtotal: 2500, discount: 0, shipping: 500, tax: 200, total: 3200 }],
      // 8 % of ($25.00 + $5.00) = $2.40; $32.40.
      ['a flat rate, taxed', [{ unitPrice: 2500, quantity: 1 }], null, { rate: { amount: 500, freeOverSubtotal: null }, taxed: true },
        { subtotal: 2500, discount: 0, shipping: 500, tax: 240, total: 3240 }],
      // $80.00 less 10 % = $72.00 of goods: under a $75 threshold, so $5 still applies; tax 8 % of $72.00 = $5.76.
      ['the threshold counts goods after the discount', [{ unitPrice: 8000, quantity: 1 }], { type: 'percentage', value: 10 },
        { rate: { amount: 500, freeOverSubtotal: 7500 }, taxed: false }, { subtotal: 8000, discount: 800, shipping: 500, tax: 576, total: 8276 }],
      // Exactly $75.00 of goods reaches the threshold.
      ['goods equal to the threshold ship free', [{ unitPrice: 7500, quantity: 1 }], null, { rate: { amount: 500, freeOverSubtotal: 7500 }, taxed: true },
        { subtotal: 7500, discount: 0, shipping: 0, tax: 600, total: 8100 }],
      // A fixed coupon bigger than the goods leaves shipping to pay: discounts never touch shipping.
      ['a coupon covering the goods leaves shipping', [{ unitPrice: 700, quantity: 1 }], { type: 'fixed', value: 1000 },
        { rate: { amount: 450, freeOverSubtotal: null }, taxed: true }, { subtotal: 700, discount: 700, shipping: 450, tax: 36, total: 486 }],
    ];
    for (const [what, ls, d, shipping, expected] of worked) {
      it(what, () => assert.deepEqual(priceLines(ls, d, 800, shipping), expected));
    }

    it('adds up, never goes negative, and is free exactly when the goods reach the threshold', () => {
      fc.assert(fc.property(lines, discount, taxRate, terms, (ls, d, rate, ship) => {
        const t = priceLines(ls, d, rate, ship);
        const goods = t.subtotal - t.discount;
        assert.equal(t.subtotal - t.discount + t.shipping! + t.tax, t.total);
        assert.ok(t.shipping! >= 0 && t.tax >= 0 && t.total >= 0);
        const free = ship.rate.freeOverSubtotal !== null && goods >= ship.rate.freeOverSubtotal;
        assert.equal(t.shipping, free ? 0 : ship.rate.amount);
        assert.equal(t.shipping, shippingCost(ship.rate, goods));
        for (const v of Object.values(t)) assert.ok(Number.isSafeInteger(v));
      }));
    });

    it('leaves the goods\' figures as they are without shipping, and taxes shipping only when told to', () => {
      fc.assert(fc.property(lines, discount, taxRate, terms, (ls, d, rate, ship) => {
        const plain = priceLines(ls, d, rate);
        const t = priceLines(ls, d, rate, ship);
        assert.deepEqual([t.subtotal, t.discount], [plain.subtotal, plain.discount]);
        const taxable = t.subtotal - t.discount + (ship.taxed ? t.shipping! : 0);
        assert.ok(Math.abs(t.tax * 10_000 - taxable * rate) <= 5_000);
        if (!ship.taxed) assert.equal(t.tax, plain.tax);
      }));
    });

    it('one more item lowers the total by at most the shipping it makes free', () => {
      fc.assert(fc.property(lines, line, discount, taxRate, terms, (ls, extra, d, rate, ship) => {
        const before = priceLines(ls, d, rate, ship);
        const after = priceLines([...ls, extra], d, rate, ship);
        assert.ok(after.total >= before.total - before.shipping! - (ship.taxed ? before.tax : 0));
        if (after.shipping === before.shipping) assert.ok(after.total >= before.total);
      }));
    });

    it('lists served countries once each, sorted, and addresses as label lines', () => {
      assert.deepEqual(servedCountries([{ countries: ['US', 'CA'] }, { countries: ['DE', 'US'] }]), ['CA', 'DE', 'US']);
      assert.deepEqual(addressLines({ line1: '1 Main St', line2: null, city: 'Berlin', state: null, postal_code: '10115', country: 'DE' }), ['1 Main St', '10115 Berlin', 'DE']);
      // The city line as the country's post writes it: a US shopper checks "Springfield, IL 62701".
      assert.deepEqual(addressLines({ line1: '12 Analytical Row', line2: 'Apt 2', city: 'Springfield', state: 'IL', postal_code: '62701', country: 'US' }), ['12 Analytical Row', 'Apt 2', 'Springfield, IL 62701', 'US']);
      assert.deepEqual(addressLines({ line1: '1 Rue', city: 'Ottawa', state: 'ON', postal_code: 'K1A 0B1', country: 'CA' }), ['1 Rue', 'Ottawa, ON K1A 0B1', 'CA']);
      assert.deepEqual(addressLines({ line1: '1 George St', city: 'Sydney', state: 'NSW', postal_code: '2000', country: 'AU' }), ['1 George St', 'Sydney NSW 2000', 'AU']);
      assert.deepEqual(addressLines({ line1: '10 Downing St', city: 'London', state: null, postal_code: 'SW1A 2AA', country: 'GB' }), ['10 Downing St', 'London SW1A 2AA', 'GB']);
      assert.deepEqual(addressLines({ line1: '1 Main St', city: 'Springfield', state: null, postal_code: null, country: 'US' }), ['1 Main St', 'Springfield', 'US']);
    });
  });
});
