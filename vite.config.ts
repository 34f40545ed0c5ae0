/**
 * Builds the widget into ES modules that the server serves: `dist/checkout-cart.js` (at
 * `/checkout-cart.js`) and the chunks it imports on demand. Lit is bundled; Stripe.js is not (it
 * loads from the server-named URL when a checkout starts) and neither is zod (the widget imports
 * only types from shared/api.ts).
 *
 * Not library mode: that keeps whitespace in ES output for downstream bundlers, but this file goes
 * straight to browsers, so it is minified in full.
 */
import { createHash } from 'node:crypto';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { defineConfig, type Plugin } from 'vite';

const ENTRY = 'checkout-cart.js';
const CHUNKS = 'chunks';

/**
 * dist/ holds other builds too (the admin console), so the widget's build does not empty it: it
 * removes only what it writes, the script and its chunks (whose hashed names change every build).
 */
function replaceWidgetOutput(): Plugin {
  let outDir = '';
  return {
    name: 'replace-widget-output',
    configResolved: (config) => void (outDir = resolve(config.root, config.build.outDir)),
    buildStart() {
      rmSync(join(outDir, CHUNKS), { recursive: true, force: true });
      for (const file of [ENTRY, `${ENTRY}.sri`]) rmSync(join(outDir, file), { force: true });
    },
  };
}

/**
 * `checkout-cart.js.sri` beside the script: its Subresource Integrity hash, for merchants who pin
 * the script they embed (`integrity="sha384-..."`). Hashed from the file as written, after every
 * other plugin had its say.
 */
const integrityHash: Plugin = {
  name: 'integrity-hash',
  writeBundle(options) {
    const file = join(options.dir!, ENTRY);
    const hash = createHash('sha384').update(readFileSync(file)).digest('base64');
    writeFileSync(`${file}.sri`, `sha384-${hash}\n`);
  },
};

/**
 * Vite wraps every dynamic import in a 3 KB helper that first preloads the chunk's CSS and module
 * dependencies. The widget has nothing of the kind to preload (its CSS is in its JavaScript,
 * `modulePreload` is off), so the helper is replaced by a plain call.
 */
const PRELOAD_HELPER = '\0vite/preload-helper.js';
const plainDynamicImports: Plugin = {
  name: 'plain-dynamic-imports',
  enforce: 'pre',
  resolveId: (id) => (id === PRELOAD_HELPER ? id : undefined),
  load: (id) => (id === PRELOAD_HELPER ? 'export const __vitePreload = (load) => load();' : undefined),
};

/**
 * Lit keeps CSS as written in its css`...` literals, and minifiers leave template literals alone:
 * comments and layout whitespace would ship to every page. The widget's styles have no `${}`
 * interpolations, so plain text rules suffice: drop comments, collapse whitespace, drop the spaces
 * around punctuation that never needs them (a space before `:` or `(` can be a descendant
 * combinator, so those stay), the last `;` of a block and the leading zero of `0.5`.
 */
function minifyCss(text: string): string {
  return text.replace(/\/\*[\s\S]*?\*\//g, '').replace(/\s+/g, ' ').replace(/\s*([{};,>])\s*/g, '$1').replace(/: /g, ':')
    .replace(/;}/g, '}').replace(/([\s:(,])0\.(\d)/g, '$1.$2').trim();
}
const minifiedStyles: Plugin = {
  name: 'minified-styles',
  transform(code, id) {
    if (!id.endsWith('.styles.ts')) return undefined;
    return code.replace(/\bcss`([^`$]*)`/g, (_, text: string) => `css\`${minifyCss(text)}\``);
  },
};

export default defineConfig({
  // Relative, never the page's origin: the chunks live beside the script wherever it is served from.
  base: './',
  publicDir: false,
  plugins: [replaceWidgetOutput(), plainDynamicImports, minifiedStyles, integrityHash],
  logLevel: 'warn',
  // Always Lit's production build. Vite's default conditions end in 'development|production',
  // which follows NODE_ENV: `NODE_ENV=development npm start` would ship Lit's dev mode (its console
  // warning, its extra checks and 14 KB) to every shopper.
  resolve: { conditions: ['module', 'browser', 'production'] },
  define: { 'process.env.NODE_ENV': JSON.stringify('production') },
  build: {
    outDir: 'dist',
    emptyOutDir: false,
    target: 'es2022',
    minify: true,
    sourcemap: false,
    modulePreload: false,
    reportCompressedSize: false,
    rolldownOptions: {
      input: 'widget/checkout-cart/checkout-cart.ts',
      preserveEntrySignatures: 'allow-extension',
      // The checkout and each locale pack are chunks the first script imports on demand. Vite
      // writes those imports relative to the importing module, so they resolve against the
      // script's own URL: a merchant's page on another origin loads them from the shop.
      output: { format: 'es', entryFileNames: ENTRY, chunkFileNames: `${CHUNKS}/[name]-[hash].js` },
    },
  },
});
