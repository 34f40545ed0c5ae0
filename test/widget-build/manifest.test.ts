/**
 * The Custom Elements Manifest the build writes, against what it describes: package.json points at
 * it, its custom properties are the ones the element's CSS reads (with the same defaults), and
 * docs/widget.md shows its tables. (test/widget/contract.test.ts checks parts, events and
 * attributes on the rendered element.)
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { checkoutCart, docFile, manifestFile, withTables, type ElementDeclaration } from '../../scripts/widget-docs.ts';
import { cartPanelStyles } from '../../widget/cart/cart-panel.styles.ts';
import { styles } from '../../widget/checkout-cart/checkout-cart.styles.ts';
import { checkoutStyles } from '../../widget/checkout/checkout.styles.ts';

const packageJson = JSON.parse(readFileSync(fileURLToPath(new URL('../../package.json', import.meta.url)), 'utf8')) as { customElements?: string };

function declared(): ElementDeclaration {
  assert.ok(existsSync(manifestFile), 'dist/custom-elements.json is missing: run `npm run build` first (`npm test` does)');
  return checkoutCart(JSON.parse(readFileSync(manifestFile, 'utf8')));
}

/** `--checkout-*` properties the CSS reads, each with its first (light scheme) fallback. */
function propertiesRead(css: string): Map<string, string> {
  const read = new Map<string, string>();
  for (const match of css.matchAll(/var\((--checkout-[\w-]+)\s*(,?)/g)) {
    const name = match[1]!;
    let fallback = '';
    if (match[2]) {
      // The fallback runs to the parenthesis that closes this var(), over any nested ones.
      let depth = 0;
      let end = match.index + match[0].length;
      for (; end < css.length && (depth > 0 || css[end] !== ')'); end++) depth += css[end] === '(' ? 1 : css[end] === ')' ? -1 : 0;
      fallback = css.slice(match.index + match[0].length, end).trim();
    }
    if (!read.has(name)) read.set(name, fallback);
  }
  return read;
}

describe('custom-elements.json', () => {
  it('is the file package.json names as its customElements', () => {
    assert.equal(packageJson.customElements, 'dist/custom-elements.json');
    assert.equal(fileURLToPath(new URL(`../../${packageJson.customElements}`, import.meta.url)), manifestFile);
    assert.equal(declared().tagName, 'checkout-cart');
  });

  it('documents exactly the custom properties the element\'s CSS reads, with their light-scheme defaults', () => {
    const read = propertiesRead([styles, cartPanelStyles, checkoutStyles].map((sheet) => sheet.cssText).join('\n'));
    const documented = declared().cssProperties ?? [];
    assert.deepEqual(documented.map((p) => p.name).sort(), [...read.keys()].sort());
    for (const property of documented) {
      if (property.default !== undefined) assert.equal(property.default, read.get(property.name), `default of ${property.name}`);
      assert.match(property.type?.text ?? '', /^<[\w-]+>#?$/, `${property.name} has a CSS syntax type`);
      assert.ok(property.description, `${property.name} is described`);
    }
  });

  it('is what docs/widget.md shows (`npm run build` regenerates its tables)', () => {
    const doc = readFileSync(docFile, 'utf8');
    assert.equal(withTables(doc, declared()), doc);
  });
});
