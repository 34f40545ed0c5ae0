/** Locale tags, checked the same way by the widget (before it sends one) and the server (which refuses a bad one). */

/** A well-formed BCP 47 language tag ("de", "de-AT", "en-US"), as Intl reads them; at most 35 characters. */
export function isLocale(tag: string): boolean {
  try {
    return tag.length <= 35 && Intl.getCanonicalLocales(tag).length === 1;
  } catch {
    return false;
  }
}
