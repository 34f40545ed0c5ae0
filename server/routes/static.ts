/**
 * The widget (`/checkout-cart.js` and the chunks it imports, `/chunks/*.js`, from dist/) and the
 * demo shop (demo/), served by
 * @hono/node-server's serveStatic (MIME types, index.html, refusing `..` and encoded separators)
 * with hono's etag() so browsers revalidate instead of downloading again.
 */
import { join } from 'node:path';
import { Hono, type Context, type MiddlewareHandler } from 'hono';
import { etag, RETAINED_304_HEADERS } from 'hono/etag';
import { serveStatic } from '@hono/node-server/serve-static';
import { pageSecurity, shopPagePolicy, type StripeSources } from '../http/csp.ts';
import { projectRoot } from '../paths.ts';

const root = projectRoot;
const demoDir = join(root, 'demo');
const widgetFile = join(root, 'dist', 'checkout-cart.js');

/** Headers for a file that was found, set inside etag() so a 304 keeps them. (serveStatic's own
 * onFound hook runs after its response is made, too late to add headers to it.) */
export function whenServed(headers: (c: Context) => Record<string, string>): MiddlewareHandler {
  return async (c, next) => {
    await next();
    if (c.res.ok) for (const [name, value] of Object.entries(headers(c))) c.res.headers.set(name, value);
  };
}

// Any merchant's page loads the widget; it is always revalidated, so a new build is picked up at once.
const widgetHeaders = () => ({ 'Cache-Control': 'public, max-age=0, must-revalidate', 'Access-Control-Allow-Origin': '*' });
// The widget's chunks (cart panel, checkout, locale packs) load from the widget's own URL, on any
// merchant's page; their names carry a content hash, so a name never changes its content.
const chunkHeaders = () => ({ 'Cache-Control': 'public, max-age=31536000, immutable', 'Access-Control-Allow-Origin': '*' });
// Pages are revalidated every time; their images, styles and scripts are kept for five minutes.
const demoHeaders = (c: Context) => ({ 'Cache-Control': c.res.headers.get('content-type')?.startsWith('text/html') ? 'no-cache' : 'public, max-age=300' });

export function staticRoutes(o: { stripe: StripeSources }) {
  return new Hono()
    // A 304 keeps Access-Control-Allow-Origin too: the revalidation is a cross-origin request.
    .get('/checkout-cart.js', etag({ retainedHeaders: [...RETAINED_304_HEADERS, 'access-control-allow-origin'] }), whenServed(widgetHeaders), serveStatic({ path: widgetFile }),
      (c) => c.text('The widget is not built yet: run `npm run build`.', 404))
    .get('/chunks/*', whenServed(chunkHeaders), serveStatic({ root: join(root, 'dist') }))
    .get('/*', pageSecurity(shopPagePolicy(o.stripe)), etag(), whenServed(demoHeaders), serveStatic({ root: demoDir }));
}
