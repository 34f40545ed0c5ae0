import type { CSSResult, LitElement } from 'lit';

/** Adds CSS that arrived with a lazily loaded view to an element's shadow root, after what it has. */
export function addStyles(host: LitElement, styles: CSSResult): void {
  const root = host.renderRoot;
  if (!(root instanceof ShadowRoot)) return;
  if (styles.styleSheet) {
    root.adoptedStyleSheets = [...root.adoptedStyleSheets, styles.styleSheet];
  } else {
    // No constructable stylesheets: as Lit itself does, a <style> element (with the page's nonce).
    const style = document.createElement('style');
    const nonce = (globalThis as { litNonce?: string }).litNonce;
    if (nonce) style.setAttribute('nonce', nonce);
    style.textContent = styles.cssText;
    root.append(style);
  }
}
