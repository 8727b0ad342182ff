import type Database from 'better-sqlite3';
import { stmt } from './statements.js';

/**
 * The change log behind the Watch API. Every apply that creates, updates or
 * deletes an object records one event in the same transaction, so events and
 * objects can never disagree, every manager holds the same events in the same
 * order (apply is deterministic), and a watcher can resume after a disconnect
 * or a manager restart from the last sequence number it saw.
 *
 * `seq` is dense and increasing; `version` is the Raft index of the change
 * (several events can share a version when one command changes several objects).
 * The log is bounded: the oldest events are pruned past EVENTS_KEPT_MAX, and a
 * watcher that asks to resume from before the oldest kept event is told so.
 */
export const EVENTS_KEPT_MAX = 100_000;

export type ObjectKind = 'node' | 'network' | 'service' | 'task' | 'container' | 'cluster';
export type EventAction = 'create' | 'update' | 'delete';

export interface StoreEvent {
  readonly seq: number;
  readonly version: number;
  readonly kind: ObjectKind;
  readonly action: EventAction;
  readonly objectId: string;
}

export function migrateEvents(db: Database.Database): void {
  db.exec(`
    CREATE TABLE IF NOT EXISTS events (
      seq       INTEGER PRIMARY KEY,
      version   INTEGER NOT NULL,
      kind      TEXT NOT NULL CHECK (kind IN ('node', 'network', 'service', 'task', 'container', 'cluster')),
      action    TEXT NOT NULL CHECK (action IN ('create', 'update', 'delete')),
      object_id TEXT NOT NULL
    );
  `);
}

/** Records one change; call it from apply code, inside the apply transaction. */
export function recordEvent(db: Database.Database, version: number, kind: ObjectKind, action: EventAction, objectId: string): void {
  const row = stmt(db, 'SELECT COALESCE(MAX(seq), 0) AS last FROM events').get() as { last: number };
  const seq = row.last + 1;
  stmt(db, 'INSERT INTO events (seq, version, kind, action, object_id) VALUES (?, ?, ?, ?, ?)').run(seq, version, kind, action, objectId);
  if (seq % 1_000 === 0) stmt(db, 'DELETE FROM events WHERE seq <= ?').run(seq - EVENTS_KEPT_MAX);
}

/** Events after `afterSeq`, oldest first, at most `limit`. */
export function eventsAfter(db: Database.Database, afterSeq: number, limit: number): StoreEvent[] {
  const rows = stmt(db, 'SELECT seq, version, kind, action, object_id FROM events WHERE seq > ? ORDER BY seq LIMIT ?')
    .all(afterSeq, limit) as { seq: number; version: number; kind: ObjectKind; action: EventAction; object_id: string }[];
  return rows.map((r) => ({ seq: r.seq, version: r.version, kind: r.kind, action: r.action, objectId: r.object_id }));
}

/** The oldest sequence number still kept (0 when the log is empty), and the newest. */
export function eventBounds(db: Database.Database): { oldest: number; newest: number } {
  // One subquery per bound: SQLite reads MIN or MAX of the key from the end of its b-tree only when the
  // aggregate is alone in its query; MIN and MAX together scan every kept event (up to 100,000, ≈ 20 ms),
  // and the orchestrator asks ten times a second.
  const r = stmt(db, 'SELECT COALESCE((SELECT MIN(seq) FROM events), 0) AS oldest, COALESCE((SELECT MAX(seq) FROM events), 0) AS newest').get() as {
    oldest: number;
    newest: number;
  };
  return r;
}
