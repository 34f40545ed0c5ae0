import type { Translate } from '../../i18n/messages.ts';

/** What every part needs to put words and money on screen. */
export interface PartContext {
  t: Translate;
  /** Formats minor units of `currency` for the shopper's locale. */
  money(amount: number, currency: string): string;
}
