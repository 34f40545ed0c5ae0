/**
 * `npm start` (scripts/start.mjs) on a copy of the project: it builds the server bundle when
 * there is none, runs it, and after any change to a source the bundle was built from it builds
 * again before serving, so it never runs code older than the sources. The copy holds the
 * server's sources, the scripts and the client builds; node_modules is the project's own.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readFileSync, rmSync, symlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { ensureClientBuilds, installEnv } from '../helpers/built-install.ts';
import { eventually, freePort, startMain } from '../helpers/main-process.ts';
import { tempDir } from '../helpers/temp.ts';

describe('npm start', () => {
  const dir = tempDir('checkout-start-');
  const root = dir.path;
  const banner = 'server/main.ts';
  const stale = () => spawnSync(process.execPath, ['scripts/start.mjs', '--stale'], { cwd: root, encoding: 'utf8' });

  /** Starts the project copy as `npm start` does, returns what it printed once it served, stops it. */
  async function startOnce(): Promise<string> {
    const port = await freePort();
    const main = startMain(installEnv(root, port), { args: ['--max-old-space-size=96', 'scripts/start.mjs'], cwd: root });
    try {
      await eventually(async () => {
        if (main.child.exitCode !== null) throw new Error(`npm start exited ${main.child.exitCode}:\n${main.output()}`);
        const res = await fetch(`http://127.0.0.1:${port}/api/config`).catch(() => undefined);
        return res?.status === 200 ? true : undefined;
      }, `the first 200:\n${main.output()}`);
      return main.output();
    } finally {
      main.child.kill('SIGTERM');
      await main.exited;
    }
  }

  /** Changes the start-up banner's first line in the sources, so the running code shows which it is. */
  const editBanner = (from: string, to: string) => {
    const path = join(root, banner);
    const text = readFileSync(path, 'utf8');
    assert.ok(text.includes(from), `${banner} no longer prints "${from}"`);
    writeFileSync(path, text.replace(from, to));
  };

  before(() => {
    ensureClientBuilds();
    for (const path of ['server', 'shared', 'scripts', 'demo', 'dist', 'package.json', 'tsconfig.json']) cpSync(path, join(root, path), { recursive: true });
    symlinkSync(resolve('node_modules'), join(root, 'node_modules'));
  });
  after(() => dir.remove());

  it('builds the server bundle when there is none, then serves', async () => {
    assert.match(stale().stdout, /build\/server\/main\.js is missing/);
    assert.match(await startOnce(), /Checkout server on/);
    assert.equal(stale().stdout.trim(), 'up to date');
  });

  it('builds again after a source changed, and runs the new code', async () => {
    editBanner('Checkout server on', 'Checkout server (edited) on');
    assert.equal(stale().stdout.trim(), `stale: ${banner} changed`);
    assert.match(await startOnce(), /Checkout server \(edited\) on/);
    assert.equal(stale().stdout.trim(), 'up to date');
  });

  it('builds again when an older copy of a source comes back', async () => {
    editBanner('Checkout server (edited) on', 'Checkout server on');
    // As a restore from a backup or an archive leaves it: a modification time before the last build.
    const before = new Date(Date.now() - 3_600_000);
    utimesSync(join(root, banner), before, before);
    assert.equal(stale().stdout.trim(), `stale: ${banner} changed`);
    const output = await startOnce();
    assert.match(output, /Checkout server on/);
    assert.doesNotMatch(output, /\(edited\)/);
  });

  // A service manager starting two instances after a deploy: each found the build stale, and one
  // emptied build/ under the other, which then failed on a missing main.js or migration (2 of 4
  // tries by hand). A start builds only while it holds build.lock, and checks again once it has it.
  it('waits while another start builds, and takes over the lock of one that died', async () => {
    rmSync(join(root, 'build'), { recursive: true, force: true });
    const lock = join(root, 'build.lock');
    mkdirSync(lock);
    writeFileSync(join(lock, 'pid'), String(process.pid));
    const port = await freePort();
    const main = startMain(installEnv(root, port), { args: ['--max-old-space-size=96', 'scripts/start.mjs'], cwd: root });
    try {
      await eventually(async () => {
        if (main.child.exitCode !== null) throw new Error(`npm start exited ${main.child.exitCode}:\n${main.output()}`);
        return main.output().includes(`waiting for the build of process ${process.pid}`) ? true : undefined;
      }, `npm start to wait:\n${main.output()}`);
      assert.equal(existsSync(join(root, 'build')), false);
      // Its builder dies: the lock names a process that is gone.
      const gone = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' }).stdout;
      writeFileSync(join(lock, 'pid'), gone);
      await eventually(async () => {
        if (main.child.exitCode !== null) throw new Error(`npm start exited ${main.child.exitCode}:\n${main.output()}`);
        const res = await fetch(`http://127.0.0.1:${port}/api/config`).catch(() => undefined);
        return res?.status === 200 ? true : undefined;
      }, `the first 200:\n${main.output()}`);
    } finally {
      main.child.kill('SIGTERM');
      await main.exited;
    }
    assert.equal(existsSync(lock), false);
    assert.equal(stale().stdout.trim(), 'up to date');
  });

  // What the server reads at run time (migrations, the Stripe.js stand-in) is copied beside the
  // bundle, and the server reads the copies: a new migration from a `git pull` must be applied.
  it('builds again when a file copied beside the bundle changed, or a new one appeared', async () => {
    assert.equal(stale().stdout.trim(), 'up to date');
    const migration = 'server/db/migrations/999_start_test.sql';
    writeFileSync(join(root, migration), 'CREATE TABLE start_test_marker (id INTEGER PRIMARY KEY);\n');
    assert.equal(stale().stdout.trim(), 'stale: server/db/migrations changed');
    await startOnce();
    assert.equal(existsSync(join(root, 'build', migration)), true);
    assert.equal(stale().stdout.trim(), 'up to date');

    const asset = 'server/stripe-emulator/stripe-js/fields.js';
    writeFileSync(join(root, asset), `${readFileSync(join(root, asset), 'utf8')}// edited\n`);
    assert.equal(stale().stdout.trim(), `stale: ${asset} changed`);
  });
});
