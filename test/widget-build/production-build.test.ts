/**
 * The widget ships Lit's production build whatever NODE_ENV says: its development build logs
 * "Lit is in dev mode" on every merchant's page, runs extra checks and weighs 14 KB more.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { builtScripts } from './built.ts';

/** Strings only Lit's development build contains (its warnings, their registry, its debug log hook). */
const DEV_MODE_MARKERS = ['Lit is in dev mode', 'litIssuedWarnings', 'lit.dev/msg/', 'emitLitDebugLogEvents', 'Multiple versions of Lit'];

function devModeMarkersIn(scripts: Map<string, string>): string[] {
  return [...scripts].flatMap(([name, code]) => DEV_MODE_MARKERS.filter((marker) => code.includes(marker)).map((marker) => `${name}: ${marker}`));
}

describe('the widget build', () => {
  it('contains no trace of Lit\'s development mode', () => {
    assert.deepEqual(devModeMarkersIn(builtScripts()), []);
  });

  it('comes out byte for byte the same when built with NODE_ENV=development', () => {
    const shipped = builtScripts();
    const outDir = mkdtempSync(join(tmpdir(), 'widget-dev-env-'));
    try {
      const root = fileURLToPath(new URL('../../', import.meta.url));
      execFileSync(process.execPath, [join(root, 'node_modules/vite/bin/vite.js'), 'build', '--outDir', outDir, '--emptyOutDir', '--logLevel', 'error'], {
        cwd: root, env: { ...process.env, NODE_ENV: 'development' }, stdio: 'pipe',
      });
      const rebuilt = builtScripts(outDir);
      assert.deepEqual(devModeMarkersIn(rebuilt), []);
      assert.deepEqual([...rebuilt.keys()].sort(), [...shipped.keys()].sort(), 'the same files (dist/ may be stale: run `npm run build`)');
      for (const [name, code] of rebuilt) assert.ok(code === shipped.get(name), `${name} differs from dist/ (stale? run \`npm run build\`)`);
    } finally {
      rmSync(outDir, { recursive: true, force: true });
    }
  });
});
