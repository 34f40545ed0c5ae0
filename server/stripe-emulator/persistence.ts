/**
 * The emulator's state in a SQLite file, so a restart loses nothing Stripe would keep: objects,
 * events, webhook endpoints and the deliveries still owed, what happens later (settling, captures,
 * disputes) and the answers to idempotent requests. Live, Stripe keeps all of this and retries
 * webhooks for days; offline, a server restarted mid-payment (`npm start` runs the emulator in its
 * own process) finds its PaymentIntent and gets its webhook.
 *
 * Each object is one row, written when its JSON changed: at the end of every API request, task and
 * shopper page answer (before the answer leaves), and a moment after events and changes to the
 * deliveries owed.
 */
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import type Stripe from 'stripe';
import type { SavedAnswer } from './http/idempotency.ts';
import type { EmittedEvent, EmulatorState, IntentExtras, ScheduledTask } from './state.ts';
import type { Registered, WebhookEndpoints } from './webhook-endpoints.ts';
import type { OwedDelivery, WebhookDelivery } from './webhooks.ts';

type Row = { kind: string; id: string; seq: number; json: string };

/** What is kept, by kind: how to list it from the running emulator, and how to put it back. */
interface Kind<T> {
  list(): Iterable<[id: string, value: T]>;
  restore(id: string, value: T): void;
  /** For what changes little or never (events, saved answers): a cheap stand-in for its JSON, so it isn't serialized again. */
  version?(value: T): string;
}

export class EmulatorStore {
  private readonly db: Database.Database;
  /** What each row holds on disk now, by `kind id`: only changes are written. */
  private readonly written = new Map<string, string>();
  /** For kinds with a `version`: the version on disk, by `kind id`. */
  private readonly versions = new Map<string, string>();
  private readonly kinds: Record<string, Kind<unknown>>;

  constructor(path: string, private readonly state: EmulatorState, private readonly endpoints: WebhookEndpoints, private readonly webhooks: WebhookDelivery) {
    // Its folder (data/) is otherwise made only by the shop's SQLite database, which a shop on
    // PostgreSQL doesn't open.
    if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
    this.db = new Database(path);
    this.db.pragma('journal_mode = WAL');
    this.db.pragma('busy_timeout = 5000');
    this.db.exec(`CREATE TABLE IF NOT EXISTS emulator_objects (
      kind TEXT NOT NULL, id TEXT NOT NULL, seq INTEGER NOT NULL, json TEXT NOT NULL, PRIMARY KEY (kind, id))`);
    const map = <T>(m: Map<string, T>): Kind<T> => ({ list: () => m.entries(), restore: (id, value) => m.set(id, value) });
    this.kinds = {
      customer: map(state.customers),
      deleted_customer: { list: () => [...state.deletedCustomers].map((id) => [id, true] as [string, true]), restore: (id) => state.deletedCustomers.add(id) },
      payment_method: map(state.paymentMethods),
      card_number: map(state.cardNumbers),
      payment_intent: map(state.paymentIntents),
      intent_extras: map<IntentExtras>(state.intentExtras),
      charge: map(state.charges),
      refund: map(state.refunds),
      dispute: map(state.disputes),
      task: map<ScheduledTask>(state.tasks),
      idempotency: { ...map<SavedAnswer>(state.idempotency), version: (a: SavedAnswer) => a.requestId },
      event: {
        // An event never changes once made, but for its pending_webhooks count.
        version: (e: EmittedEvent) => String(e.pending_webhooks),
        list: () => state.events.map((e) => [e.id, e] as [string, EmittedEvent]),
        restore: (_id, e) => {
          state.events.push(e as EmittedEvent);
          state.eventsById.set((e as EmittedEvent).id, e as EmittedEvent);
        },
      },
      endpoint: {
        list: () => endpoints.snapshot().map((r) => [r.endpoint.id, r] as [string, Registered]),
        restore: (_id, r) => endpoints.restore([r as Registered]),
      },
      delivery: {
        list: () => webhooks.owedDeliveries().map((d, i) => [String(i), d] as [string, OwedDelivery]),
        restore: () => {},
      },
    } as Record<string, Kind<unknown>>;
  }

  /** Puts what the file holds back into the emulator (before it listens), deliveries owed resumed. */
  restore(): void {
    const rows = this.db.prepare('SELECT kind, id, seq, json FROM emulator_objects ORDER BY kind, seq').all() as Row[];
    const owed: OwedDelivery[] = [];
    for (const row of rows) {
      this.written.set(`${row.kind} ${row.id}`, row.json);
      const value = JSON.parse(row.json) as unknown;
      const version = this.kinds[row.kind]?.version?.(value);
      if (version !== undefined) this.versions.set(`${row.kind} ${row.id}`, version);
      if (row.kind === 'delivery') owed.push(value as OwedDelivery);
      else this.kinds[row.kind]?.restore(row.id, value);
    }
    this.webhooks.resume(owed, this.state.eventsById as ReadonlyMap<string, Stripe.Event>);
  }

  private soon: NodeJS.Immediate | undefined;

  /** Saves once the current work is done: many changes in a row make one save. */
  saveSoon(): void {
    if (this.db.open) this.soon ??= setImmediate(() => this.save());
  }

  /** Writes every row whose JSON changed, and drops the ones gone, in one transaction. */
  save(): void {
    if (this.soon) clearImmediate(this.soon);
    this.soon = undefined;
    // Closed: a delivery finishing after close() changes nothing on disk; the next start resends it.
    if (!this.db.open) return;
    const seen = new Set<string>();
    const upsert = this.db.prepare('INSERT INTO emulator_objects (kind, id, seq, json) VALUES (?, ?, ?, ?) ON CONFLICT (kind, id) DO UPDATE SET seq = excluded.seq, json = excluded.json');
    const remove = this.db.prepare('DELETE FROM emulator_objects WHERE kind = ? AND id = ?');
    this.db.transaction(() => {
      for (const [kind, { list, version }] of Object.entries(this.kinds)) {
        let seq = 0;
        for (const [id, value] of list()) {
          const key = `${kind} ${id}`;
          seen.add(key);
          const v = version?.(value);
          if (v === undefined || this.versions.get(key) !== v) {
            const json = JSON.stringify(value);
            if (this.written.get(key) !== json) {
              upsert.run(kind, id, seq, json);
              this.written.set(key, json);
            }
            if (v !== undefined) this.versions.set(key, v);
          }
          seq++;
        }
      }
      for (const key of [...this.written.keys()]) {
        if (seen.has(key)) continue;
        const [kind, id] = [key.slice(0, key.indexOf(' ')), key.slice(key.indexOf(' ') + 1)];
        remove.run(kind, id);
        this.written.delete(key);
        this.versions.delete(key);
      }
    })();
  }

  close(): void {
    this.save();
    this.db.close();
  }
}
