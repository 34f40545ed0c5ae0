/**
 * The CLI's commands over the admin API. Each returns what it did as data (printed as JSON with
 * --json) and as lines for people. Money is integer minor units in and out, as in the API.
 */
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { formatMoney } from '../../shared/money.ts';
import { AdminApiError, answer, enc, type AdminApi } from '../client.ts';

export interface Outcome {
  data: unknown;
  lines: string[];
}

export interface Command {
  usage: string;
  /** Options with a value; flags take none. */
  options: Record<string, 'string' | 'boolean'>;
  positionals: number;
  run(api: AdminApi, args: { positionals: string[]; values: Record<string, string | boolean | undefined>; cwd: string }): Promise<Outcome>;
}

class UsageError extends Error {
  override readonly name = 'UsageError';
}
export { UsageError };

const str = (v: string | boolean | undefined): string | undefined => (typeof v === 'string' ? v : undefined);

/** "1 product", "2 products": a count for people, in the CLI's one language. */
const counted = (n: number, one: string, many = `${one}s`): string => `${n} ${n === 1 ? one : many}`;

/** A whole number option (minor units, counts), or a usage error naming it. */
function int(values: Record<string, string | boolean | undefined>, name: string): number | undefined {
  const text = str(values[name]);
  if (text === undefined) return undefined;
  if (!/^-?\d+$/.test(text) || !Number.isSafeInteger(Number(text))) throw new UsageError(`--${name} takes a whole number (money in minor units: 1250 for 12.50), not "${text}"`);
  return Number(text);
}

/** Pads columns so a table reads in a terminal. */
export function table(rows: string[][]): string[] {
  const widths = rows.reduce<number[]>((w, row) => row.map((cell, i) => Math.max(w[i] ?? 0, cell.length)), []);
  return rows.map((row) => row.map((cell, i) => cell.padEnd(widths[i] ?? 0)).join('  ').trimEnd());
}

async function currency(api: AdminApi): Promise<(n: number) => string> {
  const config = await answer(() => api.config.$get());
  return (n) => formatMoney(n, config.currency, config.locale);
}

/** The most orders the API lists at once. */
const ORDERS_PAGE = 500;

/** The order with exactly this number (CO-1001 or 1001). The search also matches emails holding
 * the text, newest first, so it reads on until the number turns up. */
async function orderByNumber(api: AdminApi, number: string) {
  const wanted = /^\d+$/.test(number) ? `CO-${number}` : number.toUpperCase();
  for (let offset = 0; ; offset += ORDERS_PAGE) {
    const { orders, total } = await answer(() => api.admin.orders.$get({ query: { q: wanted, limit: String(ORDERS_PAGE), offset: String(offset) } }));
    const order = orders.find((o) => o.number === wanted);
    if (order) return order;
    if (offset + ORDERS_PAGE >= total) throw new AdminApiError('order_not_found', `No order ${wanted}.`, 404);
  }
}

