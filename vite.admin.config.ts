/**
 * Builds the merchant's console (admin/console/) into dist/admin/, served at /admin: a page, its
 * script and its stylesheet, all from the server's own origin (its CSP allows nothing inline).
 * Lit and Chart.js are bundled. Runs after the widget's build, which empties dist/.
 */
import { defineConfig } from 'vite';

export default defineConfig({
  root: 'admin/console',
  base: '/admin/',
  publicDir: false,
  logLevel: 'warn',
  // Lit's production build whatever NODE_ENV says (as the widget's build does).
  resolve: { conditions: ['module', 'browser', 'production'] },
  define: { 'process.env.NODE_ENV': JSON.stringify('production') },
  build: {
    outDir: '../../dist/admin',
    emptyOutDir: true,
    target: 'es2022',
    sourcemap: false,
    reportCompressedSize: false,
    // The preload polyfill would be an inline script; every browser the console supports has modulepreload.
    modulePreload: { polyfill: false },
    // Images become files, never data: URLs in styles.
    assetsInlineLimit: 0,
  },
});
