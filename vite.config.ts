/**
 * Builds the widget into one ES module, `dist/checkout-cart.js`, that the server serves at
 * `/checkout-cart.js`. Lit is bundled; Stripe.js is not (it loads from the server-named URL when
 * a checkout starts) and neither is zod (the widget imports only types from shared/api.ts).
 *
 * Not library mode: that keeps whitespace in ES output for downstream bundlers, but this file goes
 * straight to browsers, so it is minified in full.
 */
import { defineConfig } from 'vite';

export default defineConfig({
  publicDir: false,
  logLevel: 'warn',
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    target: 'es2022',
    minify: true,
    sourcemap: false,
    modulePreload: false,
    reportCompressedSize: false,
    rolldownOptions: {
      input: 'widget/checkout-cart/checkout-cart.ts',
      preserveEntrySignatures: 'exports-only',
      output: { format: 'es', entryFileNames: 'checkout-cart.js', codeSplitting: false },
    },
  },
});
