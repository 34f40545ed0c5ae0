/**
 * While the panel is open it is modal, as a cart drawer is: what it and its backdrop cover cannot
 * be reached (the rest of the page is `inert`: no Tab, click or screen-reader cursor gets there),
 * and Escape closes it wherever focus is, even on the page's body.
 *
 * Not a native `<dialog>` opened with showModal(): Stripe.js opens 3D Secure (and wallets) in
 * the page's body, and the top layer would put a modal panel above them and make them inert.
 * Elements added to the page while the panel is open (Stripe's challenge) are therefore left
 * alive, and Escape inside another open modal dialog is that dialog's own.
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

/** Makes the page around `host` inert and listens for Escape; returns what undoes both. */
export function makePageModal(host: HTMLElement, close: () => void): () => void {
  const made = outside(host).filter((element) => !element.hasAttribute('inert'));
  for (const element of made) element.setAttribute('inert', '');
  const onKeydown = (event: KeyboardEvent): void => {
    if (event.key !== 'Escape' || event.isComposing || event.defaultPrevented) return;
    if (event.composedPath().some((node) => node instanceof HTMLDialogElement && node.open)) return;
    event.preventDefault();
    close();
  };
  document.addEventListener('keydown', onKeydown);
  return () => {
    for (const element of made) element.removeAttribute('inert');
    document.removeEventListener('keydown', onKeydown);
  };
}
