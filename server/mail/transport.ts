import { DevMailbox } from './dev-mailbox.ts';
import type { OutgoingEmail } from './email.ts';
import { SmtpTransport } from './smtp-transport.ts';

export interface MailTransport {
  /** What it is, for the start-up banner; never a password. */
  readonly description: string;
  send(email: OutgoingEmail & { from: string }): Promise<void>;
  close?(): Promise<void>;
}

/** SMTP when SMTP_URL is set; otherwise a mailbox on disk, browsable at /dev/mail in development. */
export function createTransport(o: { smtpUrl?: string; mailDir: string }): MailTransport {
  return o.smtpUrl ? new SmtpTransport(o.smtpUrl) : new DevMailbox(o.mailDir);
}
