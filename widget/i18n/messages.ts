/**
 * The words the first script shows (the toggle, the panel's frame, failures) in English, and the
 * translator every view uses. English is the reference: a language that lacks a key falls back to
 * it. The cart's, the checkout's and a restored cart's English (./cart-words.ts, ./checkout-words.ts,
 * ./restore-words.ts) and every other language (./locales/) load on demand, with the code that
 * needs them. The words the server says
 * too (declines, coupons, payment links, rate limits) come from shared/messages.ts, under the same
 * keys, with the cart's words.
 */
import { fillIn } from '../../shared/message-core.ts';
import type { cartWords } from './cart-words.ts';
import type { checkoutWords } from './checkout-words.ts';
import type { restoreWords } from './restore-words.ts';

export const baseWords = {
  cart: 'Cart',
  itemsOne: '1 item',
  itemsOther: '{count} items',
  yourCart: 'Your cart',
  close: 'Close',
  loading: 'Loading…',
  retry: 'Try again',
  dismiss: 'Dismiss',
  networkError: 'We could not reach the shop. Your cart is safe; please try again.',
  serverError: 'Something went wrong on our side. Your cart is safe; please try again.',
};

export type MessageKey = keyof typeof baseWords | keyof typeof cartWords | keyof typeof checkoutWords | keyof typeof restoreWords;
/** One language's words for every key: what a locale pack exports. */
export type Messages = Readonly<Record<MessageKey, string>>;
export type Translate = (key: MessageKey, params?: Record<string, string | number>) => string;

const tables: Record<string, Partial<Messages>> = { en: baseWords };
/** Locale packs, each its own chunk, fetched the first time an element speaks that language. */
const packs: Record<string, () => Promise<{ default: Messages }>> = {
  de: () => import('./locales/de.ts'),
};
const loading = new Map<string, Promise<void>>();

/** The language part of a BCP 47 tag we have words for, else English: "de-AT" -> "de". */
export function supportedLanguage(locale: string | null | undefined): string {
  const language = (locale ?? '').toLowerCase().split('-')[0] ?? '';
  return Object.hasOwn(packs, language) ? language : 'en';
}

/** Adds words for a language (the cart's or checkout's English when their code arrives, a locale pack). */
export function addMessages(language: string, words: Partial<Messages>): void {
  tables[language] = { ...tables[language], ...words };
}

/** Whether a language's pack is here (English always is). */
export function hasMessages(language: string): boolean {
  return language === 'en' || Object.hasOwn(tables, language);
}

/** Fetches a language's pack once. One that fails to load leaves English for the life of the page
 * (every render would otherwise fetch it again). */
export function loadMessages(language: string): Promise<void> {
  const pack = packs[language];
  if (!pack || hasMessages(language)) return Promise.resolve();
  let pending = loading.get(language);
  if (!pending) {
    pending = pack().then((module) => addMessages(language, module.default), () => addMessages(language, {}));
    loading.set(language, pending);
  }
  return pending;
}

/** A translator for one locale; `{name}` placeholders are filled from `params`. */
export function translator(locale: string | null | undefined): Translate {
  const table = tables[supportedLanguage(locale)] ?? {};
  const english = tables.en!;
  return (key, params) => {
    const text = table[key] ?? english[key] ?? key;
    return params ? fillIn(text, params) : text;
  };
}
