/**
 * The Stripe emulator as a process of its own for the bench, as Stripe is to a production server:
 * the server's figures then hold the server's work only, not the emulator's (its API, its webhook
 * deliveries, the SQLite file it keeps its state in). Bundled or through tsx, like
 * bench/targets/checkout-server.mjs. Every endpoint created through its API signs with
 * STRIPE_WEBHOOK_SECRET. Prints `BENCH_READY <port>` on stderr once it serves.
 */
import { startStripeEmulator } from '../../server/stripe-emulator/index.ts';

const emulator = await startStripeEmulator({ port: 0, host: '127.0.0.1', webhookSecret: process.env.STRIPE_WEBHOOK_SECRET });
console.error(`BENCH_READY ${new URL(emulator.url).port}`);
process.on('SIGTERM', () => { void emulator.close().finally(() => process.exit(0)); });
