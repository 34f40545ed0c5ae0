/**
 * A mailbox on disk for development: each email one JSON file in the mail folder, browsable at
 * /dev/mail. Ids start with the sending time in milliseconds, so sorting names lists newest first,
 * and end with a hash of the Message-ID, so `delivered()` finds an email again without reading
 * every file: the delivery record the outbox checks after a crash.
 */
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { mkdir, readdir, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import type { EmailToSend } from './email.ts';
import type { MailTransport } from './transport.ts';

const storedMailSchema = z.object({
  id: z.string(),
  /** Absent in emails stored before Message-IDs were kept. */
  messageId: z.string().optional(),
  sentAt: z.string(),
  from: z.string(),
  to: z.string(),
  subject: z.string(),
  html: z.string(),
  text: z.string(),
});

export type StoredMail = z.infer<typeof storedMailSchema>;
export type MailSummary = Omit<StoredMail, 'html' | 'text'>;

/** The only names the mailbox reads: nothing with a dot or a slash gets past it, so no id leaves the folder. */
const ID = /^\d{13}-[0-9a-f]{8}$/;
const FILE = /^(\d{13}-[0-9a-f]{8})\.json$/;

export class DevMailbox implements MailTransport {
  readonly description: string;
  private lastMs = 0;

  constructor(private readonly dir: string, private readonly clock: () => number = Date.now) {
    this.description = `dev mailbox in ${dir}`;
  }

  async send(email: EmailToSend): Promise<void> {
    const now = this.clock();
    // Strictly increasing within this process, so two emails in one millisecond keep their order.
    this.lastMs = Math.max(now, this.lastMs + 1);
    const id = `${this.lastMs}-${tagOf(email.messageId)}`;
    const stored: StoredMail = {
      id, messageId: email.messageId, sentAt: new Date(now).toISOString(), from: email.from, to: email.to, subject: email.subject, html: email.html, text: email.text,
    };
    await mkdir(this.dir, { recursive: true });
    // Written aside and renamed into place, so the list never sees half a file.
    const file = join(this.dir, `${id}.json`);
    await writeFile(`${file}.tmp`, JSON.stringify(stored, null, 2));
    await rename(`${file}.tmp`, file);
  }

  /** Whether an email with this Message-ID is in the mailbox (a file appears whole, by rename, or not at all). */
  async delivered(messageId: string): Promise<boolean> {
    let names: string[];
    try {
      names = await readdir(this.dir);
    } catch {
      return false; // nothing sent yet: the folder is made on the first send
    }
    const suffix = `-${tagOf(messageId)}.json`;
    return names.some((name) => name.endsWith(suffix) && this.read(name.slice(0, -'.json'.length))?.messageId === messageId);
  }

  /** The newest `limit` emails, newest first. */
  list(limit = 200): MailSummary[] {
    let names: string[];
    try {
      names = readdirSync(this.dir);
    } catch {
      return []; // nothing sent yet: the folder is made on the first send
    }
    const ids = names.map((name) => FILE.exec(name)?.[1]).filter((id) => id !== undefined).sort().reverse().slice(0, limit);
    return ids.map((id) => this.read(id)).filter((mail) => mail !== undefined)
      .map(({ id, sentAt, from, to, subject }) => ({ id, sentAt, from, to, subject }));
  }

  /** The email with this id, or undefined for an unknown, malformed or unreadable one. */
  read(id: string): StoredMail | undefined {
    if (!ID.test(id)) return undefined;
    try {
      const parsed = storedMailSchema.safeParse(JSON.parse(readFileSync(join(this.dir, `${id}.json`), 'utf8')));
      return parsed.success ? parsed.data : undefined;
    } catch {
      return undefined;
    }
  }
}

/** 32 bits of the Message-ID's hash: enough to find its file among a developer's emails; `delivered()` confirms by reading it. */
function tagOf(messageId: string): string {
  return createHash('sha256').update(messageId).digest('hex').slice(0, 8);
}
