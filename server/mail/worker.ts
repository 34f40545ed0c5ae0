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
import { sql, type Db, type Query } from '../db/database.ts';
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
const due = (now: number): Query => sql`status IN ('pending', 'sending') AND next_attempt_at <= ${now}`;

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
    } while (!this.stopping && await this.dueCount() > 0);
  }

  private async settled(): Promise<void> {
    await this.running?.catch(() => undefined);
  }

  private async dueCount(): Promise<number> {
    return await this.o.db.value<number>(sql`SELECT COUNT(*) FROM outbox WHERE ${due(this.clock())}`) ?? 0;
  }

  private async sendDue(): Promise<number> {
    let sent = 0;
    while (!this.stopping) {
      const row = await this.claim();
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
      await this.record(row, error);
    }
    return sent;
  }

  /** No other worker can pick the same row: on SQLite `BEGIN IMMEDIATE` takes the write lock before
   * the due row is read; on PostgreSQL the row is locked as it is read, and rows another worker
   * holds locked are skipped (`SKIP LOCKED`), so workers on several hosts take different emails. */
  private claim(): Promise<ClaimedRow | undefined> {
    const db = this.o.db;
    return db.tx(async () => {
      const now = this.clock();
      const next = await db.one<{ id: number; status: string }>(
        sql`SELECT id, status FROM outbox WHERE ${due(now)} ORDER BY next_attempt_at, id LIMIT 1 ${db.skipLocked}`);
      if (!next) return undefined;
      const row = (await db.one<Omit<ClaimedRow, 'claimedAt' | 'interrupted'>>(sql`UPDATE outbox
        SET status = 'sending', attempts = attempts + 1, next_attempt_at = ${now + this.leaseMs} WHERE id = ${next.id}
        RETURNING id, dedupe_key AS "dedupeKey", created_at AS "createdAt", recipient, subject, html, text, attempts`))!;
      return { ...row, claimedAt: now, interrupted: next.status === 'sending' };
    });
  }

  /**
   * Renews the claim's lease every heartbeat while this process works on the row, up to
   * `maxSendMs` after the claim. Fenced by `attempts`: a claim taken over is never renewed.
   * Returns the function that stops the heartbeat.
   */
  private keepLeased(row: ClaimedRow): () => void {
    const deadline = row.claimedAt + (this.o.maxSendMs ?? DEFAULT_MAX_SEND_MS);
    // One renewal at a time (two in flight could land out of order and move the lease back), and
    // none that would write the lease it already has (past the deadline, say): on PostgreSQL a
    // renewal locks the row for a moment, and a rival's SKIP LOCKED claim must not keep missing it.
    let renewing = false;
    let renewed = row.claimedAt + this.leaseMs;
    const timer = setInterval(() => {
      const lease = Math.min(this.clock() + this.leaseMs, deadline);
      if (renewing || lease === renewed) return;
      renewing = true;
      renewed = lease;
      this.o.db.run(sql`UPDATE outbox SET next_attempt_at = ${lease} WHERE id = ${row.id} AND status = 'sending' AND attempts = ${row.attempts}`)
        .catch((err: unknown) => {
          // A busy database misses one beat; the next one, a third of a lease later, tries again.
          this.o.logger.warn('could not renew an email\'s lease', { outboxId: row.id, error: errorText(err) });
        })
        .finally(() => { renewing = false; });
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

  private async record(row: ClaimedRow, error: string | null): Promise<void> {
    const now = this.clock();
    const db = this.o.db;
    await db.tx(async () => {
      await db.run(sql`INSERT INTO outbox_attempts (outbox_id, attempted_at, ok, error) VALUES (${row.id}, ${now}, ${error === null ? 1 : 0}, ${error})`);
      if (error === null) {
        await db.run(sql`UPDATE outbox SET status = 'sent', sent_at = ${now}, last_error = NULL WHERE id = ${row.id} AND status <> 'sent'`);
        return;
      }
      const giveUp = row.attempts >= this.maxAttempts;
      const ours = await db.run(sql`UPDATE outbox SET status = ${giveUp ? 'failed' : 'pending'}, last_error = ${error},
        next_attempt_at = ${now + this.backoffMs(row.attempts)} WHERE id = ${row.id} AND status = 'sending' AND attempts = ${row.attempts}`) === 1;
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
