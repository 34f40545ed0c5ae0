/**
 * What a keyboard user needs of a view, checked by pressing Tab as they would: every control on
 * screen (through open shadow roots) takes the focus in turn, and shows it.
 */
import type { Page } from 'playwright-core';

/**
 * Puts the view's visible, enabled controls on `window.__tabbable` and returns how many.
 * Plain JavaScript in a string: the test's TypeScript transform would add helpers the page lacks.
 */
const LIST_CONTROLS = `(() => {
  const found = [];
  const roots = [document];
  for (let i = 0; i < roots.length; i++) {
    for (const el of roots[i].querySelectorAll('*')) if (el.shadowRoot) roots.push(el.shadowRoot);
    for (const el of roots[i].querySelectorAll('a[href], button, input:not([type=hidden]), select, textarea, summary, [tabindex]')) {
      if (el.disabled || el.getAttribute('tabindex') === '-1' || !el.checkVisibility()) continue;
      found.push(el);
    }
  }
  window.__tabbable = found;
  return found.length;
})()`;

/** The focused element inside shadow roots, whether it is one of the listed controls, and whether its focus shows. */
const FOCUSED = `(() => {
  let el = document.activeElement;
  while (el && el.shadowRoot && el.shadowRoot.activeElement) el = el.shadowRoot.activeElement;
  if (!el || el === document.body) return null;
  const style = getComputedStyle(el);
  const outline = style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) > 0;
  return {
    index: window.__tabbable.indexOf(el),
    name: el.localName + (el.name ? '[name=' + el.name + ']' : '') + ' "' + (el.getAttribute('aria-label') || el.textContent || '').trim().slice(0, 30) + '"',
    visible: outline || style.boxShadow !== 'none',
  };
})()`;

const BLUR = `(() => {
  let el = document.activeElement;
  while (el && el.shadowRoot && el.shadowRoot.activeElement) el = el.shadowRoot.activeElement;
  if (el) el.blur();
})()`;

const UNREACHED = `(reached) => window.__tabbable.filter((_, i) => !reached.includes(i)).map((el) =>
  el.localName + (el.name ? '[name=' + el.name + ']' : '') + ' "' + (el.getAttribute('aria-label') || el.textContent || '').trim().slice(0, 30) + '"')`;

/**
 * Tabs through the view from its start (one round, and a few presses more for the parts of a date
 * field) and returns what a keyboard user would miss: controls Tab never reaches, and controls
 * that take the focus without showing it. Leaves nothing focused, so screenshots show no focus ring.
 */
export async function keyboardProblems(page: Page): Promise<string[]> {
  const controls = await page.evaluate<number>(LIST_CONTROLS);
  await page.evaluate(BLUR);
  const reached: number[] = [];
  const problems: string[] = [];
  for (let press = 0; press < controls * 4 + 10 && reached.length < controls; press++) {
    await page.keyboard.press('Tab');
    const focused = await page.evaluate<{ index: number; name: string; visible: boolean } | null>(FOCUSED);
    if (!focused || focused.index < 0 || reached.includes(focused.index)) continue;
    reached.push(focused.index);
    if (!focused.visible) problems.push(`no visible focus on ${focused.name}`);
  }
  const unreached = await page.evaluate(`(${UNREACHED})(${JSON.stringify(reached)})`) as string[];
  await page.evaluate(BLUR);
  return [...problems, ...unreached.map((name) => `Tab never reaches ${name}`)];
}
