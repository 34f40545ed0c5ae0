/**
 * `npm test`'s first step. Installing the package needs a machine without Chromium and root, so
 * the tests cover what runs everywhere: a present browser passes silently, and a missing one that
 * apt can't provide stops at once with what to do.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';

const run = (env: Record<string, string>) =>
  spawnSync('sh', ['scripts/ensure-chromium.sh'], { env: { ...process.env, ...env }, encoding: 'utf8' });

describe('scripts/ensure-chromium.sh', () => {
  it('passes silently when Chromium is where the tests look', { skip: !existsSync(process.env.CHROMIUM_PATH ?? '/usr/bin/chromium') && 'no Chromium here' }, () => {
    const result = run({});
    assert.deepEqual([result.status, result.stdout, result.stderr], [0, '', '']);
  });

  it('stops at once, naming the variable to set, when CHROMIUM_PATH points nowhere', () => {
    const result = run({ CHROMIUM_PATH: '/nonexistent/chromium' });
    assert.equal(result.status, 1);
    assert.equal(result.stdout, '');
    assert.match(result.stderr, /need Chromium at \/nonexistent\/chromium/);
    assert.match(result.stderr, /CHROMIUM_PATH=\/path\/to\/chromium npm test/);
  });
});
