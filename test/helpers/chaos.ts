/**
 * What the chaos tests (test/chaos) share: a seed that is printed so a failing run can be replayed,
 * a random source drawn from it, the one summary line each part prints, and looks at a server
 * process's database (either engine) and dev mailbox from outside the process.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type Stripe from 'stripe';
import type { Db } from '../../server/db/database.ts';
import { sqlRows, sqlValue } from './db.ts';

/** `CHAOS_SEED` when set (to replay a run), else a fresh one; printed either way. */
export function chaosSeed(part: string): number {
  const given = process.env.CHAOS_SEED;
  const seed = given ? Number(given) >>> 0 : Math.floor(Math.random() * 2 ** 32);
  console.log(`chaos ${part}: seed=${seed} (replay with CHAOS_SEED=${seed})`);
  return seed;
}

export interface SeededRandom {
  /** In [0, 1). */
  next(): number;
  /** An integer in [min, max]. */
  int(min: number, max: number): number;
  pick<T>(items: readonly T[]): T;
}

/** mulberry32: small, fast and the same on every machine for a given seed. */
export function seededRandom(seed: number): SeededRandom {
  let state = seed >>> 0;
  const next = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 2 ** 32;
  };
  const int = (min: number, max: number) => min + Math.floor(next() * (max - min + 1));
  return { next, int, pick: (items) => items[int(0, items.length - 1)]! };
}

export interface ChaosCounts {
  requests: number;
  faults: number;
  ordersExpected: number;
  ordersFound: number;
  duplicates: number;
  lost: number;
  serverErrors: number;
}

/** The line every part prints, in one format so CI logs can be compared run to run. */
export function printSummary(part: string, c: ChaosCounts): void {
  console.log(`chaos ${part}: requests=${c.requests} faults=${c.faults} orders expected=${c.ordersExpected} found=${c.ordersFound} duplicates=${c.duplicates} lost=${c.lost} 5xx=${c.serverErrors}`);
}

export interface OrderLedger {
  /** Orders in the database. */
  found: number;
  /** Orders beyond the first for one checkout, plus confirmation emails beyond the first for one order. */
  duplicates: number;
  /** Succeeded PaymentIntents with neither an order nor an automatic refund. */
  lost: string[];
  /** Confirmation emails in the dev mailbox, by order number. */
  confirmations: Map<string, number>;
}

/** Every succeeded payment against what the server made of it: orders, refunds and emails. */
export async function orderLedger(db: Db, mailDir: string, succeededIntentIds: string[]): Promise<OrderLedger> {
  const orders = await sqlRows<{ checkout_id: string; payment_intent_id: string }>(db, 'SELECT checkout_id, payment_intent_id FROM orders');
  const refunds = await sqlRows<{ payment_intent_id: string }>(db, 'SELECT payment_intent_id FROM automatic_refunds');
  const settled = new Set([...orders, ...refunds].map((r) => r.payment_intent_id));
  const confirmations = tally(mailSubjects(mailDir).map((s) => / order (\S+) confirmed$/.exec(s)?.[1]).filter((n) => n !== undefined));
  const excess = (counts: Map<string, number>) => [...counts.values()].reduce((sum, n) => sum + n - 1, 0);
  return {
    found: orders.length,
    duplicates: excess(tally(orders.map((o) => o.checkout_id))) + excess(confirmations),
    lost: succeededIntentIds.filter((id) => !settled.has(id)),
    confirmations,
  };
}

/** Emails queued and not yet sent (or being sent). */
export function outboxBusy(db: Db): Promise<number> {
  return sqlValue<number>(db, "SELECT COUNT(*) AS n FROM outbox WHERE status IN ('pending', 'sending')");
}

function tally(keys: string[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const key of keys) counts.set(key, (counts.get(key) ?? 0) + 1);
  return counts;
}

/** Subjects of the emails in a dev mailbox folder (one JSON file each). */
export function mailSubjects(mailDir: string): string[] {
  let names: string[];
  try {
    names = readdirSync(mailDir);
  } catch {
    return [];
  }
  return names.filter((n) => n.endsWith('.json'))
    .map((n) => (JSON.parse(readFileSync(join(mailDir, n), 'utf8')) as { subject: string }).subject);
}

/** Confirms a PaymentIntent as Stripe.js's confirmPayment does, with a return_url for cards that redirect. */
export function confirmPayment(stripe: Stripe, paymentIntentId: string, paymentMethod = 'pm_card_visa'): Promise<Stripe.PaymentIntent> {
  return stripe.paymentIntents.confirm(paymentIntentId, { payment_method: paymentMethod, return_url: 'http://127.0.0.1/checkout/return' });
}

/** Polls `done` up to `attempts` times, 100 ms apart; whether it came true. The caller asserts what it needs. */
export async function settles(done: () => boolean | Promise<boolean>, attempts: number): Promise<boolean> {
  for (let i = 0; i < attempts; i++) {
    if (await done()) return true;
    await new Promise((r) => setTimeout(r, 100));
  }
  return done();
}
