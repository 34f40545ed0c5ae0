/** The built widget as the node tests see it: dist/checkout-cart.js and the chunks it may load (dist/chunks/). */
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const distDir = fileURLToPath(new URL('../../dist/', import.meta.url));
export const ENTRY = 'checkout-cart.js';

/** The widget's scripts in a build folder, relative to it, the entry first: dist/ also holds other builds. */
export function widgetScriptsIn(dir: string): string[] {
  const chunksDir = join(dir, 'chunks');
  const chunks = existsSync(chunksDir) ? readdirSync(chunksDir).filter((name) => name.endsWith('.js')).sort().map((name) => `chunks/${name}`) : [];
  return [ENTRY, ...chunks];
}

/** The built scripts by path relative to dist/, the entry first; fails clearly when nothing is built. */
export function builtScripts(dir = distDir): Map<string, string> {
  assert.ok(existsSync(join(dir, ENTRY)), `${ENTRY} is missing: run \`npm run build\` first (\`npm test\` does)`);
  return new Map(widgetScriptsIn(dir).map((name) => [name, readFileSync(join(dir, name), 'utf8')]));
}
