import nodemailer, { type Transporter } from 'nodemailer';
import type { OutgoingEmail } from './email.ts';
import type { MailTransport } from './transport.ts';

/**
 * Sends through the SMTP server in SMTP_URL (smtp:// or smtps://, credentials in the URL).
 * Timeouts are far below nodemailer's 10-minute socket default so that a hung server fails the
 * attempt (and it is retried) well within the outbox worker's lease on the row.
 */
export class SmtpTransport implements MailTransport {
  readonly description: string;
  private readonly transporter: Transporter;

  constructor(smtpUrl: string) {
    const url = new URL(smtpUrl);
    // Protocol and host only: the URL's user and password never reach logs or the banner.
    this.description = `SMTP ${url.protocol}//${url.host}`;
    this.transporter = nodemailer.createTransport({ url: smtpUrl, connectionTimeout: 30_000, greetingTimeout: 30_000, socketTimeout: 60_000 });
  }

  async send(email: OutgoingEmail & { from: string }): Promise<void> {
    await this.transporter.sendMail({ from: email.from, to: email.to, subject: email.subject, html: email.html, text: email.text });
  }

  async close(): Promise<void> {
    this.transporter.close();
  }
}
