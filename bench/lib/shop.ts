/** Setting up what the bench measures, through the server's own API (never timed). */
import { join } from 'node:path';
import type { BenchStore } from './stores.ts';

export const ADMIN_TOKEN = 'bench-admin-token-0123456789';
export const WEBHOOK_SECRET = 'whsec_bench_0123456789abcdefghijklmnop';
/** Budgets no bench reaches (a run makes well under 100k carts in a window), so the rate limiter
 * still does its work on every request it guards: the most RATE_LIMITS accepts. */
export const RATE_LIMITS = ['cartsPerIp', 'couponPerIp', 'couponPerCart', 'checkoutsPerIp', 'checkoutsPerCart'].map((name) => `${name}=1000000/600`).join(',');
export const PRODUCTS = ['tee-black', 'tee-white', 'hoodie-grey', 'mug-stone', 'cap-navy', 'print-limited'];

export async function api<T>(url: string, method: string, path: string, json?: unknown, headers: Record<string, string> = {}): Promise<T> {
  const res = await fetch(url + path, {
    method, body: json === undefined ? undefined : JSON.stringify(json),
    headers: { ...(json === undefined ? {} : { 'content-type': 'application/json' }), ...headers },
  });
  const text = await res.text();
  if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${text}`);
  return JSON.parse(text) as T;
}

/** Runs `work(i)` for i < count with `limit` in flight. */
export async function inParallel(count: number, limit: number, work: (i: number) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(Array.from({ length: Math.min(limit, count) }, async () => {
    while (next < count) await work(next++);
  }));
}

interface CartCreated { cart: { id: string } }

export async function makeCart(url: string, lines: [string, number][], coupon?: string): Promise<string> {
  const { cart } = await api<CartCreated>(url, 'POST', '/api/carts');
  for (const [productId, quantity] of lines) await api(url, 'POST', `/api/carts/${cart.id}/items`, { productId, quantity });
  if (coupon) await api(url, 'POST', `/api/carts/${cart.id}/coupon`, { code: coupon });
  return cart.id;
}

/** Stock no bench can sell out, so every checkout and PATCH is a success, not an out_of_stock. */
export async function plentyOfStock(url: string): Promise<void> {
  for (const id of PRODUCTS) {
    await api(url, 'POST', `/api/admin/products/${id}/stock`, { set: 1_000_000, reason: 'bench' }, { authorization: `Bearer ${ADMIN_TOKEN}` });
  }
}

export function pick<T>(pool: readonly T[]): () => T {
  let i = 0;
  return () => pool[i++ % pool.length]!;
}

/**
 * The server's environment: a fresh data folder, a known webhook secret, and Stripe: the emulator
 * at `stripeApiUrl` (a process of its own, bench/targets/stripe-emulator.mjs), or without it the
 * bundled one started in the server's process on a free port, as `npm start` does.
 */
export function serverEnv(dir: string, store: BenchStore, stripeApiUrl = ''): Record<string, string> {
  return {
    NODE_ENV: 'production', DATABASE_PATH: join(dir, 'checkout.db'), MAIL_DIR: join(dir, 'mail'), STRIPE_EMULATOR_PORT: '0',
    STRIPE_WEBHOOK_SECRET: WEBHOOK_SECRET, ADMIN_TOKEN, RATE_LIMITS, REDIS_URL: '', STRIPE_API_URL: stripeApiUrl, STRIPE_SECRET_KEY: '',
    ...store.env,
  };
}

