/**
 * Idempotent writes: the request IDs of recently applied commands and their results.
 *
 * A client that does not know whether its write landed (the manager died, the leader changed,
 * the call timed out) sends it again with the same request ID. The command carries the ID; the
 * apply that first succeeds records (ID, op, result) in the same transaction as the change, and
 * an apply that finds the ID already recorded changes nothing and returns the recorded result.
 * So a write acts at most once however often it is retried, through any manager, across leader
 * changes, and after a snapshot (the table is part of state.db, which is the snapshot).
 *
 * A failed apply records nothing (its changes are rolled back with it): a retry of a write that
 * failed simply runs again — it acted zero times, so running it again cannot act twice.
 *
 * The window is bounded: rows older than REQUEST_ID_WINDOW_MS (by the commands' proposer-chosen
 * time, so the pruning is deterministic) or beyond REQUEST_IDS_MAX are dropped on each record.
 */
import type Database from 'better-sqlite3';
import { ShoalError } from '../../errors.js';
import { stmt } from './statements.js';

/** How long a request ID is remembered: far longer than any client's retry deadline. */
export const REQUEST_ID_WINDOW_MS = 10 * 60_000;
/** At most this many IDs are remembered (the oldest go first). */
export const REQUEST_IDS_MAX = 100_000;
export const REQUEST_ID_LENGTH_MAX = 128;

export function migrateRequestIds(db: Database.Database): void {
  db.exec(`
    CREATE TABLE IF NOT EXISTS request_ids (
      id            TEXT PRIMARY KEY,
      op            TEXT NOT NULL,
      result        TEXT NOT NULL,   -- JSON of the apply result
      at            INTEGER NOT NULL,
      applied_index INTEGER NOT NULL UNIQUE
    );
    CREATE INDEX IF NOT EXISTS request_ids_by_at ON request_ids (at);
  `);
}

/** A well-formed request ID or undefined for none; INVALID_ARGUMENT names the field. */
export function checkRequestId(raw: string | undefined, field = 'request_id'): string | undefined {
  const id = (raw ?? '').trim();
  if (id === '') return undefined;
  if (id.length > REQUEST_ID_LENGTH_MAX || !/^[A-Za-z0-9_.-]+$/.test(id)) {
    throw new ShoalError('INVALID_ARGUMENT', `${field}: "${raw}" is not a valid request ID (1-${REQUEST_ID_LENGTH_MAX} letters, digits, '_', '.' or '-')`);
  }
  return id;
}

export interface RecalledRequest {
  readonly op: string;
  readonly result: unknown;
}

/** The recorded outcome of request `id`, or null if it is not (or no longer) remembered. */
export function recallRequest(db: Database.Database, id: string): RecalledRequest | null {
  const r = stmt(db, 'SELECT op, result FROM request_ids WHERE id = ?').get(id) as { op: string; result: string } | undefined;
  return r ? { op: r.op, result: JSON.parse(r.result) as unknown } : null;
}

/** A request ID reused for a different kind of write is a client bug, not a repeat. */
export function requireSameOp(id: string, recalled: RecalledRequest, op: string): void {
  if (recalled.op !== op) {
    throw new ShoalError('INVALID_ARGUMENT', `request_id: "${id}" was already used for a different write (${recalled.op}); use a fresh ID for each new write`);
  }
}

/** Inside apply: records a successful command's result, and prunes the window. */
export function rememberRequest(db: Database.Database, id: string, op: string, result: unknown, at: number, index: number): void {
  stmt(db, 'DELETE FROM request_ids WHERE at < ?').run(at - REQUEST_ID_WINDOW_MS);
  stmt(db, 'INSERT INTO request_ids (id, op, result, at, applied_index) VALUES (?, ?, ?, ?, ?)').run(id, op, JSON.stringify(result ?? null), at, index);
  // Past the cap, drop the oldest (the UNIQUE applied_index is indexed).
  stmt(db, 'DELETE FROM request_ids WHERE applied_index <= (SELECT applied_index FROM request_ids ORDER BY applied_index DESC LIMIT 1 OFFSET ?)').run(REQUEST_IDS_MAX);
}
