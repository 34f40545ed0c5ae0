import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { MAX_QUANTITY } from '../../shared/api.ts';
import { MAX_QUANTITY_PER_LINE } from '../../widget/checkout-cart/limits.ts';

const built = fileURLToPath(new URL('../../dist/checkout-cart.js', import.meta.url));
const BUDGET_BYTES = 25 * 1024;

describe('the built widget (dist/checkout-cart.js)', () => {
  const source = () => {
    assert.ok(existsSync(built), 'dist/checkout-cart.js is missing: run `npm run build` first (`npm test` does)');
    return readFileSync(built, 'utf8');
  };

  it(`is at most ${BUDGET_BYTES / 1024} KB gzipped`, () => {
    const size = gzipSync(source(), { level: 9 }).length;
    assert.ok(size <= BUDGET_BYTES, `gzip size ${size} bytes is over the ${BUDGET_BYTES} byte budget`);
  });

  it('bundles neither Stripe.js nor zod, and never evaluates strings (strict CSP)', () => {
    const code = source();
    assert.equal(/ZodError|zod/.test(code), false, 'zod is bundled: import only types from shared/api.ts');
    assert.equal(code.includes('js.stripe.com'), false, 'a Stripe.js loader is bundled');
    assert.equal(/\beval\(|new Function\(/.test(code), false, 'eval or new Function would break under a strict CSP');
  });

  it('is one self-contained ES module (no imports to resolve)', () => {
    assert.equal(/^\s*import\s|\bimport\(/m.test(source()), false);
  });

  it('limits a line to the server\'s maximum quantity', () => {
    assert.equal(MAX_QUANTITY_PER_LINE, MAX_QUANTITY);
  });
});
