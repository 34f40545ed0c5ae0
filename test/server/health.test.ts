/**
 * `GET /healthz` and `GET /readyz` on the server as `npm start` composes it, with a Redis of the
 * test's own that is SIGKILLed and started again, and a database that stops answering.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { Hono } from 'hono';
import { accessLog } from '../../server/http/access-log.ts';
import { HEALTH_PATHS, healthRoutes } from '../../server/routes/health.ts';
import type { Logger } from '../../server/logger.ts';
import { fetchJson } from '../helpers/fetch-json.ts';
import { eventually } from '../helpers/main-process.ts';
import { createTestDatabase, type TestPostgres } from '../helpers/postgres.ts';
import { spareRedisPort, startOwnRedis, type OwnRedis } from '../helpers/redis-server.ts';
import { startTestServer, type TestServer } from '../helpers/server.ts';
import { startTcpRelay, type TcpRelay } from '../helpers/tcp-relay.ts';

interface Readiness { status: string; failing?: string[]; checks: Record<string, string> }

describe('health and readiness of a server with Redis', () => {
  let redis: OwnRedis;
  let redisPort = 0;
  let s: TestServer;
  const ready = () => fetchJson<Readiness>(`${s.url}/readyz`);

  before(async () => {
    redisPort = await spareRedisPort();
    redis = await startOwnRedis(redisPort);
    s = await startTestServer({ env: { REDIS_URL: redis.url } });
  });
  after(async () => {
    await s.stop();
    await redis.kill();
  });

  it('is alive and ready while the database and Redis answer', async () => {
    const alive = await fetchJson(`${s.url}/healthz`);
    assert.deepEqual([alive.status, alive.body, alive.headers.get('cache-control')], [200, { status: 'ok' }, 'no-store']);
    const answer = await ready();
    assert.deepEqual([answer.status, answer.body], [200, { status: 'ready', checks: { database: 'ok', redis: 'ok' } }]);
    assert.equal(answer.headers.get('cache-control'), 'no-store');
  });

  it('answers readyz 503 naming Redis once Redis is killed, without its address, and healthz still 200', async () => {
    await redis.kill();
    const answer = await ready();
    assert.deepEqual([answer.status, answer.body], [503, { status: 'unavailable', failing: ['redis'], checks: { database: 'ok', redis: 'failing' } }]);
    const raw = JSON.stringify(answer.body);
    assert.equal(raw.includes(String(redisPort)) || raw.includes('127.0.0.1') || raw.includes('redis://'), false, raw);
    assert.equal((await fetchJson(`${s.url}/healthz`)).status, 200, 'the process is alive: no reason to restart it');
  });

  it('is ready again once Redis is back on its port', async () => {
    redis = await startOwnRedis(redisPort);
    const answer = await eventually(async () => {
      const r = await ready();
      return r.status === 200 ? r : undefined;
    }, 'readyz 200 after Redis came back');
    assert.deepEqual(answer.body, { status: 'ready', checks: { database: 'ok', redis: 'ok' } });
  });

  it('answers readyz 503 naming the database when it stops answering', async () => {
    s.db.close();
    const answer = await ready();
    assert.deepEqual([answer.status, answer.body], [503, { status: 'unavailable', failing: ['database'], checks: { database: 'failing', redis: 'ok' } }]);
    assert.equal((await fetchJson(`${s.url}/healthz`)).status, 200);
  });
});

describe('readiness of a server without Redis', () => {
  let s: TestServer;
  before(async () => { s = await startTestServer(); });
  after(() => s.stop());

  it('checks only the database: Redis is not one of its dependencies', async () => {
    const answer = await fetchJson<Readiness>(`${s.url}/readyz`);
    assert.deepEqual([answer.status, answer.body], [200, { status: 'ready', checks: { database: 'ok' } }]);
  });

  it('answers a balancer\'s HEAD probe as its GET, without a body', async () => {
    for (const path of ['/healthz', '/readyz']) {
      const res = await fetch(`${s.url}${path}`, { method: 'HEAD' });
      assert.deepEqual([res.status, await res.text()], [200, ''], path);
    }
  });
});

describe('readiness checks', () => {
  const lines: { level: string; message: string; fields?: Record<string, unknown> }[] = [];
  const logger: Logger = {
    info: (message, fields) => lines.push({ level: 'info', message, fields }),
    warn: (message, fields) => lines.push({ level: 'warn', message, fields }),
    error: (message, fields) => lines.push({ level: 'error', message, fields }),
  };
  let databaseUp = true;
  const app = new Hono().use('*', accessLog(logger, { quietPaths: HEALTH_PATHS })).route('/', healthRoutes({
    logger, timeoutMs: 50,
    probes: {
      database: () => { if (!databaseUp) throw new Error('connect ECONNREFUSED 10.0.0.7:5432'); },
      stuck: () => new Promise(() => {}),
    },
  }));

  it('count a probe that never answers as failing, and answer anyway', async () => {
    const res = await app.request('/readyz');
    assert.deepEqual([res.status, await res.json()], [503, { status: 'unavailable', failing: ['stuck'], checks: { database: 'ok', stuck: 'failing' } }]);
  });

  it('log an outage once when it starts and once when it ends; the balancer\'s passing probes are not access-logged', async () => {
    lines.length = 0;
    await app.request('/healthz');
    databaseUp = false;
    await app.request('/readyz');
    await app.request('/readyz');
    databaseUp = true;
    await app.request('/readyz');
    const outage = lines.filter((l) => l.fields?.check === 'database');
    assert.deepEqual(outage.map((l) => [l.level, l.message, l.fields?.error]), [
      ['warn', 'readiness check failing', 'connect ECONNREFUSED 10.0.0.7:5432'],
      ['info', 'readiness check passing again', undefined],
    ]);
    const logged = lines.filter((l) => l.message === 'request');
    assert.deepEqual(logged.map((l) => [l.fields?.path, l.fields?.status]), [['/readyz', 503], ['/readyz', 503], ['/readyz', 503]], 'failing answers only (stuck still fails)');
  });
});

describe('readiness of a server on PostgreSQL', () => {
  let database: TestPostgres;
  let relay: TcpRelay;
  let s: TestServer;
  const ready = () => fetchJson<Readiness>(`${s.url}/readyz`);

  before(async () => {
    database = await createTestDatabase('readyz');
    const direct = new URL(database.url);
    relay = await startTcpRelay({ host: direct.hostname, port: Number(direct.port || 5432) });
    const viaRelay = new URL(database.url);
    viaRelay.port = String(relay.port);
    s = await startTestServer({ env: { DATABASE_URL: viaRelay.toString() } });
  });
  after(async () => {
    await s?.stop();
    await relay?.close();
    await database?.drop();
  });

  it('is ready while PostgreSQL answers', async () => {
    const answer = await ready();
    assert.deepEqual([answer.status, answer.body], [200, { status: 'ready', checks: { database: 'ok' } }]);
  });

  it('answers 503 naming the database, without its URL, once PostgreSQL can no longer be reached', async () => {
    await relay.cut();
    const answer = await ready();
    assert.deepEqual([answer.status, answer.body], [503, { status: 'unavailable', failing: ['database'], checks: { database: 'failing' } }]);
    assert.equal(JSON.stringify(answer.body).includes(database.name), false);
    assert.equal((await fetchJson(`${s.url}/healthz`)).status, 200);
  });

  it('is ready again once PostgreSQL can be reached', async () => {
    await relay.restore();
    await eventually(async () => ((await ready()).status === 200 ? true : undefined), 'readyz 200 after the database came back');
  });
});
