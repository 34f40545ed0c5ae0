/**
 * The browser tests' link to the real server: a @web/test-runner plugin that starts the whole
 * server (real SQLite in a temp folder, the Stripe emulator delivering signed webhooks) once per
 * run, and answers the commands the tests send with `executeServerCommand`.
 */
import type { TestRunnerPlugin } from '@web/test-runner';
import type { Page } from 'playwright-core';
import { count, pay, payByRedirect, startTestServer, type TestServer } from '../../helpers/server.ts';
import type { ApiFault, ChallengeAnswer, RedirectPayment, RestoreTokenRequest } from './commands.ts';
import { IntentReadHold } from '../../helpers/intent-reads.ts';
import { admin } from '../../helpers/admin.ts';

function pageOf(session: { id: string; browser: unknown }): Page {
  return (session.browser as { getPage(id: string): Page }).getPage(session.id);
}

/** Makes the browser see the API fail, as a shopper's browser would: nothing reaches the server. */
async function injectFault(page: Page, serverUrl: string, fault: ApiFault): Promise<void> {
  // Offline means no request reaches the server at all (the widget's no-cors probe of /api/config
  // included); the other faults are answers to the cart requests.
  const everything = `${serverUrl}/api/**`;
  const carts = `${serverUrl}/api/carts/**`;
  await page.unroute(everything);
  await page.unroute(carts);
  if (fault === 'none') return;
  const cors = { 'access-control-allow-origin': '*' };
  await page.route(fault === 'offline' ? everything : carts, (route) => {
    // Preflights pass so the failure is the answer itself, not CORS.
    if (route.request().method() === 'OPTIONS') return route.continue();
    if (fault === 'offline') return route.abort('connectionrefused');
    if (fault === 'server-error') return route.fulfill({ status: 503, headers: cors, contentType: 'text/html', body: '<h1>503 Service Unavailable</h1>' });
    if (fault === 'rate-limited') {
      // As the server answers a spent budget (server/http/rate-limit.ts), CORS exposure included.
      return route.fulfill({
        status: 429, headers: { ...cors, 'access-control-expose-headers': 'Retry-After', 'retry-after': '42' }, contentType: 'application/json',
        body: JSON.stringify({ error: { code: 'rate_limited', message: 'Too many attempts. Please wait 42 seconds and try again.' } }),
      });
    }
    return route.fulfill({ status: 200, headers: cors, contentType: 'application/json', body: '{"cart": {"id": ' });
  });
}

export function checkoutServerPlugin(): TestRunnerPlugin {
  let server: TestServer | undefined;
  let intentReads: IntentReadHold | undefined;
  return {
    name: 'checkout-server',
    async serverStart() {
      server = await startTestServer();
      // A code a merchant may well make (100 % off): on goods that ship nothing, a total Stripe can't charge.
      const allFree = await admin(server, '/coupons', { json: { code: 'ALLFREE', type: 'percentage', value: 100 } });
      if (allFree.status !== 201) throw new Error(`coupon ALLFREE: ${JSON.stringify(allFree.body)}`);
      intentReads = new IntentReadHold(server.sdk);
    },
    async serverStop() {
      await server?.stop();
    },
    async executeCommand({ command, payload, session }) {
      if (!command.startsWith('checkout-')) return undefined;
      if (!server) throw new Error('the checkout server did not start');
      switch (command) {
        case 'checkout-server-url':
          return server.url;
        case 'checkout-api-fault':
          await injectFault(pageOf(session), server.url, payload as ApiFault);
          return true;
        case 'checkout-pay-out-of-band': {
          // What a bank's redirect page does while the shop's page is away.
          const result = await pay(server, payload as string);
          return 'status' in result ? result.status : result.message;
        }
        case 'checkout-pay-by-redirect': {
          // The shopper on the redirect method's page, picking an outcome; the page's `return_url`, back.
          const { clientSecret, result } = payload as RedirectPayment;
          return (await payByRedirect(server, clientSecret, result)).search;
        }
        case 'checkout-3ds-answer': {
          // The shopper answering inside the bank's frame, which is another origin's page.
          const { paymentIntentId, answer } = payload as ChallengeAnswer;
          return (await server.stripe.emulator!.authenticate(paymentIntentId, answer)).status;
        }
        case 'checkout-stripe-settles':
          // What Stripe does later on its own: processing payments settle, and their webhooks arrive.
          server.stripe.emulator!.tasks.flush();
          await server.stripe.emulator!.webhooks.flush();
          await server.stripe.emulator!.webhooks.idle();
          return true;
        case 'checkout-retry-token':
          return server.checkout.tokens.sign(payload as string, Date.now() + 3_600_000);
        case 'checkout-restore-token': {
          const { cartId, validForMs } = payload as RestoreTokenRequest;
          return server.checkout.tokens.signFor('restore', cartId, Date.now() + validForMs);
        }
        case 'checkout-webhooks-hold':
          // Stripe is late with its webhooks: none is delivered until a test settles them.
          server.stripe.emulator!.webhooks.configure({ paused: true });
          return true;
        case 'checkout-webhooks-release':
          server.stripe.emulator!.webhooks.configure({ paused: false });
          return true;
        case 'checkout-intent-reads-hold':
          intentReads!.hold();
          return true;
        case 'checkout-intent-reads-refuse':
          intentReads!.refuse();
          return true;
        case 'checkout-intent-read-held':
          await intentReads!.someHeld();
          return true;
        case 'checkout-intent-reads-release':
          intentReads!.letGo();
          return true;
        case 'checkout-charges': {
          // What Stripe charged for this checkout, from its own events; and the orders we made of it.
          const checkoutId = payload as string;
          let charges = 0;
          for await (const event of server.sdk.events.list({ type: 'charge.succeeded', limit: 100 })) {
            if ((event.data.object as { metadata?: Record<string, string> }).metadata?.checkout_id === checkoutId) charges++;
          }
          const orders = await count(server, 'SELECT count(*) FROM orders WHERE checkout_id = ?', checkoutId);
          return { charges, orders };
        }
        case 'checkout-webhooks-settled':
          await server.stripe.emulator!.webhooks.flush();
          await server.stripe.emulator!.webhooks.idle();
          return true;
        default:
          throw new Error(`unknown command ${command}`);
      }
    },
  };
}
