import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseForm } from '../../../server/stripe-emulator/http/form.ts';

const parse = (body: string) => parseForm(new URLSearchParams(body));

describe('form bodies', () => {
  it('read nested keys as objects and indexed or empty-bracket keys as arrays', () => {
    assert.deepEqual(
      parse('amount=100&metadata[order]=7&payment_method_data[card][number]=4242&expand[0]=a&expand[1]=b&types[]=x&types[]=y'),
      { amount: '100', metadata: { order: '7' }, payment_method_data: { card: { number: '4242' } }, expand: ['a', 'b'], types: ['x', 'y'] },
    );
  });

  it('ignore keys that are not Stripe parameters, including ones aimed at Object.prototype', () => {
    assert.deepEqual(parse('a]b=1&__proto__[x]=1&m[__proto__][y]=2&ok=yes'), { ok: 'yes' });
    assert.equal(({} as Record<string, unknown>).x, undefined);
  });
});
