/**
 * Stripe.js is never bundled: it loads from the URL the server names (Stripe's own, or the
 * emulator's stand-in) the first time a shopper starts a checkout. A `<script src>` tag, not
 * inline code, so pages with a strict Content-Security-Policy only need to allow that origin.
 * This is what `loadStripe` from `@stripe/stripe-js/pure` does, minus its 2 KB: that loader only
 * knows Stripe's own URL, and we need the server's.
 */
// Type-only: also declares `window.Stripe`.
import type { Stripe } from '@stripe/stripe-js';

const loaded = new Map<string, Promise<Stripe>>();

function injectScript(src: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const script = document.createElement('script');
    script.src = src;
    script.async = true;
    script.addEventListener('load', () => resolve());
    script.addEventListener('error', () => {
      script.remove();
      reject(new Error(`Stripe.js did not load from ${src}`));
    });
    document.head.append(script);
  });
}

/** One Stripe instance per publishable key; a failed load can be tried again. */
export function stripeFor(stripeJsUrl: string, publishableKey: string): Promise<Stripe> {
  let pending = loaded.get(publishableKey);
  if (!pending) {
    pending = (async () => {
      if (!window.Stripe) await injectScript(stripeJsUrl);
      if (!window.Stripe) throw new Error(`${stripeJsUrl} did not define window.Stripe`);
      return window.Stripe(publishableKey);
    })();
    loaded.set(publishableKey, pending);
    pending.catch(() => loaded.delete(publishableKey));
  }
  return pending;
}
