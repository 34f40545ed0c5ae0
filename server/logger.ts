/** Structured one-line logs. Callers pass facts, never secrets, tokens or card data. */
export interface Logger {
  info(message: string, fields?: Record<string, unknown>): void;
  warn(message: string, fields?: Record<string, unknown>): void;
  error(message: string, fields?: Record<string, unknown>): void;
}

interface Writable {
  write(chunk: string): unknown;
}

/** Lines buffered beyond this many characters are written at once, without waiting for the turn. */
const FLUSH_AT_CHARS = 64 * 1024;

/**
 * Collects lines and writes them with one `write()` once the current turn of the event loop is
 * over (or sooner, past FLUSH_AT_CHARS): under load that is one write for many requests' lines
 * instead of a `console.log` each, whose synchronous write to a file or pipe was a tenth of a
 * cart read's time. Whatever is buffered is written before the process exits.
 */
export function lineWriter(out: Writable): { write(line: string): void; flush(): void } {
  let buffered = '';
  let scheduled = false;
  const flush = () => {
    scheduled = false;
    if (buffered === '') return;
    const chunk = buffered;
    buffered = '';
    out.write(chunk);
  };
  process.once('exit', flush);
  return {
    write(line) {
      buffered += `${line}\n`;
      if (buffered.length >= FLUSH_AT_CHARS) flush();
      else if (!scheduled) {
        scheduled = true;
        setImmediate(flush);
      }
    },
    flush,
  };
}

/**
 * JSON lines: info (the access log, one a request) to `out` (stdout) in batches; warnings and
 * errors, which are rare and must not wait, to `err` (stderr) at once.
 */
export function consoleLogger(out: Writable = process.stdout, err: Writable = process.stderr): Logger {
  const batched = lineWriter(out);
  const line = (level: string, message: string, fields?: Record<string, unknown>) => JSON.stringify({ time: new Date().toISOString(), level, message, ...fields });
  return {
    info: (message, fields) => batched.write(line('info', message, fields)),
    warn: (message, fields) => { err.write(`${line('warn', message, fields)}\n`); },
    error: (message, fields) => { err.write(`${line('error', message, fields)}\n`); },
  };
}

export const silentLogger: Logger = { info() {}, warn() {}, error() {} };
