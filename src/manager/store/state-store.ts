import type Database from 'better-sqlite3';
import { join } from 'node:path';
import type { ConfState, Entry, Snapshot } from '../../raft/core/types.js';
import type { AppStateMachine, ApplyOutcome } from '../../raft/node-shell.js';
import { SqliteStateMachine } from '../../raft/storage/sqlite-state.js';
import { ShoalError, isShoalError } from '../../errors.js';
import { applyCommand } from './apply.js';
import { decodeCommand } from './commands.js';
import { STATE_SCHEMA_VERSION, migrateState } from './schema.js';

export const STATE_DB_FILE = 'state.db';

/**
 * The manager's replicated state: the SQLite state machine (tables of cluster
 * objects) plus the function that applies committed commands to it. Reads go
 * straight to `db`; writes only ever come through applyEntries.
 */
export class StateStore implements AppStateMachine {
  private constructor(private readonly sm: SqliteStateMachine) {}

  static open(dataDir: string): StateStore {
    const sm = SqliteStateMachine.open(join(dataDir, STATE_DB_FILE), {
      schemaVersion: STATE_SCHEMA_VERSION,
      migrate: migrateState,
      // The Raft log (fsynced) is the durable record; lost newest applies are re-applied from it on restart.
      syncEachBatch: false,
    });
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
        return applyCommand(db, decodeCommand(entry.data), entry.index);
      },
      conf ?? undefined,
    );
    return outcomes.map((o): ApplyOutcome => (o.ok ? { ok: true, value: o.value } : { ok: false, error: asShoalError(o.error) }));
  }

  snapshot(): Snapshot {
    return this.sm.snapshot();
  }

  restore(snapshot: Snapshot): void {
    this.sm.restore(snapshot);
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
