/**
 * `/dev/mail`: the development mailbox, mounted only outside production when no SMTP server is
 * configured. Everything shown is escaped, and the pages carry no script at all, so they work under
 * the strict policy they are served with. An email's HTML renders in a sandboxed iframe (no
 * scripts, opaque origin), so nothing in an email can act on this page.
 */
import { Hono } from 'hono';
import { escapeHtml as e } from '../http/html.ts';
import type { DevMailbox } from '../mail/dev-mailbox.ts';

/** Inline styles are allowed because a srcdoc iframe inherits this policy and emails are styled inline. */
const CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src 'self' data: https:; base-uri 'none'; form-action 'none'";

const STYLE = `body{font-family:system-ui,sans-serif;color:#1d1d21;margin:0;padding:24px}main{max-width:960px;margin:0 auto}
table{width:100%;border-collapse:collapse}th,td{text-align:left;padding:8px;border-bottom:1px solid #e4e4e7}
iframe{width:100%;height:36rem;border:1px solid #d4d4d8;border-radius:8px}pre{white-space:pre-wrap;background:#f4f4f5;padding:16px;border-radius:8px}
dl{display:grid;grid-template-columns:max-content 1fr;gap:4px 16px}dd{margin:0}`;

function page(title: string, body: string): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${e(title)}</title><style>${STYLE}</style></head><body><main>${body}</main></body></html>`;
}

/** "2026-01-02 03:04:05 UTC": the same on every machine, unlike the server's locale and zone. */
const sentTime = (iso: string) => `<time datetime="${e(iso)}">${e(iso.replace('T', ' ').slice(0, 19))} UTC</time>`;

/** Links in the email open a new tab: inside the sandbox the pages they lead to could not run. */
function linksInNewTab(html: string): string {
  const base = '<base target="_blank">';
  const head = /<head\b[^>]*>/i.exec(html);
  if (!head) return base + html;
  const at = head.index + head[0].length;
  return html.slice(0, at) + base + html.slice(at);
}

export function devMailRoutes(mailbox: DevMailbox): Hono {
  const app = new Hono();
  app.use('*', async (c, next) => {
    c.header('Content-Security-Policy', CSP);
    await next();
  });

  app.get('/', (c) => {
    const base = c.req.path.replace(/\/$/, '');
    const rows = mailbox.list().map((m) => `<tr><td>${sentTime(m.sentAt)}</td><td>${e(m.to)}</td>
<td><a href="${e(`${base}/${m.id}`)}">${e(m.subject)}</a></td><td><a href="${e(`${base}/${m.id}.json`)}">JSON</a></td></tr>`).join('');
    const body = rows
      ? `<table><thead><tr><th>Sent</th><th>To</th><th>Subject</th><th></th></tr></thead><tbody>${rows}</tbody></table>`
      : '<p>No emails yet.</p>';
    return c.html(page('Mailbox', `<h1>Mailbox</h1><p>Emails this server sent in development, newest first.</p>${body}`));
  });

  app.get('/:id', (c) => {
    const param = c.req.param('id');
    const asJson = param.endsWith('.json');
    const mail = mailbox.read(asJson ? param.slice(0, -'.json'.length) : param);
    const list = c.req.path.slice(0, c.req.path.lastIndexOf('/')) || '/';
    if (asJson) return mail ? c.json(mail) : c.json({ error: { code: 'not_found', message: 'No such email.' } }, 404);
    if (!mail) return c.html(page('No such email', `<p><a href="${e(list)}">All emails</a></p><h1>No such email</h1>`), 404);
    return c.html(page(mail.subject, `<p><a href="${e(list)}">All emails</a> · <a href="${e(`${mail.id}.json`)}">JSON</a></p>
<h1>${e(mail.subject)}</h1>
<dl><dt>From</dt><dd>${e(mail.from)}</dd><dt>To</dt><dd>${e(mail.to)}</dd><dt>Sent</dt><dd>${sentTime(mail.sentAt)}</dd></dl>
<h2>HTML part</h2>
<iframe title="HTML part of the email" sandbox="allow-popups allow-popups-to-escape-sandbox" srcdoc="${e(linksInNewTab(mail.html))}"></iframe>
<h2>Text part</h2>
<pre>${e(mail.text)}</pre>`));
  });
  return app;
}
