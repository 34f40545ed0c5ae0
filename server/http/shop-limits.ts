/**
 * The shop's rate limits in one place: which requests are counted, per what, and how many a
 * key may make. The defaults sit far above what a shopper does (one cart, a code or two, a few
 * checkout attempts) and leave room for many shoppers behind one address (an office, a mobile
 * carrier's NAT), while stopping scripts that guess coupon codes or open checkouts in bulk.
 * `RATE_LIMITS` overrides any of them: `couponPerIp=20/600,checkoutsPerCart=5/600`, or `off`.
 */
import type { Context, MiddlewareHandler } from 'hono';
import { every } from 'hono/combine';
import { z } from 'zod';
import { cartIdParam } from '../../shared/api.ts';
import { clientIp } from './client-ip.ts';
import { memoryStore, rateLimit, type Budget, type LimiterStore } from './rate-limit.ts';

const TEN_MINUTES = 600;
const MAX_POINTS = 1_000_000;
const MAX_DURATION_SECONDS = 30 * 86_400;

export const defaultBudgets = {
  /** `POST /api/carts`: the widget makes one per browser and keeps it. */
  cartsPerIp: { points: 100, duration: TEN_MINUTES },
  /** `POST /api/carts/:id/coupon`, applied or refused alike: coupon guessing. */
  couponPerIp: { points: 50, duration: TEN_MINUTES },
  couponPerCart: { points: 10, duration: TEN_MINUTES },
  /** `POST /api/carts/:id/checkout`: each one holds stock and talks to Stripe. */
  checkoutsPerIp: { points: 50, duration: TEN_MINUTES },
  checkoutsPerCart: { points: 20, duration: TEN_MINUTES },
} satisfies Record<string, Budget>;

export type BudgetName = keyof typeof defaultBudgets;
export type Budgets = Record<BudgetName, Budget>;

const budgetNames = Object.keys(defaultBudgets) as BudgetName[];

/** The `RATE_LIMITS` variable: empty for the defaults, `off`, or `name=points/seconds,...`. */
export const rateLimitsSetting = z.string().trim().default('').transform((value, ctx): Budgets | 'off' => {
  if (value.toLowerCase() === 'off') return 'off';
  const budgets: Budgets = { ...defaultBudgets };
  for (const entry of value.split(',').map((e) => e.trim()).filter(Boolean)) {
    const match = /^(\w+)=(\d+)\/(\d+)$/.exec(entry);
    const name = match?.[1] as BudgetName | undefined;
    const [points, duration] = [Number(match?.[2]), Number(match?.[3])];
    if (!match || !budgetNames.includes(name!) || points < 1 || duration < 1) {
      ctx.addIssue({ code: 'custom', message: `"${entry}" is not name=points/seconds with a name from ${budgetNames.join(', ')}` });
      return z.NEVER;
    }
    // Far past any sensible budget, and a window's end must fit the counters' columns (a duration
    // of 1e17 s overflowed PostgreSQL's bigint, and every count then failed open).
    if (points > MAX_POINTS || duration > MAX_DURATION_SECONDS) {
      ctx.addIssue({ code: 'custom', message: `"${entry}": at most ${MAX_POINTS} points per at most ${MAX_DURATION_SECONDS} seconds (30 days)` });
      return z.NEVER;
    }
    budgets[name!] = { points, duration };
  }
  return budgets;
});

/** Middlewares for the routes that spend budgets. */
export interface ShopLimits {
  cartCreation: MiddlewareHandler;
  couponAttempt: MiddlewareHandler;
  checkoutStart: MiddlewareHandler;
}

const unlimited: MiddlewareHandler = (_c, next) => next();

/** The cart a request names, when it is a well-formed cart id (a malformed one is a 404 anyway). */
const cartKey = (c: Context): string | undefined => {
  const id = cartIdParam.safeParse(c.req.param('id'));
  return id.success ? id.data : undefined;
};

export function shopLimits({ budgets = defaultBudgets, store = memoryStore(), ip = clientIp() }: {
  budgets?: Budgets | 'off';
  store?: LimiterStore;
  /** Whose address a request comes from: see client-ip.ts for proxies. */
  ip?: (c: Context) => string;
} = {}): ShopLimits {
  if (budgets === 'off') return { cartCreation: unlimited, couponAttempt: unlimited, checkoutStart: unlimited };
  const limit = (name: BudgetName, key: (c: Context) => string | undefined) => rateLimit({ name, budget: budgets[name], key, store });
  // Per address first: a request refused there spends nothing of its cart's budget.
  return {
    cartCreation: limit('cartsPerIp', ip),
    couponAttempt: every(limit('couponPerIp', ip), limit('couponPerCart', cartKey)),
    checkoutStart: every(limit('checkoutsPerIp', ip), limit('checkoutsPerCart', cartKey)),
  };
}
