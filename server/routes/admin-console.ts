/**
 * The merchant's console at /admin: a page and its hashed assets, built by `npm run build:admin`
 * into dist/admin/. The page is public (it holds nothing); everything it shows comes from the
 * admin API with the token the merchant signs in with.
 */
import { join } from 'node:path';
import { Hono } from 'hono';
import { etag } from 'hono/etag';
import { serveStatic } from '@hono/node-server/serve-static';
import { consolePolicy, pageSecurity } from '../http/csp.ts';
import { projectRoot } from '../paths.ts';
import { whenServed } from './static.ts';

const consoleDir = join(projectRoot, 'dist', 'admin');

// Asset names carry their content's hash: a new build is a new name, so they are kept for a year.
const assetHeaders = () => ({ 'Cache-Control': 'public, max-age=31536000, immutable' });
const pageHeaders = () => ({ 'Cache-Control': 'no-cache' });

export function adminConsoleRoutes() {
  const page = [pageSecurity(consolePolicy), etag(), whenServed(pageHeaders), serveStatic({ path: join(consoleDir, 'index.html') })] as const;
  const notBuilt = () => new Response('The admin console is not built yet: run `npm run build`.', { status: 404, headers: { 'content-type': 'text/plain; charset=utf-8' } });
  return new Hono({ strict: false })
    // Rooted at the project (which always exists) rather than dist/admin (which is there once built).
    .get('/assets/*', etag(), whenServed(assetHeaders), serveStatic({ root: projectRoot, rewriteRequestPath: (path) => `/dist${path}` }))
    .get('/', ...page, notBuilt);
}
