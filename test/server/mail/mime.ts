/**
 * Just enough MIME to read back what nodemailer sends (headers, and a multipart/alternative body
 * in 7bit, quoted-printable or base64, and encoded-word headers), so the SMTP tests check the
 * decoded parts, not an encoding.
 */
export interface ParsedMessage { headers: Map<string, string>; text: string; html: string }

/** RFC 2047 encoded words ("=?UTF-8?Q?best=C3=A4tigt?=", "=?UTF-8?B?...?="), as a non-ASCII subject is sent. */
function decodeWords(value: string): string {
  return value.replace(/\?=\s+=\?/g, '?==?').replace(/=\?([^?]+)\?([QqBb])\?([^?]*)\?=/g, (_all, _charset: string, kind: string, text: string) =>
    kind.toUpperCase() === 'B'
      ? Buffer.from(text, 'base64').toString('utf8')
      : decodeBody(text.replace(/_/g, ' '), 'quoted-printable'));
}

function splitHeaders(entity: string): { headers: Map<string, string>; body: string } {
  const end = entity.indexOf('\r\n\r\n');
  const head = entity.slice(0, end).replace(/\r\n(?=[ \t])/g, ''); // unfold continued lines
  const headers = new Map<string, string>();
  for (const line of head.split('\r\n')) {
    const colon = line.indexOf(':');
    headers.set(line.slice(0, colon).trim().toLowerCase(), decodeWords(line.slice(colon + 1).trim()));
  }
  return { headers, body: entity.slice(end + 4) };
}

function decodeBody(body: string, encoding = '7bit'): string {
  switch (encoding.toLowerCase()) {
    case 'quoted-printable': {
      const soft = body.replace(/=\r\n/g, ''); // soft line breaks
      const bytes: number[] = [];
      for (let i = 0; i < soft.length; i++) {
        const hex = soft[i] === '=' ? /^[0-9A-F]{2}/.exec(soft.slice(i + 1, i + 3))?.[0] : undefined;
        if (hex) {
          bytes.push(Number.parseInt(hex, 16));
          i += 2;
        } else bytes.push(soft.charCodeAt(i));
      }
      return Buffer.from(bytes).toString('utf8');
    }
    case 'base64': return Buffer.from(body, 'base64').toString('utf8');
    default: return body;
  }
}

export function parseMessage(raw: string): ParsedMessage {
  const { headers, body } = splitHeaders(raw);
  const boundary = /boundary="?([^";]+)"?/.exec(headers.get('content-type') ?? '')?.[1];
  if (!boundary) throw new Error('expected a multipart message');
  const parts = body.split(`--${boundary}`).slice(1, -1).map((part) => splitHeaders(part.replace(/^\r\n/, '')));
  const partOf = (type: string) => {
    const part = parts.find((p) => p.headers.get('content-type')?.startsWith(type));
    if (!part) throw new Error(`no ${type} part`);
    // Mail lines end in CRLF on the wire; give them back as the template wrote them.
    return decodeBody(part.body.replace(/\r\n$/, ''), part.headers.get('content-transfer-encoding')).replace(/\r\n/g, '\n');
  };
  return { headers, text: partOf('text/plain'), html: partOf('text/html') };
}