export const commands: Record<string, Command> = {
  'orders:list': {
    usage: 'orders:list [--q number-or-email] [--status paid|needs_attention|partially_refunded|refunded] [--from YYYY-MM-DD] [--to YYYY-MM-DD] [--limit N] [--offset N]',
    options: { q: 'string', status: 'string', from: 'string', to: 'string', limit: 'string', offset: 'string' },
    positionals: 0,
    async run(api, { values }) {
      const query = Object.fromEntries(['q', 'status', 'from', 'to', 'limit', 'offset'].flatMap((k) => (str(values[k]) === undefined ? [] : [[k, str(values[k])]])));
      const data = await answer(() => api.admin.orders.$get({ query }));
      const money = await currency(api);
      return {
        data,
        lines: [
          ...table([['NUMBER', 'CREATED', 'STATUS', 'EMAIL', 'TOTAL', 'REFUNDED'],
            ...data.orders.map((o) => [o.number, o.createdAt.slice(0, 16).replace('T', ' '), o.status, o.email, money(o.totals.total), o.amountRefunded ? money(o.amountRefunded) : ''])]),
          `${data.orders.length} of ${counted(data.total, 'order')}`,
        ],
      };
    },
  },
  'orders:refund': {
    usage: 'orders:refund <number> --reason TEXT [--amount MINOR_UNITS] [--key IDEMPOTENCY_KEY]   (no --amount: all that is left)',
    options: { amount: 'string', reason: 'string', key: 'string' },
    positionals: 1,
    async run(api, { positionals, values }) {
      const reason = str(values.reason);
      if (!reason) throw new UsageError('orders:refund needs --reason');
      const order = await orderByNumber(api, positionals[0] ?? '');
      const amount = int(values, 'amount');
      const data = await answer(() => api.admin.orders[':id'].refunds.$post({
        param: { id: enc(order.id) }, json: { reason, ...(amount === undefined ? {} : { amount }), ...(str(values.key) ? { idempotencyKey: str(values.key) } : {}) },
      }));
      const money = await currency(api);
      return { data, lines: [`Refunded ${money(data.refund.amount)} of ${data.order.number} (${data.refund.status}); the order is ${data.order.status}, ${money(data.order.amountRefunded)} refunded in all.`] };
    },
  },
  'products:list': {
    usage: 'products:list',
    options: {},
    positionals: 0,
    async run(api) {
      const data = await answer(() => api.admin.products.$get());
      const money = await currency(api);
      return {
        data,
        lines: table([['ID', 'NAME', 'PRICE', 'STOCK', 'ACTIVE', 'SHIPPED'],
          ...data.products.map((p) => [p.id, p.name, money(p.price), String(p.stock), p.active ? 'yes' : 'no', p.shippable ? 'yes' : 'no'])]),
      };
    },
  },
  'products:import': {
    usage: 'products:import <file.json>   (a list of products, or { "products": [...] } as in server/catalog/seed.json; never changes the stock of existing products)',
    options: {},
    positionals: 1,
    async run(api, { positionals, cwd }) {
      const file = positionals[0] ?? '';
      let parsed: unknown;
      try {
        parsed = JSON.parse(await readFile(resolve(cwd, file), 'utf8'));
      } catch (err) {
        throw new UsageError(`could not read ${file} as JSON: ${err instanceof Error ? err.message : String(err)}`);
      }
      const products = Array.isArray(parsed) ? parsed : typeof parsed === 'object' && parsed !== null ? (parsed as { products?: unknown }).products : undefined;
      if (!Array.isArray(products)) throw new UsageError(`${file} holds no list of products`);
      const data = await answer(() => api.admin.catalog.$put({ json: { products, coupons: [] } as never }));
      return { data, lines: [`Loaded ${counted(data.loaded.products, 'product')} (${data.loaded.newProducts} new).`] };
    },
  },
  'coupons:list': {
    usage: 'coupons:list',
    options: {},
    positionals: 0,
    async run(api) {
      const data = await answer(() => api.admin.coupons.$get());
      const money = await currency(api);
      return {
        data,
        lines: table([['CODE', 'DISCOUNT', 'USES', 'EXPIRES', 'LIMITS', 'ACTIVE'], ...data.coupons.map((c) => [
          c.code, c.type === 'percentage' ? `${c.value} %` : money(c.value), `${c.uses}${c.maxUses === null ? '' : `/${c.maxUses}`}`, c.expiresAt ?? 'never',
          [c.firstOrderOnly ? 'first order' : '', c.oncePerCustomer ? 'once per customer' : '', c.minSubtotal ? `min ${money(c.minSubtotal)}` : ''].filter(Boolean).join(', '),
          c.active ? 'yes' : 'no',
        ])]),
      };
    },
  },
  'coupons:create': {
    usage: 'coupons:create <CODE> --type percentage|fixed --value N [--expires ISO-DATE-TIME] [--max-uses N] [--min-subtotal MINOR_UNITS] [--first-order-only] [--once-per-customer] [--inactive]',
    options: { type: 'string', value: 'string', expires: 'string', 'max-uses': 'string', 'min-subtotal': 'string', 'first-order-only': 'boolean', 'once-per-customer': 'boolean', inactive: 'boolean' },
    positionals: 1,
    async run(api, { positionals, values }) {
      const type = str(values.type);
      if (type !== 'percentage' && type !== 'fixed') throw new UsageError('coupons:create needs --type percentage or --type fixed');
      const value = int(values, 'value');
      if (value === undefined) throw new UsageError('coupons:create needs --value');
      const data = await answer(() => api.admin.coupons.$post({ json: {
        code: positionals[0] ?? '', type, value, expiresAt: str(values.expires) ?? null, maxUses: int(values, 'max-uses') ?? null,
        minSubtotal: int(values, 'min-subtotal') ?? 0, active: values.inactive !== true,
        firstOrderOnly: values['first-order-only'] === true, oncePerCustomer: values['once-per-customer'] === true,
      } }));
      return { data, lines: [`Created ${data.coupon.code}.`] };
    },
  },
  'coupons:deactivate': {
    usage: 'coupons:deactivate <CODE>',
    options: {},
    positionals: 1,
    async run(api, { positionals }) {
      const data = await answer(() => api.admin.coupons[':code'].$patch({ param: { code: enc(positionals[0] ?? '') }, json: { active: false } }));
      return { data, lines: [`${data.coupon.code} is deactivated.`] };
    },
  },
  metrics: {
    usage: 'metrics [--from YYYY-MM-DD] [--to YYYY-MM-DD]   (UTC days; default the last 30)',
    options: { from: 'string', to: 'string' },
    positionals: 0,
    async run(api, { values }) {
      const query = Object.fromEntries(['from', 'to'].flatMap((k) => (str(values[k]) === undefined ? [] : [[k, str(values[k])]])));
      const data = await answer(() => api.admin.metrics.$get({ query }));
      const money = await currency(api);
      const t = data.totals;
      return {
        data,
        lines: [
          `${data.from} to ${data.to} (UTC)`,
          `carts ${t.carts}, checkouts ${t.checkoutsStarted}, paid ${t.paid}, abandonment ${(t.abandonmentRateBps / 100).toFixed(2)} %`,
          `revenue ${money(t.revenue)}; failed payments ${t.failedPayments}, failed then paid ${t.failedThenRecovered}`,
          `recovered: retry link ${money(t.recovered.retryLink.revenue)} (${t.recovered.retryLink.orders}), reminder ${money(t.recovered.reminder.revenue)} (${t.recovered.reminder.orders})`,
          `coupons: ${counted(t.couponRedemptions, 'redemption')}, ${money(t.discount)} off`,
        ],
      };
    },
  },
};
