import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Hono } from 'hono';
import { DevMailbox, type StoredMail } from '../../../server/mail/dev-mailbox.ts';
import { createTransport } from '../../../server/mail/transport.ts';
import { devMailRoutes } from '../../../server/routes/dev-mail.ts';
import { tempDir } from '../../helpers/temp.ts';
import { manualClock, T0 } from './helpers.ts';

const FROM = 'Shop <orders@shop.example>';
const hostile = {
  from: FROM,
  messageId: '<outbox.1.hostile@shop.example>',
  to: '"<script>alert(1)</script>"@example.com',
  subject: 'Order <b>A-1</b> & "more"',
  html: '<!doctype html><html><head><meta charset="utf-8"></head><body><p>Hi "there" & welcome</p>\'"><script>alert(2)</script></body></html>',
  text: 'Hi </pre><script>alert(3)</script>',
};

describe('dev mailbox', () => {
  const dir = tempDir('checkout-mailbox-');
  after(() => dir.remove());

  it('is the transport when no SMTP URL is set', () => {
    const transport = createTransport({ mailDir: join(dir.path, 'default') });
    assert.ok(transport instanceof DevMailbox);
    assert.equal(transport.description, `dev mailbox in ${join(dir.path, 'default')}`);
  });

  it('lists nothing before the first email', () => {
    assert.deepEqual(new DevMailbox(join(dir.path, 'never-created')).list(), []);
  });

  it('stores each email and lists them newest first, even within one millisecond', async () => {
    const clock = manualClock();
    const box = new DevMailbox(join(dir.path, 'order'), clock.now);
    await box.send({ ...hostile, to: 'first@example.com', messageId: '<first@shop.example>' });
    await box.send({ ...hostile, to: 'second@example.com', messageId: '<second@shop.example>' });
    clock.advance(60_000);
    await box.send({ ...hostile, to: 'third@example.com', messageId: '<third@shop.example>' });
    const listed = box.list();
    assert.deepEqual(listed.map((m) => [m.to, m.sentAt]), [
      ['third@example.com', new Date(T0 + 60_000).toISOString()],
      ['second@example.com', new Date(T0).toISOString()],
      ['first@example.com', new Date(T0).toISOString()],
    ]);
    assert.deepEqual(Object.keys(listed[0]!).sort(), ['from', 'id', 'sentAt', 'subject', 'to']);
    assert.deepEqual(box.list(2).map((m) => m.to), ['third@example.com', 'second@example.com']);
    assert.deepEqual(box.read(listed[2]!.id), { ...hostile, to: 'first@example.com', messageId: '<first@shop.example>', id: listed[2]!.id, sentAt: new Date(T0).toISOString() });
  });

  it('knows which Message-IDs it holds: the delivery record the outbox checks after a crash', async () => {
    const box = new DevMailbox(join(dir.path, 'record'), manualClock().now);
    assert.equal(await box.delivered('<outbox.7.abc@shop.example>'), false, 'before the folder exists');
    await box.send({ ...hostile, messageId: '<outbox.7.abc@shop.example>' });
    assert.equal(await box.delivered('<outbox.7.abc@shop.example>'), true);
    assert.equal(await box.delivered('<outbox.8.abc@shop.example>'), false);
  });

  it('refuses ids that could leave the folder, and skips files it did not write', async () => {
    const root = join(dir.path, 'traversal');
    const box = new DevMailbox(join(root, 'mail'), manualClock().now);
    await box.send(hostile);
    const [only] = box.list();
    const id = only!.id;
    // A mail-shaped file just outside the mailbox, and junk inside it.
    writeFileSync(join(root, `${id.replace(/^\d/, '9')}.json`), JSON.stringify({ ...hostile, id, sentAt: 'x' }));
    writeFileSync(join(root, 'mail', 'notes.json'), JSON.stringify({ ...hostile, id: 'notes', sentAt: 'x' }));
    writeFileSync(join(root, 'mail', '1700000000000-deadbeef.json'), '{ not json');
    mkdirSync(join(root, 'mail', '1700000000001-deadbeef.json'));
    for (const bad of [`../${id.replace(/^\d/, '9')}`, '../../etc/passwd', `${id}.json`, `${id}/`, `./${id}`, `${id}\u0000`, '', 'notes', '1700000000000-deadbeef']) {
      assert.equal(box.read(bad), undefined, `read(${JSON.stringify(bad)})`);
    }
    assert.deepEqual(box.list().map((m) => m.id), [id]);
  });
});

