/** Locale tags, checked the same way by the widget (before it sends one) and the server (which refuses a bad one). */

/** A well-formed BCP 47 language tag that Intl knows ("de", "de-AT", "en-US"); not "english". */
export function isLocale(tag: string): boolean {
  try {
    return /^[A-Za-z]{2,3}(-[A-Za-z0-9]{1,8})*$/.test(tag) && Intl.getCanonicalLocales(tag).length === 1;
  } catch {
    return false;
  }
}
