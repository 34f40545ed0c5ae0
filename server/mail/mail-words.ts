/**
 * Which catalogue an email speaks: the language of the shopper's locale (the one their widget
 * used, kept on the checkout) when there are words for it, else English. One catalogue per
 * language, in ./words/.
 */
import { fillIn, messageKeyFor } from '../../shared/messages.ts';
import type { declineMessages } from '../../shared/messages.ts';
import { de } from './words/de.ts';
import { en, type MailWords } from './words/en.ts';

const catalogues: Readonly<Record<string, MailWords>> = { en, de };

/** The locale of emails about a checkout (and its order): the shopper's, else the server's `LOCALE`. */
export function shopperLocale(checkout: { locale: string | null } | undefined, serverLocale: string): string {
  return checkout?.locale ?? serverLocale;
}

/** "de-AT" -> "de"; a language without a catalogue -> "en". */
export function mailLanguage(locale: string): string {
  const language = locale.split('-')[0]!.toLowerCase();
  return Object.hasOwn(catalogues, language) ? language : 'en';
}

/**
 * The locale of a page a shopper opens from a link: the `lang` the link carries (its email's
 * language), else the first language of the browser's Accept-Language there are words for, else
 * `fallback` (the server's LOCALE). A mangled link says nothing of its shopper but the browser does.
 */
export function pageLocale(linkLang: string | undefined, acceptLanguage: string | undefined, fallback: string): string {
  const spoken = (tag: string) => Object.hasOwn(catalogues, tag.split('-')[0]!.toLowerCase());
  if (linkLang && spoken(linkLang)) return linkLang;
  const wanted = (acceptLanguage ?? '').split(',')
    .map((part) => {
      const [tag = '', ...params] = part.trim().split(';');
      const q = Number(params.find((p) => p.trim().startsWith('q='))?.trim().slice(2) ?? 1);
      return { tag: tag.trim(), q: Number.isFinite(q) ? q : 0 };
    })
    .filter((choice) => choice.q > 0 && choice.tag !== '*' && /^[A-Za-z]{1,8}(-[A-Za-z0-9]{1,8})*$/.test(choice.tag))
    .sort((a, b) => b.q - a.q);
  return wanted.find((choice) => spoken(choice.tag))?.tag ?? fallback;
}

export type Say = (key: keyof MailWords, params?: Readonly<Record<string, string | number>>) => string;

export function mailWords(locale: string): Say {
  const words = catalogues[mailLanguage(locale)]!;
  return (key, params) => (params ? fillIn(words[key], params) : words[key]);
}

/** Why a payment failed, for a recovery email: the shared words for its code, or a plain "did not go through". */
export function failureReason(locale: string, failure: { code: string; message: string } | null): string {
  const key = messageKeyFor(failure?.code);
  const say = mailWords(locale);
  // English keeps the message recorded with the failure (the shared words, or Stripe's own).
  if (mailLanguage(locale) === 'en') return failure?.message || say('paymentFailed');
  return key && Object.hasOwn(en, key) ? say(key as keyof typeof declineMessages) : say('paymentFailed');
}
