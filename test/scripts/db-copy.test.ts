/**
 * `npm run db:copy`: a SQLite shop with a history (orders, a coupon used, a decline, a refund that
 * restocked, one that failed at Stripe, a stock count, emails sent) copied into a fresh PostgreSQL database holds the same
 * rows, table by table, with its id counters going on where the shop's left off; a target that
 * holds rows is refused unless `--replace` is given.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { admin, paidOrder } from '../helpers/admin.ts';
import { cartWith, checkout, pay, startTestServer, webhooksSettled, type TestServer } from '../helpers/server.ts';
import { createTestDatabase, type TestPostgres } from '../helpers/postgres.ts';
import { tempDir } from '../helpers/temp.ts';

const dbCopy = (...args: string[]) => spawnSync('npm', ['run', '--silent', 'db:copy', '--', ...args], { encoding: 'utf8', env: { ...process.env, DATABASE_URL: '' } });

/** Every row of every table, each value as text (PostgreSQL's BIGINT arrives as text), in one order. */
function sqliteRows(path: string, tables: string[]): Record<string, string[][]> {
  const db = new Database(path, { readonly: true });
  try {
    return Object.fromEntries(tables.map((t) => [t, normalized(db.prepare(`SELECT * FROM "${t}"`).raw(true).all() as unknown[][])]));
  } finally {
    db.close();
  }
}
async function postgresRows(pg: TestPostgres, tables: Record<string, string[]>): Promise<Record<string, string[][]>> {
  const out: Record<string, string[][]> = {};
  for (const [t, columns] of Object.entries(tables)) {
    const rows = await pg.query<Record<string, unknown>>(`SELECT ${columns.map((c) => `"${c}"`).join(', ')} FROM "${t}"`);
    out[t] = normalized(rows.map((r) => columns.map((c) => r[c])));
  }
  return out;
}
const normalized = (rows: unknown[][]) => rows.map((r) => r.map((v) => (v === null ? 'NULL' : String(v)))).sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b)));

