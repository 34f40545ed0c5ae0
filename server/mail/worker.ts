/**
 * Sends the outbox at least once, with retries and backoff, recording every attempt.
 *
 * A row is claimed by setting it to 'sending' with a lease (its next_attempt_at becomes the lease
 * expiry) and bumping `attempts`, inside a write transaction, so two workers or two processes
 * never both take it. A claim that outlives its lease (the sender crashed or hung) is taken again.
 * `attempts` doubles as the claim's fencing token: a late failure from an old claim cannot undo
 * what the newer claim recorded, while a success always counts, since the email did go out.
 */
import { writeTransaction, type Db } from '../db/database.ts';
import type { Logger } from '../logger.ts';
import type { MailTransport } from './transport.ts';

interface ClaimedRow { id: number; recipient: string; subject: string; html: string; text: string; attempts: number }

/** Longer than any one send can take (the SMTP transport times out well within it). */
const LEASE_MS = 5 * 60_000;
const MAX_ERROR_LENGTH = 1000;

/** 5 s, 10 s, 20 s, ... capped at an hour. */
export const defaultBackoff = (attempt: number): number => Math.min(5_000 * 2 ** (attempt - 1), 3_600_000);

/** Pending rows whose time has come, and 'sending' rows whose lease ran out. */
const DUE = "status IN ('pending', 'sending') AND next_attempt_at <= @now";

export interface OutboxWorkerOptions {
  db: Db;
  transport: MailTransport;
  from: string;
  logger: Logger;
  clock?: () => number;
  pollMs?: number;
  maxAttempts?: number;
  backoffMs?: (attempt: number) => number;
}

export class OutboxWorker {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<number> | undefined;
  private stopping = false;
  private readonly clock: () => number;
  private readonly maxAttempts: number;
  private readonly backoffMs: (attempt: number) => number;

  constructor(private readonly o: OutboxWorkerOptions) {
    this.clock = o.clock ?? Date.now;
    this.maxAttempts = o.maxAttempts ?? 8;
    this.backoffMs = o.backoffMs ?? defaultBackoff;
  }

  /** Polls every pollMs. The timer is unref'd: a pending email never keeps the process alive. */
  start(): void {
    this.stopping = false;
    this.timer ??= setInterval(() => {
      this.runOnce().catch((err: unknown) => this.o.logger.error('outbox run failed', { error: errorText(err) }));
    }, this.o.pollMs ?? 1000);
    this.timer.unref();
  }

  /** Stops polling and waits for the email being sent, if any; everything else stays queued. */
  async stop(): Promise<void> {
    this.stopping = true;
    clearInterval(this.timer);
    this.timer = undefined;
    await this.settled();
  }

  /**
   * Sends everything due now, one claimed row at a time (so a lease only ever covers one send).
   * Overlapping calls share the run in flight. Returns how many emails were sent.
   */
  runOnce(): Promise<number> {
    this.running ??= this.sendDue().finally(() => { this.running = undefined; });
    return this.running;
  }

  /** Resolves once nothing is due now (or stop() was called meanwhile); for tests and shutdown. */
  async drain(): Promise<void> {
    this.stopping = false;
    await this.settled();
    // Loop because a run this call joined may have looked for work before the latest rows were queued.
    do {
      await this.runOnce();
    } while (!this.stopping && this.dueCount() > 0);
  }

  private async settled(): Promise<void> {
    await this.running?.catch(() => undefined);
  }

  private dueCount(): number {
    return this.o.db.prepare(`SELECT COUNT(*) FROM outbox WHERE ${DUE}`).pluck().get({ now: this.clock() }) as number;
  }

  private async sendDue(): Promise<number> {
    let sent = 0;
    while (!this.stopping) {
      const row = this.claim();
      if (!row) break;
      let error: string | null = null;
      try {
        await this.o.transport.send({ from: this.o.from, to: row.recipient, subject: row.subject, html: row.html, text: row.text });
        sent++;
      } catch (err) {
        error = errorText(err).slice(0, MAX_ERROR_LENGTH);
      }
      this.record(row, error);
    }
    return sent;
  }

  /** BEGIN IMMEDIATE takes the write lock before the due row is read, so no other worker can pick it too. */
  private claim(): ClaimedRow | undefined {
    return writeTransaction(this.o.db, () => {
      const now = this.clock();
      return this.o.db.prepare(`UPDATE outbox SET status = 'sending', attempts = attempts + 1, next_attempt_at = @lease
        WHERE id = (SELECT id FROM outbox WHERE ${DUE} ORDER BY next_attempt_at, id LIMIT 1)
        RETURNING id, recipient, subject, html, text, attempts`).get({ now, lease: now + LEASE_MS }) as ClaimedRow | undefined;
    });
  }

  private record(row: ClaimedRow, error: string | null): void {
    const now = this.clock();
    const db = this.o.db;
    writeTransaction(db, () => {
      db.prepare('INSERT INTO outbox_attempts (outbox_id, attempted_at, ok, error) VALUES (?, ?, ?, ?)').run(row.id, now, error === null ? 1 : 0, error);
      if (error === null) {
        db.prepare("UPDATE outbox SET status = 'sent', sent_at = ?, last_error = NULL WHERE id = ? AND status <> 'sent'").run(now, row.id);
        return;
      }
      const giveUp = row.attempts >= this.maxAttempts;
      const ours = db.prepare(`UPDATE outbox SET status = ?, last_error = ?, next_attempt_at = ?
        WHERE id = ? AND status = 'sending' AND attempts = ?`)
        .run(giveUp ? 'failed' : 'pending', error, now + this.backoffMs(row.attempts), row.id, row.attempts).changes === 1;
      if (!ours) return;
      const fields = { outboxId: row.id, attempt: row.attempts, error };
      if (giveUp) this.o.logger.error('email not sent, giving up', fields);
      else this.o.logger.warn('email not sent, will retry', fields);
    });
  }
}

function errorText(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
