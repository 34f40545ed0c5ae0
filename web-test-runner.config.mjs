// Browser tests for the <checkout-cart> widget: Debian's Chromium through Playwright, against the
// real server, which the harness plugin starts once per run. Run through `npm run test:widget`
// (node --import tsx), so this file can load the TypeScript harness.
import { esbuildPlugin } from '@web/dev-server-esbuild';
import { playwrightLauncher } from '@web/test-runner-playwright';
import { checkoutServerPlugin } from './test/widget/harness/plugin.ts';

export default {
  rootDir: '.',
  files: ['test/widget/**/*.test.ts'],
  nodeResolve: { exportConditions: ['production'] },
  // One page at a time: focus and keyboard tests need the page to own the browser's focus.
  concurrency: 1,
  browsers: [
    playwrightLauncher({
      product: 'chromium',
      launchOptions: {
        executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
        headless: true,
        args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
      },
    }),
  ],
  plugins: [esbuildPlugin({ ts: true, target: 'es2022', tsconfig: 'tsconfig.json' }), checkoutServerPlugin()],
  testFramework: { config: { timeout: 20000 } },
  testsFinishTimeout: 300000,
};
