/**
 * Sends the outbox at least once, with retries and backoff, recording every attempt.
 *
 * A row is claimed by setting it to 'sending' with a short lease (its next_attempt_at becomes the
 * lease expiry) and bumping `attempts`, inside a write transaction, so two workers or two processes
 * never both take it. While the send runs a heartbeat renews the lease, so a slow send keeps its
 * row; a sender that dies stops renewing, and its row is taken again once the lease runs out. A
 * send that hangs is renewed for at most `maxSendMs`, then another worker may take it over.
 * Before sending a row whose sender was interrupted, the worker asks the transport whether the
 * message went out after all (the dev mailbox can tell; SMTP can't, and a second copy carries the
 * same Message-ID, so the receiver can tell).
 * `attempts` doubles as the claim's fencing token: a late failure from an old claim cannot undo
 * what the newer claim recorded, while a success always counts, since the email did go out.
 *
 * The guarantee is at least once: a second copy needs the sender to die (or stall for longer than
 * the lease) after the transport took the message and before the worker recorded it, and a
 * transport that keeps no delivery record (README, "Emails: at least once").
 */
import { writeTransaction, type Db } from '../db/database.ts';
import type { Logger } from '../logger.ts';
import { outboxMessageId } from './email.ts';
import type { MailTransport } from './transport.ts';

interface ClaimedRow {
  id: number; dedupeKey: string; createdAt: number; recipient: string; subject: string; html: string; text: string; attempts: number;
  claimedAt: number;
  /** The row was still 'sending': the previous sender died or hung, and may have sent it. */
  interrupted: boolean;
}

/** How long a claim holds without a heartbeat: the most a crashed sender delays its email. */
export const DEFAULT_LEASE_MS = 30_000;
/** The longest one send may keep renewing its lease (the SMTP transport times out well within it). */
export const DEFAULT_MAX_SEND_MS = 5 * 60_000;
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
  /** Default DEFAULT_LEASE_MS. */
  leaseMs?: number;
  /** How often a send in progress renews its lease; default a third of the lease. */
  heartbeatMs?: number;
  /** Default DEFAULT_MAX_SEND_MS. */
  maxSendMs?: number;
  maxAttempts?: number;
  backoffMs?: (attempt: number) => number;
}

export class OutboxWorker {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<number> | undefined;
  private stopping = false;
  private readonly clock: () => number;
  private readonly leaseMs: number;
  private readonly maxAttempts: number;
  private readonly backoffMs: (attempt: number) => number;

  constructor(private readonly o: OutboxWorkerOptions) {
    this.clock = o.clock ?? Date.now;
    this.leaseMs = o.leaseMs ?? DEFAULT_LEASE_MS;
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

  /** Stops polling and waits for the email being sent, if any (graceful shutdown); everything else stays queued. */
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
      const messageId = outboxMessageId(row, this.o.from);
      const stopHeartbeat = this.keepLeased(row);
      let error: string | null = null;
      try {
        if (row.interrupted && await this.deliveredBefore(messageId)) {
          this.o.logger.info('email found delivered by an interrupted sender, not sent again', { outboxId: row.id, messageId });
        } else {
          await this.o.transport.send({ from: this.o.from, to: row.recipient, subject: row.subject, html: row.html, text: row.text, messageId });
          sent++;
        }
      } catch (err) {
        error = errorText(err).slice(0, MAX_ERROR_LENGTH);
      } finally {
        stopHeartbeat();
      }
      this.record(row, error);
    }
    return sent;
  }

  /** BEGIN IMMEDIATE takes the write lock before the due row is read, so no other worker can pick it too. */
  private claim(): ClaimedRow | undefined {
    const db = this.o.db;
    return writeTransaction(db, () => {
      const now = this.clock();
      const due = db.prepare(`SELECT id, status FROM outbox WHERE ${DUE} ORDER BY next_attempt_at, id LIMIT 1`).get({ now }) as { id: number; status: string } | undefined;
      if (!due) return undefined;
      const row = db.prepare(`UPDATE outbox SET status = 'sending', attempts = attempts + 1, next_attempt_at = @lease WHERE id = @id
        RETURNING id, dedupe_key AS dedupeKey, created_at AS createdAt, recipient, subject, html, text, attempts`)
        .get({ id: due.id, lease: now + this.leaseMs }) as Omit<ClaimedRow, 'claimedAt' | 'interrupted'>;
      return { ...row, claimedAt: now, interrupted: due.status === 'sending' };
    });
  }

  /**
   * Renews the claim's lease every heartbeat while this process works on the row, up to
   * `maxSendMs` after the claim. Fenced by `attempts`: a claim taken over is never renewed.
   * Returns the function that stops the heartbeat.
   */
  private keepLeased(row: ClaimedRow): () => void {
    const renew = this.o.db.prepare("UPDATE outbox SET next_attempt_at = @lease WHERE id = @id AND status = 'sending' AND attempts = @attempts");
    const deadline = row.claimedAt + (this.o.maxSendMs ?? DEFAULT_MAX_SEND_MS);
    const timer = setInterval(() => {
      try {
        renew.run({ id: row.id, attempts: row.attempts, lease: Math.min(this.clock() + this.leaseMs, deadline) });
      } catch (err) {
        // A busy database misses one beat; the next one, a third of a lease later, tries again.
        this.o.logger.warn('could not renew an email\'s lease', { outboxId: row.id, error: errorText(err) });
      }
    }, this.o.heartbeatMs ?? this.leaseMs / 3);
    timer.unref();
    return () => clearInterval(timer);
  }

  /** The transport's delivery record, where it keeps one; when it can't say, the email is sent (at least once). */
  private async deliveredBefore(messageId: string): Promise<boolean> {
    if (!this.o.transport.delivered) return false;
    try {
      return await this.o.transport.delivered(messageId);
    } catch (err) {
      this.o.logger.warn('could not check whether an interrupted email went out; sending it', { messageId, error: errorText(err) });
      return false;
    }
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
