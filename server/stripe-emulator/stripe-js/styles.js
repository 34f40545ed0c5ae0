// Part of the Stripe.js stand-in. Styles go in through the CSSOM (a constructed stylesheet adopted
// by the document), which a strict style-src allows, unlike a <style> element.

let stylesAdopted = false;

function adoptStyles() {
  if (stylesAdopted) return;
  stylesAdopted = true;
  if ('adoptedStyleSheets' in Document.prototype && typeof CSSStyleSheet.prototype.replaceSync === 'function') {
    const sheet = new CSSStyleSheet();
    sheet.replaceSync(ELEMENT_CSS);
    document.adoptedStyleSheets = [...document.adoptedStyleSheets, sheet];
    return;
  }
  // Older browsers: a <style> element, fine wherever inline styles are allowed.
  const style = document.createElement('style');
  style.textContent = ELEMENT_CSS;
  document.head.append(style);
}
