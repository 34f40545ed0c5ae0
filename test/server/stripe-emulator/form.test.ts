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

  it('refuse names that are no Stripe parameter, including ones aimed at Object.prototype, rather than drop them', () => {
    assert.throws(() => parse('a]b=1&ok=yes'), { message: 'Invalid parameter name: a]b' });
    assert.throws(() => parse('ok=yes&__proto__[x]=1'), { message: 'Received unknown parameter: __proto__[x]' });
    assert.throws(() => parse('m[__proto__][y]=2'), { message: 'Received unknown parameter: m[__proto__][y]' });
    assert.equal(({} as Record<string, unknown>).x, undefined);
  });

  it('refuse metadata keys with brackets, as Stripe does', () => {
    assert.throws(() => parse('metadata[a[b]]=1'), /Metadata keys can't contain square brackets/);
  });
});
