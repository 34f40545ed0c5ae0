/** The Stripe emulator as its own process (`npm run stripe:emulator`), as Stripe is to the servers. */
import { spawn } from 'node:child_process';
import type Stripe from 'stripe';
import { stripeClientFor } from '../../server/stripe-emulator/index.ts';
import { eventually } from './main-process.ts';

export interface EmulatorProcess {
  /** e.g. http://127.0.0.1:41234, for STRIPE_API_URL */
  url: string;
  /** An SDK client for it, as a shopper's Stripe.js or a test would use. */
  stripe: Stripe;
  /** SIGTERM, and resolves once it has exited. */
  stop(): Promise<void>;
}

/** Starts it on a free port; `env` adds to its environment (e.g. STRIPE_EMULATOR_WEBHOOK_RETRY_MS). */
export async function startEmulatorProcess(env: Record<string, string> = {}): Promise<EmulatorProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'server/stripe-emulator/main.ts'], {
    env: { ...process.env, STRIPE_EMULATOR_PORT: '0', STRIPE_WEBHOOK_SECRET: '', ...env }, stdio: ['ignore', 'pipe', 'inherit'],
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  let output = '';
  child.stdout.on('data', (d: Buffer) => { output += d.toString(); });
  const url = await eventually(() => {
    if (child.exitCode !== null) throw new Error(`the emulator exited on start:\n${output}`);
    return /Stripe emulator on (http:\/\/\S+)/.exec(output)?.[1];
  }, `the emulator's banner:\n${output}`);
  return {
    url, stripe: stripeClientFor(url),
    stop: async () => {
      if (child.exitCode === null) child.kill('SIGTERM');
      await exited;
    },
  };
}
