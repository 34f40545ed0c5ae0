import { DevMailbox } from './dev-mailbox.ts';
import type { EmailToSend } from './email.ts';
import { SmtpTransport } from './smtp-transport.ts';

export interface MailTransport {
  /** What it is, for the start-up banner; never a password. */
  readonly description: string;
  send(email: EmailToSend): Promise<void>;
  /**
   * Whether the message with this Message-ID was already delivered, for transports that keep a
   * record (the dev mailbox). The outbox asks before sending again an email whose sender died
   * mid-send. Absent where delivery can't be checked (SMTP: the server's acceptance is only known
   * to the connection that sent it).
   */
  delivered?(messageId: string): Promise<boolean>;
  close?(): Promise<void>;
}

/** SMTP when SMTP_URL is set; otherwise a mailbox on disk, browsable at /dev/mail in development. */
export function createTransport(o: { smtpUrl?: string; mailDir: string }): MailTransport {
  return o.smtpUrl ? new SmtpTransport(o.smtpUrl) : new DevMailbox(o.mailDir);
}
