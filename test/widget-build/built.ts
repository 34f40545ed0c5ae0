/** The built widget as the node tests see it: dist/checkout-cart.js and every chunk it may load. */
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

export const distDir = fileURLToPath(new URL('../../dist/', import.meta.url));
export const entryFile = join(distDir, 'checkout-cart.js');

/** Every JavaScript file under `dir`, as paths relative to it, sorted. */
export function scriptsUnder(dir: string): string[] {
  const found: string[] = [];
  const walk = (folder: string) => {
    for (const entry of readdirSync(folder, { withFileTypes: true })) {
      const path = join(folder, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (entry.name.endsWith('.js')) found.push(relative(dir, path));
    }
  };
  walk(dir);
  return found.sort();
}

/** The built scripts by path relative to dist/, the entry first; fails clearly when nothing is built. */
export function builtScripts(): Map<string, string> {
  assert.ok(existsSync(entryFile), 'dist/checkout-cart.js is missing: run `npm run build` first (`npm test` does)');
  const names = scriptsUnder(distDir).sort((a, b) => Number(b === 'checkout-cart.js') - Number(a === 'checkout-cart.js'));
  return new Map(names.map((name) => [name, readFileSync(join(distDir, name), 'utf8')]));
}
