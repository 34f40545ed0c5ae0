/** The production logger: JSON lines, written in batches rather than one write per line. */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { consoleLogger } from '../../server/logger.ts';

const nextTurn = () => new Promise((resolve) => setImmediate(resolve));

describe('the console logger', () => {
  it('writes the lines of one turn of the event loop with one write, in order', async () => {
    const out: string[] = [];
    const logger = consoleLogger({ write: (chunk: string) => { out.push(chunk); } }, { write: () => {} });
    logger.info('request', { path: '/api/carts/[id]', status: 200 });
    logger.info('request', { path: '/api/products', status: 200 });
    assert.deepEqual(out, [], 'nothing written before the turn ends');
    await nextTurn();
    assert.equal(out.length, 1);
    const lines = String(out[0]).split('\n');
    assert.equal(lines.pop(), '', 'each line ends with a newline');
    assert.deepEqual(lines.map((l) => JSON.parse(l) as Record<string, unknown>).map(({ time, ...rest }) => {
      assert.match(String(time), /^\d{4}-\d\d-\d\dT/);
      return rest;
    }), [
      { level: 'info', message: 'request', path: '/api/carts/[id]', status: 200 },
      { level: 'info', message: 'request', path: '/api/products', status: 200 },
    ]);
  });

  it('sends warnings and errors to the other stream at once, a line a write', () => {
    const out: string[] = [];
    const err: string[] = [];
    const logger = consoleLogger({ write: (chunk: string) => out.push(chunk) }, { write: (chunk: string) => err.push(chunk) });
    logger.warn('redis unreachable', { connection: 'carts' });
    logger.error('unhandled error', { error: 'x' });
    assert.deepEqual(out, []);
    assert.deepEqual(err.map((chunk) => chunk.endsWith('\n') && (JSON.parse(chunk) as { level: string }).level), ['warn', 'error']);
  });

  it('does not hold a burst in memory: past 64 KB it writes at once', () => {
    const out: string[] = [];
    const logger = consoleLogger({ write: (chunk: string) => out.push(chunk) }, { write: () => {} });
    for (let i = 0; i < 1000; i++) logger.info('request', { path: `/api/products/${'x'.repeat(100)}`, i });
    assert.ok(out.length >= 2, `written in ${out.length} parts before the turn ended`);
    assert.ok(out.every((chunk) => chunk.length < 64 * 1024 + 300), 'each write at most 64 KB and a line');
  });
});
