/**
 * The Custom Elements Manifest (custom-elements.json) of <checkout-cart>, from the element's JSDoc
 * and its Lit declarations: `npm run build` writes it, package.json's `customElements` points at it,
 * and test/widget-build/manifest.test.ts holds it to the element as it renders.
 */
/**
 * The analyzer also reports every `dispatchEvent(new SomeEvent())` it sees, named after the first
 * constructor argument or not at all. The element's events are the ones its JSDoc documents (with
 * their type): those alone stay.
 */
const documentedEventsOnly = {
  name: 'documented-events-only',
  packageLinkPhase({ customElementsManifest }) {
    for (const module of customElementsManifest.modules) {
      for (const declaration of module.declarations ?? []) {
        if (declaration.events) declaration.events = declaration.events.filter((event) => event.name && event.description);
      }
    }
  },
};

export default {
  globs: ['widget/checkout-cart/checkout-cart.component.ts', 'widget/checkout-cart/checkout-cart.ts'],
  outdir: 'dist',
  litelement: true,
  // package.json names the manifest itself; the analyzer would rewrite that field on every run.
  packagejson: false,
  plugins: [documentedEventsOnly],
};
