/**
 * The widget script and the demo shop. The widget is served with an ETag of its content so
 * browsers keep it and revalidate cheaply; demo pages get a strict Content-Security-Policy, which
 * the widget is built to live under.
 */
import { createHash } from 'node:crypto';
import { readFile, stat } from 'node:fs/promises';
import { extname, join, normalize, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Hono, type Context } from 'hono';

const root = fileURLToPath(new URL('../../', import.meta.url));
const demoDir = join(root, 'demo');
const widgetFile = join(root, 'dist', 'checkout-cart.js');

const types: Record<string, string> = {
  '.html': 'text/html; charset=utf-8', '.css': 'text/css; charset=utf-8', '.js': 'text/javascript; charset=utf-8',
  '.svg': 'image/svg+xml', '.png': 'image/png', '.jpg': 'image/jpeg', '.webp': 'image/webp', '.ico': 'image/x-icon',
};

export function strictCsp(stripeOrigin: string): string {
  return [
    "default-src 'self'", `script-src 'self' ${stripeOrigin}`, `connect-src 'self' ${stripeOrigin}`, `frame-src ${stripeOrigin}`,
    "img-src 'self' data:", "style-src 'self' 'unsafe-inline'", "base-uri 'none'", "object-src 'none'", "form-action 'self'",
  ].join('; ');
}

async function sendFile(c: Context, path: string, headers: Record<string, string> = {}): Promise<Response> {
  const body = await readFile(path);
  const etag = `"${createHash('sha256').update(body).digest('base64url').slice(0, 27)}"`;
  const common = { ETag: etag, ...headers };
  if (c.req.header('if-none-match') === etag) return c.body(null, 304, common);
  return c.body(body, 200, { 'Content-Type': types[extname(path)] ?? 'application/octet-stream', ...common });
}

async function isFile(path: string): Promise<boolean> {
  return stat(path).then((s) => s.isFile(), () => false);
}

export function staticRoutes(o: { stripeOrigin: string }): Hono {
  const app = new Hono();
  app.get('/checkout-cart.js', async (c) => {
    if (!(await isFile(widgetFile))) return c.text('The widget is not built yet: run `npm run build`.', 404);
    return sendFile(c, widgetFile, { 'Cache-Control': 'public, max-age=0, must-revalidate', 'Access-Control-Allow-Origin': '*' });
  });
  app.get('/*', async (c) => {
    let path = decodeURIComponent(c.req.path);
    if (path.endsWith('/')) path += 'index.html';
    const file = normalize(join(demoDir, path));
    if (!file.startsWith(demoDir + sep) || !(await isFile(file))) return c.notFound();
    const headers: Record<string, string> = file.endsWith('.html') ? { 'Content-Security-Policy': strictCsp(o.stripeOrigin), 'Cache-Control': 'no-cache' } : { 'Cache-Control': 'public, max-age=300' };
    return sendFile(c, file, headers);
  });
  return app;
}
