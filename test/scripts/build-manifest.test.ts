/**
 * The server bundle's staleness check (scripts/build-manifest.mjs), which every `npm start` runs:
 * any change to a file the bundle was built from, or to a bundled package's version, makes it
 * stale; nothing else does. On a small project of its own in a temporary folder.
 */
import { afterEach, beforeEach, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { staleBecause, writeManifest } from '../../scripts/build-manifest.mjs';
import { tempDir } from '../helpers/temp.ts';

describe('the build manifest', () => {
  let dir: ReturnType<typeof tempDir>;
  let root = '';
  let manifest = '';
  const write = (path: string, text: string) => {
    mkdirSync(join(root, path, '..'), { recursive: true });
    writeFileSync(join(root, path), text);
  };
  /** Modification times a second in the past, so a build "started now" comes after them. */
  const age = (path: string, seconds = 1) => {
    const then = new Date(Date.now() - seconds * 1000);
    utimesSync(join(root, path), then, then);
  };
  const build = () => writeManifest(root, manifest, { files: ['server/main.ts', 'shared/api.ts'], packages: ['node_modules/hono'], startedMs: Date.now() });

  beforeEach(() => {
    dir = tempDir('checkout-manifest-');
    root = dir.path;
    manifest = join(root, 'build', 'server', 'build-manifest.json');
    mkdirSync(join(root, 'build', 'server'), { recursive: true });
    write('server/main.ts', 'main();\n');
    write('shared/api.ts', 'export {};\n');
    write('node_modules/hono/package.json', '{"version":"4.0.0"}');
    for (const path of ['server/main.ts', 'shared/api.ts']) age(path);
  });
  afterEach(() => dir.remove());

  it('is up to date right after a build, and stale without a manifest', () => {
    assert.equal(staleBecause(root, manifest), 'no build manifest');
    build();
    assert.equal(staleBecause(root, manifest), null);
  });

  it('is stale after an edit, even one that keeps the size', () => {
    build();
    write('shared/api.ts', 'export  {}\n');
    assert.equal(statSync(join(root, 'shared/api.ts')).size, 'export {};\n'.length);
    assert.equal(staleBecause(root, manifest), 'shared/api.ts changed');
  });

  it('is stale when an older copy of a source comes back (a checkout, a restore)', () => {
    build();
    age('server/main.ts', 3600);
    assert.equal(staleBecause(root, manifest), 'server/main.ts changed');
  });

  it('is stale when a source it was built from is gone', () => {
    build();
    rmSync(join(root, 'shared/api.ts'));
    assert.equal(staleBecause(root, manifest), 'shared/api.ts is gone');
  });

  it('is stale when a bundled package is another version or not installed', () => {
    build();
    write('node_modules/hono/package.json', '{"version":"4.0.1"}');
    assert.equal(staleBecause(root, manifest), 'node_modules/hono is no longer 4.0.0');
    rmSync(join(root, 'node_modules'), { recursive: true });
    assert.equal(staleBecause(root, manifest), 'node_modules/hono is not installed');
  });

  it('never trusts a source saved while the build ran', () => {
    const startedMs = Date.now() - 1000;
    write('server/main.ts', 'main(); // saved mid-build\n');
    writeManifest(root, manifest, { files: ['server/main.ts', 'shared/api.ts'], packages: [], startedMs });
    assert.equal(staleBecause(root, manifest), 'server/main.ts changed');
  });

  it('runs a build-only install (no sources) as it is, when its packages match', () => {
    build();
    rmSync(join(root, 'server'), { recursive: true });
    rmSync(join(root, 'shared'), { recursive: true });
    assert.equal(staleBecause(root, manifest), null);
    write('node_modules/hono/package.json', '{"version":"5.0.0"}');
    assert.equal(staleBecause(root, manifest), 'node_modules/hono is no longer 4.0.0');
  });
});
