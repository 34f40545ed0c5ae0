// What the compiled server was built from, so `npm start` can tell in a few milliseconds whether
// it is stale, without walking the tree or hashing anything. scripts/build-server.mjs writes it
// beside the bundle; scripts/start.mjs reads it. Plain JavaScript with no dependencies: a
// production install (`npm ci --omit=dev`) runs it.
import { existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** Every project file the bundle was built from, with the modification time and size it had. */
const fileStamp = (root, path) => {
  const stat = statSync(join(root, path));
  return [stat.mtimeMs, stat.size];
};

const versionOf = (root, dir) => JSON.parse(readFileSync(join(root, dir, 'package.json'), 'utf8')).version;

/** Longer than the coarse clock's tick that file times come from (a jiffy, at most 10 ms). */
const CLOCK_TICK_MS = 20;

/**
 * files: project paths (sources, build settings); packages: the folders under node_modules whose
 * code went into the bundle. A file modified while the build ran (after `startedMs`) may not be
 * in the bundle as it is now: it is recorded with an impossible stamp, so the next start builds
 * again. (A stamp in the future, from a skewed clock, is recorded as it is: it would otherwise
 * make every start build.)
 */
export function writeManifest(root, manifestPath, { files, packages, startedMs }) {
  // Date.now() drops the fraction of a millisecond that mtimeMs keeps (a file saved in the build's
  // last millisecond is later than its end by that fraction), and Linux stamps files from a coarse
  // clock that may lag Date.now() by a tick: the window is widened by both, never narrowed.
  const finishedMs = Date.now() + 1;
  const fromMs = startedMs - CLOCK_TICK_MS;
  const stamp = (path) => {
    const [mtimeMs, size] = fileStamp(root, path);
    return mtimeMs >= fromMs && mtimeMs <= finishedMs ? [-1, -1] : [mtimeMs, size];
  };
  const manifest = {
    files: Object.fromEntries(files.map((path) => [path, stamp(path)])),
    packages: Object.fromEntries(packages.map((dir) => [dir, versionOf(root, dir)])),
  };
  writeFileSync(manifestPath, JSON.stringify(manifest, null, 1) + '\n');
}

/**
 * Why the build at manifestPath no longer matches the project, or null when it does. A source file
 * whose modification time or size differs from the recorded one (edited, checked out, restored
 * from an older copy), a source file gone, or a bundled package at another version (`npm update`).
 * An install without the sources (`server/main.ts` absent: a production host given build/ only)
 * runs its build as it is, provided the bundled packages are the versions it was built with.
 */
export function staleBecause(root, manifestPath) {
  if (!existsSync(manifestPath)) return 'no build manifest';
  const manifest = JSON.parse(readFileSync(manifestPath, 'utf8'));
  if (existsSync(join(root, 'server', 'main.ts'))) {
    for (const [path, [mtimeMs, size]] of Object.entries(manifest.files)) {
      const now = statSync(join(root, path), { throwIfNoEntry: false });
      if (!now) return `${path} is gone`;
      if (now.mtimeMs !== mtimeMs || now.size !== size) return `${path} changed`;
    }
  }
  for (const [dir, version] of Object.entries(manifest.packages)) {
    if (!existsSync(join(root, dir, 'package.json'))) return `${dir} is not installed`;
    if (versionOf(root, dir) !== version) return `${dir} is no longer ${version}`;
  }
  return null;
}
