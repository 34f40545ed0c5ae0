// build/server/main.js (scripts/build-server.mjs copies it there): runs the server bundle,
// server.cjs, with V8's code cache kept beside it in server.cjs.cache.
//
// Compiling the 2 MB bundle was the largest single part of a start; from the cache V8 takes the
// code it compiled during an earlier run instead (about 35 ms less CPU to the first answer, of
// ~255, on a 2-core machine). Node 22.1's module.enableCompileCache() keeps such a cache for the
// modules it loads, but Node 20 has none, so the bundle runs as a vm.Script with the same V8
// mechanism (cachedData). V8 checks a cache against the source, its own version and its flags,
// and ignores one that does not match (another Node, other flags); the cache is then written anew
// when the process exits, once the code a start runs has been compiled. V8 checks the source by
// its length only, and runs a cache made from another bundle of the same length (a server that ran
// the last build exits after a rebuild and writes its cache beside the new bundle): so the cache
// begins with the SHA-256 of the bundle it was made from, and is used only with that bundle. Nothing
// depends on the cache: a read-only install, or a process that never exits cleanly, only starts
// without it.
import { createHash } from 'node:crypto';
import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import vm from 'node:vm';

const bundle = fileURLToPath(new URL('./server.cjs', import.meta.url));
const cacheFile = `${bundle}.cache`;

/** The bundle as Node loads any CommonJS file: no code cache, but stack traces mapped to the sources. */
function requireBundle() {
  createRequire(bundle)(bundle);
}

/** The bundle as a vm.Script with V8's code cache; the cache is written at exit when there was none to use. */
function runBundleCached() {
  const source = readFileSync(bundle);
  const madeFrom = createHash('sha256').update(source).digest();
  let cachedData;
  try {
    const cache = readFileSync(cacheFile);
    if (madeFrom.equals(cache.subarray(0, madeFrom.length))) cachedData = cache.subarray(madeFrom.length);
  } catch {
    // No cache yet.
  }
  // The wrapper shares the bundle's first line, so stack traces give the bundle's own line numbers.
  const script = new vm.Script(`(function (exports, require, module, __filename, __dirname) {${source.toString('utf8')}\n})`, { filename: bundle, cachedData });
  if (cachedData === undefined || script.cachedDataRejected) {
    process.once('exit', () => {
      // Written whole, then renamed: processes exiting together never leave a torn file.
      const partial = `${cacheFile}.${process.pid}`;
      try {
        writeFileSync(partial, Buffer.concat([madeFrom, script.createCachedData()]));
        renameSync(partial, cacheFile);
      } catch {
        // A read-only install: later starts compile as this one did.
      }
    });
  }
  const module = { exports: {} };
  script.runInThisContext()(module.exports, createRequire(bundle), module, bundle, dirname(bundle));
}

// Node applies source maps only to the files it loads itself, never to a vm.Script: with
// `--enable-source-maps` (or NODE_OPTIONS=--enable-source-maps) the bundle is loaded so, and stack
// traces name the TypeScript sources; it costs the cache and ~13 ms of map reading at start.
if (process.sourceMapsEnabled) requireBundle();
else runBundleCached();
