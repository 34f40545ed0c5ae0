/**
 * Where the project's files are, whether the server runs from its TypeScript sources (tests,
 * development) or compiled into build/ (`npm start`, production): the nearest folder above this
 * file that holds package.json. The widget bundle (dist/) and the demo pages (demo/) live there.
 */
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

function findProjectRoot(from: string): string {
  for (let dir = from; ; dir = dirname(dir)) {
    if (existsSync(join(dir, 'package.json'))) return dir;
    if (dirname(dir) === dir) throw new Error(`no package.json above ${from}`);
  }
}

export const projectRoot = findProjectRoot(dirname(fileURLToPath(import.meta.url)));
