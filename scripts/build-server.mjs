// Compiles the server (and shared/) to JavaScript in build/, and copies the files it reads at run
// time beside the compiled code: migrations, the demo catalog, the Stripe.js stand-in.
import { execFileSync } from 'node:child_process';
import { cpSync, readdirSync, rmSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

const ASSETS = /\.(sql|json|js|css)$/;

rmSync('build', { recursive: true, force: true });
execFileSync(process.execPath, ['node_modules/typescript/bin/tsc', '-p', 'tsconfig.build.json'], { stdio: 'inherit' });

function copyAssets(dir) {
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) copyAssets(path);
    else if (ASSETS.test(name)) cpSync(path, join('build', relative('.', path)));
  }
}
copyAssets('server');
