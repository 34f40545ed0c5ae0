/**
 * What every view a shopper sees must pass, checked in the page as it is: axe-core (WCAG 2 A/AA
 * and best practices, through the widget's shadow tree), no horizontal overflow, and on a phone
 * tap targets of at least 44 x 44 px. And the page's console, which must stay quiet.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { BrowserContext, Page } from 'playwright-core';

const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

export interface Look {
  /** `phone` is 390 x 844 (an iPhone 12 to 15), `desktop` 1280 x 800. */
  device: 'phone' | 'desktop';
  scheme: 'light' | 'dark';
  /** The shop page's language, which the widget speaks. */
  lang: 'en' | 'de';
}

export const lookName = (look: Look) => `${look.device}, ${look.scheme}, ${look.lang}`;

export function contextOptions(look: Look) {
  const phone = look.device === 'phone';
  return {
    viewport: phone ? { width: 390, height: 844 } : { width: 1280, height: 800 },
    deviceScaleFactor: 1, isMobile: phone, hasTouch: phone, colorScheme: look.scheme,
    locale: look.lang === 'de' ? 'de-DE' : 'en-US',
  } as const;
}

/**
 * Gives the shop's pages `lang` (the demo is English) as the parser makes <html>: the widget
 * follows the page's `lang`. (Rewriting the HTML with route.fulfill would make Chromium treat the
 * page as public and refuse its loopback requests.)
 */
export async function speak(context: BrowserContext, lang: Look['lang']): Promise<void> {
  if (lang === 'en') return;
  await context.addInitScript(`new MutationObserver((_, observer) => {
    if (!document.documentElement) return;
    document.documentElement.lang = ${JSON.stringify(lang)};
    observer.disconnect();
  }).observe(document, { childList: true });`);
}

/** Console errors, uncaught exceptions and failed requests (which log an error) on a page, to assert there were none. */
export function consoleErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on('console', (message) => { if (message.type() === 'error') errors.push(message.text()); });
  page.on('pageerror', (error) => errors.push(String(error)));
  page.on('response', (response) => { if (response.status() >= 400) errors.push(`${response.status()} ${response.request().method()} ${new URL(response.url()).pathname}`); });
  return errors;
}

interface AxeViolation { id: string; impact: string; help: string; nodes: { target: unknown[] }[] }

export async function axeViolations(page: Page): Promise<string[]> {
  // Evaluated through the DevTools protocol, so the page's strict CSP does not stop it.
  if (!(await page.evaluate(() => 'axe' in window))) await page.evaluate(axeSource);
  const violations = await page.evaluate(async () => {
    const axe = (window as unknown as { axe: { run(context: unknown, options: unknown): Promise<{ violations: AxeViolation[] }> } }).axe;
    return (await axe.run(document, { resultTypes: ['violations'] })).violations;
  });
  return violations.map((v) => `${v.id} (${v.impact}): ${v.help} at ${v.nodes.map((n) => JSON.stringify(n.target)).join(', ')}`);
}

/**
 * Controls under 44 x 44 px, visible and not inert (the widget's panel, the shop's header and its
 * buttons), and controls or line totals cut off at the screen's edge. Links inside running text
 * are exempt from the size (WCAG 2.5.8); Stripe's own form is Stripe's to size.
 * Plain JavaScript in a string: the test's TypeScript transform would add helpers the page lacks.
 */
const TAP_TARGET_PROBLEMS = `(() => {
  const found = [];
  const roots = [document];
  for (let i = 0; i < roots.length; i++) {
    for (const el of roots[i].querySelectorAll('*')) if (el.shadowRoot) roots.push(el.shadowRoot);
    for (const el of roots[i].querySelectorAll('a[href], button, input:not([type=hidden]), select, [role=tab], [part=line-total]')) {
      if ((el.localName === 'a' && el.closest('p, pre')) || el.closest('[inert], [hidden], .checkout-cart-payment')) continue;
      // A radio button or checkbox is tapped through its label.
      const box = ((el.type === 'radio' || el.type === 'checkbox') && el.closest('label') || el).getBoundingClientRect();
      if (box.width === 0 && box.height === 0) continue;
      if (box.left < -0.5 || box.right > innerWidth + 0.5) found.push('cut off at the screen edge: ' + el.localName + ' "' + (el.getAttribute('aria-label') || el.textContent || '').trim().slice(0, 30) + '"');
      if (el.getAttribute('part') === 'line-total') continue;
      if (box.width < 44 || box.height < 44) {
        const part = el.getAttribute('part');
        const name = (el.getAttribute('aria-label') || el.textContent || '').trim().slice(0, 30);
        found.push(el.localName + (part ? '[part=' + part + ']' : '') + ' "' + name + '" ' + Math.round(box.width) + 'x' + Math.round(box.height));
      }
    }
  }
  return found;
})()`;

/** The checks every view passes; `view` names it in failures. */
export async function checkView(page: Page, look: Look, view: string): Promise<void> {
  const where = `${view} (${lookName(look)})`;
  assert.deepEqual(await axeViolations(page), [], `axe violations on ${where}`);
  const { scrollWidth, innerWidth } = await page.evaluate(() => ({ scrollWidth: document.documentElement.scrollWidth, innerWidth: window.innerWidth }));
  assert.ok(scrollWidth <= innerWidth, `${where} is ${scrollWidth} px wide in a ${innerWidth} px window`);
  if (look.device === 'phone') assert.deepEqual(await page.evaluate<string[]>(TAP_TARGET_PROBLEMS), [], `tap targets under 44 px or cut off on ${where}`);
}
