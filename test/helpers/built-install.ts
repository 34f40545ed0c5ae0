/** What the tests of `npm start` and of a production install start from: the client builds (the
 * widget and the admin console in dist/, built once when missing) and the server's environment. */
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';

export const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';

/** dist/ as `npm run build` leaves it: the widget first, since its build empties dist/. */
export function ensureClientBuilds(): void {
  if (!existsSync('dist/checkout-cart.js')) execFileSync(npm, ['run', '--silent', 'build:widget'], { stdio: 'inherit' });
  if (!existsSync('dist/admin/index.html')) execFileSync(npm, ['run', '--silent', 'build:admin'], { stdio: 'inherit' });
}

/** A production server's environment with its data under `dir`: emulated Stripe, no Redis, no SMTP. */
export function installEnv(dir: string, port: number): Record<string, string> {
  return {
    NODE_ENV: 'production', PORT: String(port), HOST: '127.0.0.1', PUBLIC_URL: `http://127.0.0.1:${port}`, STRIPE_EMULATOR_PORT: '0',
    DATABASE_PATH: join(dir, 'data', 'shop.db'), MAIL_DIR: join(dir, 'data', 'mail'), REDIS_URL: '', SMTP_URL: '', STRIPE_SECRET_KEY: '',
  };
}
