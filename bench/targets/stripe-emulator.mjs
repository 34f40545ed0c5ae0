/**
 * The Stripe emulator as a process of its own for the bench, as Stripe is to a production server:
 * the server's figures then hold the server's work only, not the emulator's (its API, its webhook
 * deliveries, the SQLite file it keeps its state in). Compiled (BENCH_SERVER_BUILD) or through tsx,
 * like bench/targets/checkout-server.mjs. Every endpoint created through its API signs with
 * STRIPE_WEBHOOK_SECRET. Prints `BENCH_READY <port>` on stderr once it serves.
 */
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

const build = process.env.BENCH_SERVER_BUILD;
const from = (path) => (build ? pathToFileURL(join(build, `${path}.js`)).href : new URL(`../../${path}.ts`, import.meta.url).href);
const { startStripeEmulator } = await import(from('server/stripe-emulator/index'));

const emulator = await startStripeEmulator({ port: 0, host: '127.0.0.1', webhookSecret: process.env.STRIPE_WEBHOOK_SECRET });
console.error(`BENCH_READY ${new URL(emulator.url).port}`);
process.on('SIGTERM', () => { void emulator.close().finally(() => process.exit(0)); });
