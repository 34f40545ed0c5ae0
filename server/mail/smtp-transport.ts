import { createRequire } from 'node:module';
import type { Transporter } from 'nodemailer';
import type { EmailToSend } from './email.ts';
import type { MailTransport } from './transport.ts';

/**
 * Sends through the SMTP server in SMTP_URL (smtp:// or smtps://, credentials in the URL).
 * Timeouts are far below nodemailer's 10-minute socket default so that a hung server fails the
 * attempt (and it is retried) well before the outbox stops renewing its lease on the row.
 *
 * SMTP keeps no record the outbox could ask after a crash (whether the server accepted a message
 * is known only to the connection that sent it), so this transport has no `delivered()`: a copy
 * sent again after a crash carries the same Message-ID, which lets the receiver spot it.
 */
/** nodemailer is loaded when an SMTP transport is made, not by every start: a server without
 * SMTP_URL (the dev mailbox) never needs it, and its first answer comes that much sooner. */
const loadNodemailer = () => createRequire(import.meta.url)('nodemailer') as typeof import('nodemailer');

export class SmtpTransport implements MailTransport {
  readonly description: string;
  private readonly transporter: Transporter;

  constructor(smtpUrl: string) {
    const url = new URL(smtpUrl);
    // Protocol and host only: the URL's user and password never reach logs or the banner.
    this.description = `SMTP ${url.protocol}//${url.host}`;
    this.transporter = loadNodemailer().createTransport({ url: smtpUrl, connectionTimeout: 30_000, greetingTimeout: 30_000, socketTimeout: 60_000 });
  }

  async send(email: EmailToSend): Promise<void> {
    await this.transporter.sendMail({ from: email.from, to: email.to, subject: email.subject, html: email.html, text: email.text, messageId: email.messageId });
  }

  async close(): Promise<void> {
    this.transporter.close();
  }
}
