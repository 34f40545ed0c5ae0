/**
 * Builds the widget into ES modules that the server serves: `dist/checkout-cart.js` (at
 * `/checkout-cart.js`) and the chunks it imports on demand. Lit is bundled; Stripe.js is not (it
 * loads from the server-named URL when a checkout starts) and neither is zod (the widget imports
 * only types from shared/api.ts).
 *
 * Not library mode: that keeps whitespace in ES output for downstream bundlers, but this file goes
 * straight to browsers, so it is minified in full.
 */
import { defineConfig } from 'vite';

export default defineConfig({
  publicDir: false,
  logLevel: 'warn',
  // Always Lit's production build. Vite's default conditions end in 'development|production',
  // which follows NODE_ENV: `NODE_ENV=development npm start` would ship Lit's dev mode (its console
  // warning, its extra checks and 14 KB) to every shopper.
  resolve: { conditions: ['module', 'browser', 'production'] },
  define: { 'process.env.NODE_ENV': JSON.stringify('production') },
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
