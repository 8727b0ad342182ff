import type Database from 'better-sqlite3';
import { join } from 'node:path';
import type { ConfState, Entry, Snapshot } from '../../raft/core/types.js';
import type { AppStateMachine, ApplyOutcome } from '../../raft/node-shell.js';
import { SqliteStateMachine } from '../../raft/storage/sqlite-state.js';
import { ShoalError, isShoalError } from '../../errors.js';
import { applyCommand } from './apply.js';
import { decodeCommand } from './commands.js';
import { STATE_SCHEMA_VERSION, migrateState } from './schema.js';
import { ensureReadIndexes } from './read-indexes.js';

export const STATE_DB_FILE = 'state.db';

/**
 * Commands that only record liveness: node and task status, manager reachability. They are most of
 * the writes of a busy cluster and change nothing a heartbeat is answered with (roles, addresses,
 * settings, the CA), so they leave `generation` alone.
 */
const LIVENESS_ONLY_OPS: ReadonlySet<string> = new Set(['node.status', 'task.status', 'node.reachability']);

/**
 * The manager's replicated state: the SQLite state machine (tables of cluster
 * objects) plus the function that applies committed commands to it. Reads go
 * straight to `db`; writes only ever come through applyEntries.
 */
export class StateStore implements AppStateMachine {
  private changes = 0;

  private constructor(private readonly sm: SqliteStateMachine) {}

  /**
   * Moves whenever an applied command (or a restored snapshot) may have changed more than liveness:
   * a cache of what heartbeats are answered with stays valid while it stays (heartbeat-answers.ts).
   * In memory only, never part of the replicated state.
   */
  get generation(): number {
    return this.changes;
  }

  static open(dataDir: string): StateStore {
    const sm = SqliteStateMachine.open(join(dataDir, STATE_DB_FILE), {
      schemaVersion: STATE_SCHEMA_VERSION,
      migrate: migrateState,
      // The Raft log (fsynced) is the durable record; lost newest applies are re-applied from it on restart.
      syncEachBatch: false,
    });
    ensureReadIndexes(sm.db);
    return new StateStore(sm);
  }

  get db(): Database.Database {
    return this.sm.db;
  }

  applied(): { index: number; term: number; conf: ConfState } {
    return this.sm.applied();
  }

  applyEntries(entries: readonly Entry[], conf: ConfState | null): ApplyOutcome[] {
    const outcomes = this.sm.applyBatch(
      entries,
      (db, entry) => {
        // Membership lives in the Raft conf state, recorded by applyBatch; empty entries are leaders' no-ops.
        if (entry.kind !== 'normal' || entry.data.length === 0) return null;
        const cmd = decodeCommand(entry.data);
        if (!LIVENESS_ONLY_OPS.has(cmd.op)) this.changes++;
        return applyCommand(db, cmd, entry.index);
      },
      conf ?? undefined,
    );
    return outcomes.map((o): ApplyOutcome => (o.ok ? { ok: true, value: o.value } : { ok: false, error: asShoalError(o.error) }));
  }

  snapshot(): Snapshot {
    return this.sm.snapshot();
  }

  restore(snapshot: Snapshot): void {
    this.changes++;
    this.sm.restore(snapshot);
    ensureReadIndexes(this.sm.db);
  }

  close(): void {
    this.sm.close();
  }
}

/** Apply failures other than ShoalErrors (e.g. a constraint) are still a definite, deterministic result. */
function asShoalError(e: unknown): ShoalError {
  if (isShoalError(e)) return e;
  const message = e instanceof Error ? e.message : String(e);
  if (/UNIQUE constraint failed/.test(message)) return new ShoalError('ALREADY_EXISTS', message);
  if (/CHECK constraint failed/.test(message)) return new ShoalError('INVALID_ARGUMENT', message);
  return new ShoalError('INTERNAL', `applying the change failed: ${message}`);
}