describe('dev mail pages', () => {
  const dir = tempDir('checkout-mailpages-');
  after(() => dir.remove());
  const box = new DevMailbox(dir.path, manualClock().now);
  const app = new Hono().route('/dev/mail', devMailRoutes(box));
  let stored: StoredMail;

  it('say so when the mailbox is empty', async () => {
    const res = await app.request('/dev/mail');
    assert.equal(res.status, 200);
    assert.ok((await res.text()).includes('<p>No emails yet.</p>'));
  });

  it('list the emails with time, recipient and subject, escaped, under a policy that allows no script', async () => {
    await box.send(hostile);
    stored = box.read(box.list()[0]!.id)!;
    const res = await app.request('/dev/mail');
    assert.equal(res.status, 200);
    assert.equal(res.headers.get('content-security-policy'), "default-src 'none'; style-src 'unsafe-inline'; img-src 'self' data: https:; base-uri 'none'; form-action 'none'");
    const html = await res.text();
    assert.equal(html.includes('<script'), false);
    assert.ok(html.includes(`<time datetime="${stored.sentAt}">2026-01-15 12:00:00 UTC</time>`));
    assert.ok(html.includes('<td>&quot;&lt;script&gt;alert(1)&lt;/script&gt;&quot;@example.com</td>'));
    assert.ok(html.includes(`<a href="/dev/mail/${stored.id}">Order &lt;b&gt;A-1&lt;/b&gt; &amp; &quot;more&quot;</a>`));
    assert.ok(html.includes(`<a href="/dev/mail/${stored.id}.json">JSON</a>`));
  });

  it('show one email: headers escaped, the HTML part in a sandboxed frame, the text part as text', async () => {
    const res = await app.request(`/dev/mail/${stored.id}`);
    assert.equal(res.status, 200);
    assert.ok(res.headers.get('content-security-policy')?.startsWith("default-src 'none'"));
    const html = await res.text();
    assert.equal(html.includes('<script'), false);
    assert.ok(html.includes('<title>Order &lt;b&gt;A-1&lt;/b&gt; &amp; &quot;more&quot;</title>'));
    assert.ok(html.includes('<h1>Order &lt;b&gt;A-1&lt;/b&gt; &amp; &quot;more&quot;</h1>'));
    assert.ok(html.includes('<dt>To</dt><dd>&quot;&lt;script&gt;alert(1)&lt;/script&gt;&quot;@example.com</dd>'));
    assert.ok(html.includes('<a href="/dev/mail">All emails</a>'));
    assert.ok(html.includes('<pre>Hi &lt;/pre&gt;&lt;script&gt;alert(3)&lt;/script&gt;</pre>'));

    const frames = [...html.matchAll(/<iframe ([^>]*)><\/iframe>/g)];
    assert.equal(frames.length, 1);
    const srcdoc = /srcdoc="([^"]*)"/.exec(frames[0]![1]!)?.[1];
    assert.ok(frames[0]![1]!.includes('sandbox="allow-popups allow-popups-to-escape-sandbox"'), 'no allow-scripts, no allow-same-origin');
    // The email, with its links sent to a new tab, escaped whole into the attribute.
    const shown = hostile.html.replace('<head>', '<head><base target="_blank">');
    const entities: Record<string, string> = { '&amp;': '&', '&lt;': '<', '&gt;': '>', '&quot;': '"', '&#39;': "'" };
    assert.equal(/[<>"']/.test(srcdoc!), false, 'nothing in the attribute is left unescaped');
    assert.equal(srcdoc!.replace(/&(amp|lt|gt|quot|#39);/g, (entity) => entities[entity]!), shown);
  });

  it('give one email as JSON', async () => {
    const res = await app.request(`/dev/mail/${stored.id}.json`);
    assert.equal(res.status, 200);
    assert.deepEqual(await res.json(), stored);
  });

  it('answer 404 for unknown or malformed ids', async () => {
    for (const path of ['/dev/mail/1700000000000-00000000', '/dev/mail/..%2F..%2Fetc%2Fpasswd', '/dev/mail/nope']) {
      const res = await app.request(path);
      assert.equal(res.status, 404, path);
      assert.ok((await res.text()).includes('<h1>No such email</h1>'), path);
    }
    const json = await app.request('/dev/mail/1700000000000-00000000.json');
    assert.equal(json.status, 404);
    assert.deepEqual(await json.json(), { error: { code: 'not_found', message: 'No such email.' } });
  });
});
