// Bundles the server with esbuild into build/server/server.cjs, run by build/server/main.js
// (scripts/server-loader.mjs) with V8's code cache, for `npm start` and production. One file
// instead of ~800 ES modules: resolving, reading and linking each module was most of a cold start.
// Code only some starts need stays out of the way: PostgreSQL's driver, ioredis and nodemailer
// are required where they are used, and the Stripe emulator's module runs only in emulated mode.
// The files the server reads at run time (migrations, the demo catalog, the Stripe.js stand-in)
// are copied beside it at their source paths, and a manifest of what went in lets `npm start`
// tell cheaply whether the bundle is stale (scripts/build-manifest.mjs). esbuild is a build-time
// tool only: the bundle needs nothing from the dev dependencies.
//
// The bundle is CommonJS because the loader runs it as a vm.Script, the one way Node 20 offers to
// hand V8 a code cache; ESM sources lose nothing by it (esbuild keeps them strict, and the loader
// passes the module variables).
//
//   node scripts/build-server.mjs                      build/server/
//   node scripts/build-server.mjs --out=DIR [--entry=NAME=PATH ...]
//       another folder, with more entry points as ES modules beside it (the bench's server targets)
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
const LOADER = 'scripts/server-loader.mjs';
/** Read by the build beside the sources, so a change to them makes the bundle stale too. */
const SETTINGS = ['package.json', 'tsconfig.json', 'scripts/build-server.mjs', LOADER];

/**
 * Two rewrites of the project's own modules (never of packages), as esbuild reads them:
 *
 * - In the bundle every module's `import.meta.url` would be the bundle's own (and a CommonJS
 *   bundle has none). Each project module gets back the URL its compiled file would have under
 *   the build folder, so `new URL('./migrations/', import.meta.url)` finds the copied migrations
 *   as it finds the sources. Every output file lies directly in `outdir`, so one relative path
 *   serves all.
 * - `import { z } from 'zod'` takes zod's `z` namespace as one value, which esbuild cannot shake:
 *   all of zod came along, its 40-odd locales included (590 kB of a 2.7 MB bundle). As
 *   `import * as z from 'zod'` every `z.object`, `z.string` is a named import, and only those
 *   are bundled (zod's own index exports both ways; the code reads the same).
 */
const ZOD_NAMESPACE = /^import \{ z \} from 'zod';$/gm;

function projectSources(outdir, buildRoot, format) {
  return {
    name: 'project-sources',
    setup(b) {
      b.onLoad({ filter: /\.(ts|mjs)$/ }, (args) => {
        if (args.path.split(sep).includes('node_modules')) return undefined;
        const text = readFileSync(args.path, 'utf8');
        const compiled = relative(outdir, join(buildRoot, relative(ROOT, args.path)).replace(/\.ts$/, '.js')).split(sep).join('/');
        const url = format === 'cjs'
          ? `require('node:url').pathToFileURL(require('node:path').join(__dirname, ${JSON.stringify(compiled)})).href`
          : `new URL(${JSON.stringify(`./${compiled}`)}, import.meta.url).href`;
        const contents = text.replaceAll('import.meta.url', url).replace(ZOD_NAMESPACE, "import * as z from 'zod';");
        return contents === text ? undefined : { contents, loader: args.path.endsWith('.ts') ? 'ts' : 'js' };
      });
    },
  };
}

/**
 * Copies the files the server reads at run time, and returns their project paths with every folder
 * walked: the server reads the copies, so the manifest must make them stale too, and a folder's
 * time changes when a file is added to it (a new migration from a `git pull`), which no file of
 * the last build could show.
 */
function copyAssets(dir, buildRoot, copied = []) {
  copied.push(relative(ROOT, dir));
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) copyAssets(path, buildRoot, copied);
    else if (ASSETS.test(name)) {
      cpSync(path, join(buildRoot, relative(ROOT, path)));
      copied.push(relative(ROOT, path));
    }
  }
  return copied;
}

/** The folder under node_modules a bundled file came from (`node_modules/a/node_modules/@b/c`). */
const packageDir = (path) => /^(.*node_modules\/(?:@[^/]+\/)?[^/]+)\//.exec(path)?.[1];

const bundle = (outdir, buildRoot, format, entryPoints) => build({
  absWorkingDir: ROOT,
  entryPoints,
  outdir,
  entryNames: '[name]',
  outExtension: format === 'cjs' ? { '.js': '.cjs' } : {},
  bundle: true,
  format,
  platform: 'node',
  target: 'node20',
  external: EXTERNAL,
  // Bundled CommonJS packages call require() for node's own modules; an ES module has none of its own.
  banner: format === 'esm' ? { js: "import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);" } : {},
  // Class and function names as in the sources: error names and stack frames read as they do there.
  keepNames: true,
  // Stack frames name server.cjs and a line of it, readable as it is (not minified, each module
  // under a `// server/…` comment); the map leads back to the TypeScript for tools that read it.
  sourcemap: 'linked',
  sourcesContent: false,
  metafile: true,
  logLevel: 'warning',
  plugins: [projectSources(outdir, buildRoot, format)],
});

/** The loader runs the bundle as a vm.Script, where an import() would throw on Node 20. */
function refuseDynamicImports(metafile) {
  for (const [output, { imports }] of Object.entries(metafile.outputs)) {
    const dynamic = imports.filter((i) => i.kind === 'dynamic-import' && i.external).map((i) => i.path);
    if (dynamic.length) throw new Error(`${output} would import() ${dynamic.join(', ')} at run time: require it (createRequire) where it is used`);
  }
}

export async function buildServer({ buildRoot = join(ROOT, 'build'), entries = {} } = {}) {
  const startedMs = Date.now();
  const outdir = join(buildRoot, 'server');
  rmSync(buildRoot, { recursive: true, force: true });
  const server = await bundle(outdir, buildRoot, 'cjs', { server: 'server/main.ts' });
  refuseDynamicImports(server.metafile);
  cpSync(join(ROOT, LOADER), join(outdir, 'main.js'));
  const extra = Object.keys(entries).length ? await bundle(outdir, buildRoot, 'esm', entries) : undefined;
  const assets = copyAssets(join(ROOT, 'server'), buildRoot);
  const inputs = [server, extra].flatMap((result) => (result ? Object.keys(result.metafile.inputs) : []));
  writeManifest(ROOT, join(outdir, 'build-manifest.json'), {
    files: [...new Set([...SETTINGS, ...inputs.filter((path) => !path.includes('node_modules/')), ...assets])],
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
