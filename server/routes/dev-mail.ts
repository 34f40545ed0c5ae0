/**
 * `/dev/mail`: the development mailbox, mounted only outside production when no SMTP server is
 * configured. Everything shown is escaped (hono/html), and the pages carry no script at all, so
 * they work under the strict policy they are served with. An email's HTML renders in a sandboxed
 * iframe (no scripts, opaque origin), so nothing in an email can act on this page.
 */
import { Hono } from 'hono';
import { html } from 'hono/html';
import type { HtmlEscapedString } from 'hono/utils/html';
import { z } from 'zod';
import { DomainError } from '../../shared/errors.ts';
import { mailboxPolicy, pageSecurity } from '../http/csp.ts';
import { errorResponse } from '../http/errors.ts';
import { validated } from '../http/validate.ts';
import type { DevMailbox } from '../mail/dev-mailbox.ts';

type Markup = HtmlEscapedString | Promise<HtmlEscapedString>;

const STYLE = `body{font-family:system-ui,sans-serif;color:#1d1d21;margin:0;padding:24px}main{max-width:960px;margin:0 auto}
table{width:100%;border-collapse:collapse}th,td{text-align:left;padding:8px;border-bottom:1px solid #e4e4e7}
iframe{width:100%;height:36rem;border:1px solid #d4d4d8;border-radius:8px}pre{white-space:pre-wrap;background:#f4f4f5;padding:16px;border-radius:8px}
dl{display:grid;grid-template-columns:max-content 1fr;gap:4px 16px}dd{margin:0}`;

const page = (title: string, body: Markup) => html`<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${title}</title><style>${STYLE}</style></head><body><main>${body}</main></body></html>`;

/** "2026-01-02 03:04:05 UTC": the same on every machine, unlike the server's locale and zone. */
const sentTime = (iso: string) => html`<time datetime="${iso}">${iso.replace('T', ' ').slice(0, 19)} UTC</time>`;

/** Links in the email open a new tab: inside the sandbox the pages they lead to could not run. */
function linksInNewTab(email: string): string {
  const base = '<base target="_blank">';
  const head = /<head\b[^>]*>/i.exec(email);
  if (!head) return base + email;
  const at = head.index + head[0].length;
  return email.slice(0, at) + base + email.slice(at);
}

/** `/:id` is an email's id, or its id and `.json` for the raw record. */
const emailParam = z.object({
  id: z.string().transform((id) => (id.endsWith('.json') ? { id: id.slice(0, -'.json'.length), asJson: true } : { id, asJson: false })),
});

export function devMailRoutes(mailbox: DevMailbox) {
  return new Hono()
    .use('*', pageSecurity(mailboxPolicy))
    .get('/', (c) => {
      const base = c.req.path.replace(/\/$/, '');
      const rows = mailbox.list().map((m) => html`<tr><td>${sentTime(m.sentAt)}</td><td>${m.to}</td>
<td><a href="${`${base}/${m.id}`}">${m.subject}</a></td><td><a href="${`${base}/${m.id}.json`}">JSON</a></td></tr>`);
      const body = rows.length > 0
        ? html`<table><thead><tr><th>Sent</th><th>To</th><th>Subject</th><th></th></tr></thead><tbody>${rows}</tbody></table>`
        : html`<p>No emails yet.</p>`;
      return c.html(page('Mailbox', html`<h1>Mailbox</h1><p>Emails this server sent in development, newest first.</p>${body}`));
    })
    .get('/:id', validated('param', emailParam), (c) => {
      const { id, asJson } = c.req.valid('param').id;
      const mail = mailbox.read(id);
      const list = c.req.path.slice(0, c.req.path.lastIndexOf('/')) || '/';
      if (asJson) return mail ? c.json(mail) : errorResponse(c, new DomainError('not_found', 'No such email.'));
      if (!mail) return c.html(page('No such email', html`<p><a href="${list}">All emails</a></p><h1>No such email</h1>`), 404);
      return c.html(page(mail.subject, html`<p><a href="${list}">All emails</a> · <a href="${`${mail.id}.json`}">JSON</a></p>
<h1>${mail.subject}</h1>
<dl><dt>From</dt><dd>${mail.from}</dd><dt>To</dt><dd>${mail.to}</dd><dt>Sent</dt><dd>${sentTime(mail.sentAt)}</dd></dl>
<h2>HTML part</h2>
<iframe title="HTML part of the email" sandbox="allow-popups allow-popups-to-escape-sandbox" srcdoc="${linksInNewTab(mail.html)}"></iframe>
<h2>Text part</h2>
<pre>${mail.text}</pre>`));
    });
}
