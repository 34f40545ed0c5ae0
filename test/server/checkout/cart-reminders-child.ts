/**
 * One sweeping process for the cross-process reminder test: a server's services, composed as
 * `npm start` composes them, on the database named in argv, running the reminder pass with its
 * clock `offsetMs` ahead. Once it has read the reminders due it prints `due <n>` and waits for
 * `claim` on stdin, so every process holds the same work list before any claims from it; then it
 * prints `sent <n>` and exits.
 */
import { createInterface } from 'node:readline';
import { readEnv } from '../../../server/config.ts';
import { composeServices } from '../../../server/compose.ts';
import { silentLogger } from '../../../server/logger.ts';
import { sendCartReminders } from '../../../server/checkout/cart-reminders.ts';

const { url, path, publicUrl, mailDir, offsetMs } = JSON.parse(process.argv[2]!) as { url?: string; path: string; publicUrl: string; mailDir: string; offsetMs: number };
const env = readEnv({
  NODE_ENV: 'test', PUBLIC_URL: publicUrl, DATABASE_PATH: path, ...(url ? { DATABASE_URL: url } : {}), MAIL_DIR: mailDir,
  // The reminder pass never calls Stripe; keys of "real" Stripe (never used) keep this process from
  // starting an emulator of its own on the shop's files or registering a webhook endpoint.
  STRIPE_SECRET_KEY: 'sk_test_unused_by_the_reminder_pass', STRIPE_PUBLISHABLE_KEY: 'pk_test_unused', STRIPE_WEBHOOK_SECRET: 'whsec_unused',
});
const services = await composeServices(env, { logger: silentLogger, port: 0, jobs: false, clock: () => Date.now() + offsetMs });
const lines = createInterface({ input: process.stdin })[Symbol.asyncIterator]();

const checkouts = services.checkout.checkouts;
const held = Object.assign(Object.create(checkouts) as typeof checkouts, {
  reminderDue: async (query: Parameters<typeof checkouts.reminderDue>[0]) => {
    const due = await checkouts.reminderDue(query);
    if (query.remindersSent === 0) {
      process.stdout.write(`due ${due.length}\n`);
      if ((await lines.next()).value !== 'claim') throw new Error('expected "claim"');
    }
    return due;
  },
});
const sent = await sendCartReminders({ ...services.checkout, checkouts: held });
await services.close();
process.stdout.write(`sent ${sent}\n`);
process.exit(0);
