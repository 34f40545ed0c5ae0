/** A client of the checkout status stream (`GET /api/checkouts/:id/events`), as the widget's
 * EventSource reads it. */
import assert from 'node:assert/strict';
import type { CheckoutState } from '../../shared/api.ts';

/** Opens a server-sent event stream; `next()` resolves with the next `status` event's body.
 * `headers` go with the request (a proxy's routing header); `headers` are the answer's. */
export async function openStatusStream(url: string, headers: Record<string, string> = {}): Promise<{ next(): Promise<CheckoutState | null>; close(): Promise<void>; headers: Headers }> {
  const res = await fetch(url, { headers });
  assert.equal(res.headers.get('content-type'), 'text/event-stream');
  const reader = res.body!.pipeThrough(new TextDecoderStream()).getReader();
  let buffer = '';
  return {
    async next() {
      for (;;) {
        let end: number;
        while ((end = buffer.indexOf('\n\n')) >= 0) {
          const block = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          const data = /^data: (.*)$/m.exec(block)?.[1];
          if (/^event: status$/m.test(block) && data) return JSON.parse(data) as CheckoutState;
        }
        const { value, done } = await reader.read();
        if (done) return null;
        buffer += value;
      }
    },
    close: () => reader.cancel(),
    headers: res.headers,
  };
}
