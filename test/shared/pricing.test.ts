import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { priceLines, discountOf, taxOf, type Discount, type PricedLine } from '../../shared/pricing.ts';
import { divideRounded } from '../../shared/rounding.ts';

const line = fc.record({ unitPrice: fc.integer({ min: 0, max: 1_000_000 }), quantity: fc.integer({ min: 1, max: 99 }) });
const lines = fc.array(line, { maxLength: 20 });
const discount: fc.Arbitrary<Discount | null> = fc.oneof(
  fc.constant(null),
  fc.record({ type: fc.constant('percentage' as const), value: fc.integer({ min: 1, max: 100 }) }),
  fc.record({ type: fc.constant('fixed' as const), value: fc.integer({ min: 1, max: 10_000_000 }) }),
);
const taxRate = fc.integer({ min: 0, max: 5_000 });

describe('pricing', () => {
  it('never discounts more than the subtotal', () => {
    fc.assert(fc.property(lines, discount, taxRate, (ls, d, rate) => {
      const t = priceLines(ls, d, rate);
      assert.ok(t.discount >= 0 && t.discount <= t.subtotal);
    }));
  });

  it('never makes a negative total, and total = subtotal - discount + tax', () => {
    fc.assert(fc.property(lines, discount, taxRate, (ls, d, rate) => {
      const t = priceLines(ls, d, rate);
      assert.ok(t.total >= 0);
      assert.equal(t.total, t.subtotal - t.discount + t.tax);
      for (const v of Object.values(t)) assert.ok(Number.isSafeInteger(v));
    }));
  });

  it('gives the same totals whatever the order of the lines', () => {
    fc.assert(fc.property(lines, discount, taxRate, fc.integer(), (ls, d, rate, seed) => {
      const shuffled = [...ls].sort((a, b) => ((a.unitPrice * 31 + a.quantity) ^ seed) - ((b.unitPrice * 31 + b.quantity) ^ seed));
      assert.deepEqual(priceLines(shuffled, d, rate), priceLines(ls, d, rate));
    }));
  });

  it('recomputes a percentage coupon when the cart changes', () => {
    fc.assert(fc.property(lines, line, fc.integer({ min: 1, max: 100 }), (ls, extra, pct) => {
      const d: Discount = { type: 'percentage', value: pct };
      const before = priceLines(ls, d, 0);
      const after = priceLines([...ls, extra], d, 0);
      assert.equal(after.discount, divideRounded(after.subtotal * pct, 100));
      assert.equal(before.discount, divideRounded(before.subtotal * pct, 100));
    }));
  });

  it('follows the worked example of the design: $100 cart, 15 %, 8 % tax', () => {
    const ls: PricedLine[] = [{ unitPrice: 2500, quantity: 2 }, { unitPrice: 5000, quantity: 1 }];
    assert.deepEqual(priceLines(ls, { type: 'percentage', value: 15 }, 800), { subtotal: 10000, discount: 1500, tax: 680, total: 9180 });
    // The same coupon once the cart drops to $40 takes 15 % of $40, not of $100.
    assert.deepEqual(priceLines([{ unitPrice: 4000, quantity: 1 }], { type: 'percentage', value: 15 }, 800), { subtotal: 4000, discount: 600, tax: 272, total: 3672 });
  });

  it('caps a fixed coupon at the subtotal', () => {
    assert.equal(discountOf(700, { type: 'fixed', value: 1000 }), 700);
    assert.deepEqual(priceLines([{ unitPrice: 700, quantity: 1 }], { type: 'fixed', value: 1000 }, 800), { subtotal: 700, discount: 700, tax: 0, total: 0 });
  });

  it('taxes the discounted amount and rounds halves away from zero', () => {
    assert.equal(taxOf(1, 5000), 1); // 0.5 -> 1
    assert.equal(taxOf(3, 5000), 2); // 1.5 -> 2
    assert.equal(taxOf(1, 4999), 0);
    assert.equal(divideRounded(-3, 2), -2);
    assert.equal(divideRounded(5, 10), 1);
    assert.equal(divideRounded(4, 10), 0);
  });
});
