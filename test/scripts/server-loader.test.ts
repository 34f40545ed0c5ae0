/**
 * build/server/main.js (scripts/server-loader.mjs) runs the server bundle with V8's code cache:
 * the cache is written when the server exits, a later start serves from it, a cache that does not
 * fit (damaged, or from another build) is ignored and replaced, and with `--enable-source-maps`
 * stack traces name the TypeScript sources. On a bundle built into a folder of the test's own.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { cpSync, existsSync, readFileSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { ensureClientBuilds, installEnv } from '../helpers/built-install.ts';
import { eventually, freePort, startMain } from '../helpers/main-process.ts';
import { tempDir } from '../helpers/temp.ts';

describe('the server loader', () => {
  const dir = tempDir('checkout-loader-');
  const cache = join(dir.path, 'build', 'server', 'server.cjs.cache');

  /** Starts the bundle, waits for its first 200, then stops it as a service manager does (SIGTERM): what it printed. */
  async function startAndStop(): Promise<string> {
    const port = await freePort();
    const main = startMain(installEnv(dir.path, port), { args: ['build/server/main.js'], cwd: dir.path });
    await eventually(async () => {
      if (main.child.exitCode !== null) throw new Error(`the server exited ${main.child.exitCode}:\n${main.output()}`);
      const res = await fetch(`http://127.0.0.1:${port}/api/config`).catch(() => undefined);
      return res?.status === 200 ? true : undefined;
    }, `the first 200:\n${main.output()}`);
    main.child.kill('SIGTERM');
    assert.equal(await main.exited, 0, main.output());
    return main.output();
  }

  /** A start that fails inside the bundle (its data folder would be inside a file): what it printed. */
  const failedStart = (nodeFlags: string[]) => spawnSync(process.execPath, [...nodeFlags, 'build/server/main.js'], {
    cwd: dir.path, encoding: 'utf8', timeout: 60_000, env: { ...process.env, ...installEnv(dir.path, 0), DATABASE_PATH: join(dir.path, 'package.json', 'shop.db') },
  });

  before(() => {
    ensureClientBuilds();
    for (const path of ['package.json', 'dist', 'demo']) cpSync(path, join(dir.path, path), { recursive: true });
    symlinkSync(resolve('node_modules'), join(dir.path, 'node_modules'));
    execFileSync(process.execPath, ['scripts/build-server.mjs', `--out=${join(dir.path, 'build')}`], { stdio: 'inherit' });
  });
  after(() => dir.remove());

  it('writes the code cache when the server exits, and starts from it', async () => {
    assert.equal(existsSync(cache), false);
    await startAndStop();
    const written = statSync(cache);
    assert.ok(written.size > 0);
    await startAndStop();
    // Taken, not replaced: a cache V8 accepts is never written again (a new one is renamed into place).
    assert.equal(statSync(cache).ino, written.ino);
    assert.equal(statSync(cache).mtimeMs, written.mtimeMs);
  });

  it('ignores a damaged cache, serves, and replaces it', async () => {
    writeFileSync(cache, 'not a V8 code cache');
    const damaged = statSync(cache);
    await startAndStop();
    assert.notEqual(statSync(cache).ino, damaged.ino);
    assert.notEqual(readFileSync(cache).subarray(0, 19).toString(), 'not a V8 code cache');
  });

  // V8 checks a cache only against its source's length: a server that ran the last build and
  // exits after a rebuild (build, then restart) leaves its cache beside the new bundle.
  it('never runs the code of a cache made from another bundle of the same length', async () => {
    await startAndStop();
    const bundle = join(dir.path, 'build', 'server', 'server.cjs');
    const built = readFileSync(bundle, 'utf8');
    assert.equal(built.split('Checkout server on').length, 2);
    writeFileSync(bundle, built.replace('Checkout server on', 'Checkout server ON'));
    assert.match(await startAndStop(), /Checkout server ON/);
    assert.match(await startAndStop(), /Checkout server ON/);
    writeFileSync(bundle, built);
  });

  it('gives stack traces in the bundle without source maps, in the TypeScript sources with them', () => {
    const plain = failedStart([]);
    assert.equal(plain.status, 1);
    assert.match(plain.stderr, /at openSqlite \(.*build\/server\/server\.cjs:\d+:\d+\)/);
    const mapped = failedStart(['--enable-source-maps']);
    assert.equal(mapped.status, 1);
    assert.match(mapped.stderr, /at openSqlite \(.*server\/db\/database\.ts:\d+:\d+\)/);
  });
});
