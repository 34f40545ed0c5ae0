import type { AdminApi } from '../client.ts';
import type { Formats } from './format.ts';

/** What every view works with, handed down by the console once the merchant has signed in. */
export interface ConsoleContext {
  api: AdminApi;
  formats: Formats;
  currency: string;
  locale: string;
  /** The name the merchant gave at sign-in, for the records; undefined: just "admin". */
  actor: string | undefined;
}

/** A failure in the merchant's words: the server's message, which names what to fix. */
export function problemText(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
