/**
 * While the panel is open it is modal, as a cart drawer is: what it and its backdrop cover cannot
 * be reached (the rest of the page is `inert`: no Tab, click or screen-reader cursor gets there).
 * Used by ./panel-controller.ts, which also closes the panel on Escape.
 *
 * Not a native `<dialog>` opened with showModal(): Stripe.js opens 3D Secure (and wallets) in
 * the page's body, and the top layer would put a modal panel above them and make them inert.
 * Elements added to the page while the panel is open (Stripe's challenge) are therefore left alive.
 */

/** The elements beside `host` and beside each of its ancestors, up to the body (across shadow roots). */
function outside(host: Element): Element[] {
  const found: Element[] = [];
  for (let node: Element = host; node !== document.body && node !== document.documentElement;) {
    const parent: ParentNode | null = node.parentNode;
    if (!parent) break;
    for (const sibling of Array.from(parent.children)) if (sibling !== node) found.push(sibling);
    node = parent instanceof ShadowRoot ? parent.host : (parent as Element);
  }
  return found;
}

/** Makes the page around `host` inert; returns what undoes it. */
export function makePageModal(host: HTMLElement): () => void {
  const made = outside(host).filter((element) => !element.hasAttribute('inert'));
  for (const element of made) element.setAttribute('inert', '');
  return () => {
    for (const element of made) element.removeAttribute('inert');
  };
}
