// Bundles the server into build/server/main.js with esbuild, for `npm start` and production.
// One file instead of ~800 ES modules: resolving, reading and linking each module was most of a
// cold start. Code only some starts need (the Stripe emulator, PostgreSQL's driver) is loaded by
// dynamic import, so it goes to chunks of its own that a start without it never reads. The files
// the server reads at run time (migrations, the demo catalog, the Stripe.js stand-in) are copied
// beside it at their source paths, and a manifest of what went in lets `npm start` tell cheaply
// whether the bundle is stale (scripts/build-manifest.mjs). esbuild is a build-time tool only:
// the bundle needs nothing from the dev dependencies.
//
//   node scripts/build-server.mjs                      build/server/
//   node scripts/build-server.mjs --out=DIR [--entry=NAME=PATH ...]
//       another folder, with more entry points beside main (the bench's server targets)
import { build } from 'esbuild';
import { cpSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { writeManifest } from './build-manifest.mjs';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const ASSETS = /\.(sql|json|js|css)$/;
/** Left to node_modules: native code (better-sqlite3), and CommonJS packages loaded only in the
 * modes that need them (pg on PostgreSQL, ioredis with Redis, nodemailer with SMTP). */
const EXTERNAL = ['better-sqlite3', 'pg', 'ioredis', 'nodemailer'];
/** Read by esbuild beside the sources, so a change to them makes the bundle stale too. */
const SETTINGS = ['package.json', 'tsconfig.json', 'scripts/build-server.mjs'];

/**
 * Two rewrites of the project's own modules (never of packages), as esbuild reads them:
 *
 * - In the bundle every module's `import.meta.url` would be the bundle's own. Each project module
 *   gets back the URL its compiled file would have under the build folder, so
 *   `new URL('./migrations/', import.meta.url)` finds the copied migrations as it finds the
 *   sources. Every output file lies directly in `outdir`, so one relative path serves all.
 * - `import { z } from 'zod'` takes zod's `z` namespace as one value, which esbuild cannot shake:
 *   all of zod came along, its 40-odd locales included (750 kB of a 2.7 MB bundle). As
 *   `import * as z from 'zod'` every `z.object`, `z.string` is a named import, and only those
 *   are bundled (zod's own index exports both ways; the code reads the same).
 */
const ZOD_NAMESPACE = /^import \{ z \} from 'zod';$/gm;

function projectSources(outdir, buildRoot) {
  return {
    name: 'project-sources',
    setup(b) {
      b.onLoad({ filter: /\.(ts|mjs)$/ }, (args) => {
        if (args.path.split(sep).includes('node_modules')) return undefined;
        const text = readFileSync(args.path, 'utf8');
        const compiled = join(buildRoot, relative(ROOT, args.path)).replace(/\.ts$/, '.js');
        const url = `new URL(${JSON.stringify(`./${relative(outdir, compiled).split(sep).join('/')}`)}, import.meta.url).href`;
        const contents = text.replaceAll('import.meta.url', url).replace(ZOD_NAMESPACE, "import * as z from 'zod';");
        return contents === text ? undefined : { contents, loader: args.path.endsWith('.ts') ? 'ts' : 'js' };
      });
    },
  };
}

function copyAssets(dir, buildRoot) {
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) copyAssets(path, buildRoot);
    else if (ASSETS.test(name)) cpSync(path, join(buildRoot, relative(ROOT, path)));
  }
}

/** The folder under node_modules a bundled file came from (`node_modules/a/node_modules/@b/c`). */
const packageDir = (path) => /^(.*node_modules\/(?:@[^/]+\/)?[^/]+)\//.exec(path)?.[1];

export async function buildServer({ buildRoot = join(ROOT, 'build'), entries = {} } = {}) {
  const startedMs = Date.now();
  const outdir = join(buildRoot, 'server');
  rmSync(buildRoot, { recursive: true, force: true });
  const result = await build({
    absWorkingDir: ROOT,
    entryPoints: { main: 'server/main.ts', ...entries },
    outdir,
    entryNames: '[name]',
    chunkNames: '[name]-[hash]',
    bundle: true,
    splitting: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    external: EXTERNAL,
    // Bundled CommonJS packages call require() for node's own modules; ESM has none of its own.
    banner: { js: "import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);" },
    // Class and function names as in the sources: error names and stack frames read as they do there.
    keepNames: true,
    // Stack traces name build/server/main.js and a line; the map turns them back into sources
    // (`node --enable-source-maps`, or any tool reading the .map), at no cost to a normal start.
    sourcemap: 'linked',
    sourcesContent: false,
    metafile: true,
    logLevel: 'warning',
    plugins: [projectSources(outdir, buildRoot)],
  });
  copyAssets(join(ROOT, 'server'), buildRoot);
  const inputs = Object.keys(result.metafile.inputs);
  writeManifest(ROOT, join(outdir, 'build-manifest.json'), {
    files: [...SETTINGS, ...inputs.filter((path) => !path.includes('node_modules/'))],
    packages: [...new Set(inputs.map(packageDir).filter(Boolean))].sort(),
    startedMs,
  });
  return outdir;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const option = (name) => process.argv.filter((a) => a.startsWith(`--${name}=`)).map((a) => a.slice(name.length + 3));
  const entries = Object.fromEntries(option('entry').map((e) => e.split('=')));
  const out = option('out')[0];
  await buildServer({ buildRoot: out === undefined ? undefined : resolve(out), entries });
}