describe('npm run db:copy', () => {
  let s: TestServer;
  let target: TestPostgres;
  let sqlitePath = '';
  const copyDir = tempDir('db-copy-');
  let tables: string[] = [];
  let columns: Record<string, string[]> = {};
  /** What the merchant's console shows of the SQLite shop, to see again on PostgreSQL. */
  let views: Record<string, unknown> = {};
  const VIEWS = ['/orders?limit=500', '/products', '/coupons', '/products/mug-stone/stock-movements?limit=100', '/products/hoodie-grey/stock-movements?limit=100'];

  before(async () => {
    s = await startTestServer({ env: { DATABASE_URL: '' } }); // SQLite, whatever TEST_DATABASE says: the shop being moved
    // A history touching every kind of row the shop keeps.
    const first = await paidOrder(s, [['tee-black', 2], ['mug-stone', 1]], 'ada@example.com', 'WELCOME15');
    await paidOrder(s, [['cap-navy', 1]], 'grace@example.com');
    const refunded = await paidOrder(s, [['mug-stone', 2]], 'alan@example.com');
    const declinedFirst = await checkout(s, (await cartWith(s, [['tee-white', 1]])).id, 'barbara@example.com');
    await pay(s, declinedFirst.body.clientSecret, 'pm_card_chargeDeclined');
    await pay(s, declinedFirst.body.clientSecret);
    await webhooksSettled(s);
    assert.equal((await admin(s, '/products/hoodie-grey/stock', { json: { adjust: -1, reason: 'shelf count' } })).status, 201);
    assert.equal((await admin(s, `/orders/${first.id}/refunds`, { json: { amount: 500, reason: 'arrived late' } })).status, 201);
    assert.equal((await admin(s, `/orders/${refunded.id}/refunds`, { json: { reason: 'returned' } })).status, 201);
    // A refund Stripe made and failed later (migration 055): its failure, and the refund row marked so.
    const refundFails = await paidOrder(s, [['cap-navy', 1]], 'katherine@example.com', undefined, 'pm_card_refundFail');
    assert.equal((await admin(s, `/orders/${refundFails.id}/refunds`, { json: { amount: 300, reason: 'scratched' } })).status, 201);
    await webhooksSettled(s);
    s.stripe.emulator!.tasks.flush();
    await webhooksSettled(s);
    await s.outbox.runOnce();
    await webhooksSettled(s);
    for (const path of VIEWS) views[path] = (await admin(s, path)).body;
    // The shop stopped, as before a move: its file as it was when the server stopped writing.
    sqlitePath = join(copyDir.path, 'stopped-shop.db');
    new Database(join(s.dir, 'checkout.db'), { readonly: true }).exec(`VACUUM INTO '${sqlitePath}'`);
    await s.stop();

    const db = new Database(sqlitePath, { readonly: true });
    tables = (db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name <> 'schema_migrations' ORDER BY name").pluck().all() as string[]);
    columns = Object.fromEntries(tables.map((t) => [t, db.prepare('SELECT name FROM pragma_table_info(?) ORDER BY cid').pluck().all(t) as string[]]));
    db.close();
    target = await createTestDatabase('dbcopy');
    const migrated = spawnSync('npm', ['run', '--silent', 'db:migrate'], { encoding: 'utf8', env: { ...process.env, DATABASE_URL: target.url } });
    assert.equal(migrated.status, 0, migrated.stderr);
    assert.match(migrated.stdout, /PostgreSQL|postgres:\/\//);
  });
  after(async () => {
    await target?.drop();
    copyDir.remove();
  });

  it('copies every table of the shop, row for row, and says what it copied', async () => {
    const before = sqliteRows(sqlitePath, tables);
    for (const t of ['orders', 'order_items', 'coupons', 'stock_movements', 'payment_attempts', 'admin_refunds', 'refund_failures', 'outbox', 'webhook_events', 'settings']) {
      assert.ok(before[t]!.length > 0, `the shop has ${t} rows to copy`);
    }
    const run = dbCopy('--from', `sqlite:${sqlitePath}`, '--to', target.url);
    assert.equal(run.status, 0, run.stderr + run.stdout);
    const total = Object.values(before).reduce((n, rows) => n + rows.length, 0);
    assert.match(run.stdout, new RegExp(`Copied ${total} rows in ${tables.length} tables; row counts verified\\.`));
    assert.match(run.stdout, new RegExp(`\\n  orders +${before.orders!.length}\\n`));
    assert.deepEqual(await postgresRows(target, columns), before);
    assert.deepEqual(before.admin_refunds!.map((r) => r[columns.admin_refunds!.indexOf('status')]).sort(), ['failed', 'issued', 'issued']);
  });

  it('lets ids go on after the highest the shop ever gave', async () => {
    const sequences = new Database(sqlitePath, { readonly: true }).prepare('SELECT name, seq FROM sqlite_sequence').all() as { name: string; seq: number }[];
    assert.ok(sequences.some((r) => r.name === 'outbox'), 'the shop has given outbox ids');
    for (const { name, seq } of sequences) {
      const [next] = await target.query<{ id: string }>(`SELECT nextval(pg_get_serial_sequence('"${name}"', 'id')) AS id`);
      assert.equal(Number(next!.id), seq + 1, name);
    }
  });

  it('refuses a target that holds rows, changing nothing, and replaces them when told', async () => {
    const copied = await postgresRows(target, columns);
    const again = dbCopy('--from', `sqlite:${sqlitePath}`, '--to', target.url);
    assert.equal(again.status, 1);
    assert.match(again.stderr, /refused: the target already holds rows \(in [a-z_, ]+\): copy into an empty database, or pass --replace/);
    assert.deepEqual(await postgresRows(target, columns), copied);

    const replaced = dbCopy('--from', `sqlite:${sqlitePath}`, '--to', target.url, '--replace');
    assert.equal(replaced.status, 0, replaced.stderr);
    assert.match(replaced.stdout, /emptying the target's .*\(--replace\)/);
    assert.deepEqual(await postgresRows(target, columns), copied);
  });

  it('refuses what it cannot copy: no schema, other migrations, no such file, not a postgres URL', async () => {
    const bare = await createTestDatabase('dbcopy_bare');
    try {
      const noSchema = dbCopy('--from', `sqlite:${sqlitePath}`, '--to', bare.url);
      assert.deepEqual([noSchema.status, /refused: the target has no schema/.test(noSchema.stderr)], [1, true], noSchema.stderr);
    } finally {
      await bare.drop();
    }
    const behind = await createTestDatabase('dbcopy_behind');
    try {
      assert.equal(spawnSync('npm', ['run', '--silent', 'db:migrate'], { env: { ...process.env, DATABASE_URL: behind.url } }).status, 0);
      const [latest] = await behind.query<{ version: string }>('DELETE FROM schema_migrations WHERE version = (SELECT MAX(version) FROM schema_migrations) RETURNING version');
      const mismatch = dbCopy('--from', `sqlite:${sqlitePath}`, '--to', behind.url);
      assert.equal(mismatch.status, 1);
      assert.match(mismatch.stderr, new RegExp(`refused: the SQLite file has migrations [0-9, ]+, ${latest!.version} applied and the target [0-9, ]+:`));
    } finally {
      await behind.drop();
    }
    const noFile = dbCopy('--from', `sqlite:${join(copyDir.path, 'missing.db')}`, '--to', target.url);
    assert.deepEqual([noFile.status, /failed, nothing was copied/.test(noFile.stderr)], [1, true], noFile.stderr);
    const notPostgres = dbCopy('--from', 'sqlite', '--to', 'mysql://localhost/shop');
    assert.deepEqual([notPostgres.status, /--to \(or DATABASE_URL\) must be a postgres:\/\/ URL/.test(notPostgres.stderr)], [1, true]);
  });

  it('gives a server started on the copy the same orders, stock, coupons and ledger, and numbers its next order after them', async () => {
    const onPostgres = await startTestServer({ env: { DATABASE_URL: target.url } });
    try {
      assert.match(onPostgres.describe().database ?? '', /PostgreSQL/);
      for (const path of VIEWS) assert.deepEqual((await admin(onPostgres, path)).body, views[path], path);
      const numbers = (views['/orders?limit=500'] as { orders: { number: string }[] }).orders.map((o) => Number(o.number.replace(/\D/g, '')));
      const next = await paidOrder(onPostgres, [['tee-black', 1]], 'after-the-move@example.com');
      assert.equal(Number(next.number.replace(/\D/g, '')), Math.max(...numbers) + 1);
      await onPostgres.outbox.runOnce();
      const [sent] = await target.query<{ n: string }>("SELECT COUNT(*) AS n FROM outbox WHERE recipient = 'after-the-move@example.com' AND status = 'sent'");
      assert.equal(Number(sent!.n), 1, 'its confirmation is queued under a fresh id and sent');
    } finally {
      await onPostgres.stop();
    }
  });
});
