import { createHash } from 'node:crypto';

/** One email, as the outbox stores it and a transport sends it. */
export interface OutgoingEmail {
  to: string;
  subject: string;
  html: string;
  text: string;
}

/** What a transport is handed: the email, its sender, and the Message-ID that names this outbox row. */
export type EmailToSend = OutgoingEmail & { from: string; messageId: string };

/**
 * The same Message-ID for every attempt at one outbox row, so a copy sent again after a crash is
 * recognisably the same message (receivers and the dev mailbox can tell). The hash covers the row's
 * dedupe key and creation time as well as its id, so a database started afresh, whose ids begin at 1
 * again, never reuses an earlier message's id. Domain: the sender's, as RFC 5322 suggests.
 */
export function outboxMessageId(row: { id: number; dedupeKey: string; createdAt: number }, from: string): string {
  const hash = createHash('sha256').update(`${row.id}\n${row.dedupeKey}\n${row.createdAt}`).digest('hex').slice(0, 24);
  const domain = /@([^\s<>@]+?)>?\s*$/.exec(from)?.[1] ?? 'localhost';
  return `<outbox.${row.id}.${hash}@${domain}>`;
}
