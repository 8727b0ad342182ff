import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import type { ConfState, Entry, Snapshot, SnapshotMeta } from '../core/types.js';
import { EMPTY_CONF, decodeConf, encodeConf } from './conf-codec.js';
import { fsyncDir, writeFileSynced } from './durable-file.js';
import { DataDirError, invariant } from './errors.js';
import type { FaultHooks, FaultPoint } from './faults.js';
import { checkOpened, checkpointTruncate, createFile, describe, isSqliteCode, openFile, removeSqliteFiles } from './sqlite-file.js';
import type { SchemaStamp } from './sqlite-file.js';

export const STATE_STAMP: SchemaStamp = { kind: 'shoal-state', version: 1, tables: ['raft_applied', 'app_schema'] };

// raft_applied changes in the same transaction as the application's tables,
// so after any crash the applied index (and the membership it implies)
// describes exactly the rows on disk.
const STATE_DDL = `
CREATE TABLE raft_applied (id INTEGER PRIMARY KEY CHECK (id = 1), idx INTEGER NOT NULL, term INTEGER NOT NULL, conf TEXT NOT NULL);
CREATE TABLE app_schema (id INTEGER PRIMARY KEY CHECK (id = 1), version INTEGER NOT NULL);
`;

/** A batch passed to applyBatch holds at most this many entries. */
export const applyBatchEntriesMax = 1 << 16;

export interface StateMachineOptions {
  /** The application's schema version; a file from a newer version is refused. */
  schemaVersion: number;
  /**
   * Creates (fromVersion 0) or upgrades the application's tables, inside the
   * transaction that records the new version. Must be deterministic: every
   * manager runs it on its own copy of the replicated state.
   */
  migrate(db: Database.Database, fromVersion: number): void;
  /**
   * Whether every applied batch is fsynced (SQLite synchronous=FULL; default
   * true). A state machine driven by a durable Raft log may pass false
   * (synchronous=NORMAL: commits survive a process crash, and a power loss
   * can only lose the newest batches): on restart the node re-applies them
   * from the log, which still holds every entry after the newest snapshot,
   * and a state older than that snapshot is replaced by the snapshot. This
   * takes one fsync per round off the write path.
   */
  syncEachBatch?: boolean;
  faults?: FaultHooks;
}

export interface Applied {
  readonly index: number;
  readonly term: number;
  readonly conf: ConfState;
}

/** What became of one entry in applyBatch. A failed entry changed nothing (its savepoint was rolled back). */
export type ApplyOutcome<T> =
  | { readonly index: number; readonly ok: true; readonly value: T }
  | { readonly index: number; readonly ok: false; readonly error: unknown };

/** A snapshot image handed to restore() is unusable (corrupt, wrong kind, or disagrees with its meta). */
export class InvalidSnapshotError extends Error {
  constructor(meta: SnapshotMeta, reason: string) {
    super(`snapshot ${meta.index}@${meta.term} cannot be installed: ${reason}`);
    this.name = 'InvalidSnapshotError';
  }
}

// SQLite error codes that say the environment failed (disk, memory, locks),
// not the entry. Such a failure is not the same on every node, so it must not
// become a recorded per-entry result: it aborts the whole batch instead.
const ENVIRONMENT_ERROR_CODES = ['SQLITE_IOERR', 'SQLITE_FULL', 'SQLITE_NOMEM', 'SQLITE_CORRUPT', 'SQLITE_NOTADB',
  'SQLITE_BUSY', 'SQLITE_LOCKED', 'SQLITE_CANTOPEN', 'SQLITE_READONLY', 'SQLITE_PROTOCOL', 'SQLITE_INTERRUPT'];

/**
 * The replicated state machine's own SQLite database (`state.db`). The
 * application owns its tables; this class owns `raft_applied` and makes every
 * batch of applied entries, with the new applied index, one transaction.
 *
 * It must be the only connection to the file: restore() replaces the file
 * underneath. Read through `db`, and fetch `db` again after a restore.
 */
export class SqliteStateMachine {
  private handle: Handle;
  private appliedState: Applied;

  private constructor(
    private readonly file: string,
    private readonly opts: StateMachineOptions,
  ) {
    this.handle = openHandle(file, opts);
    this.appliedState = readApplied(this.handle.db, file);
  }

  /** Opens (or creates) the state database at `file`. Throws DataDirError for an unusable file. */
  static open(file: string, opts: StateMachineOptions): SqliteStateMachine {
    invariant(Number.isSafeInteger(opts.schemaVersion) && opts.schemaVersion >= 1, 'schemaVersion must be an integer >= 1');
    fs.mkdirSync(path.dirname(file), { recursive: true });
    // A restore that crashed before its rename leaves its image behind; the old database is the valid one.
    removeSqliteFiles(restoreTmp(file));
    if (!fs.existsSync(file)) {
      createFile(file, STATE_STAMP, STATE_DDL, (db) => {
        db.prepare('INSERT INTO raft_applied (id, idx, term, conf) VALUES (1, 0, 0, ?)').run(encodeConf(EMPTY_CONF));
        db.prepare('INSERT INTO app_schema (id, version) VALUES (1, ?)').run(opts.schemaVersion);
        opts.migrate(db, 0);
      });
    }
    return new SqliteStateMachine(file, opts);
  }

  /** The open handle, for reads. Replaced by restore(). */
  get db(): Database.Database {
    return this.handle.db;
  }

  applied(): Applied {
    return this.appliedState;
  }

  close(): void {
    this.handle.db.close();
  }

  /**
   * Applies committed entries in one transaction together with the new
   * applied index/term (and `conf`, the membership after the batch, when it
   * holds a conf change). Each entry runs in its own SAVEPOINT: if `apply`
   * throws, that entry's changes are rolled back, its error is returned as its
   * outcome, and the batch goes on. `apply` must be synchronous.
   */
  applyBatch<T>(entries: readonly Entry[], apply: (db: Database.Database, entry: Entry) => T, conf?: ConfState): ApplyOutcome<T>[] {
    if (entries.length === 0) {
      invariant(conf === undefined, 'applyBatch: conf without entries');
      return [];
    }
    invariant(entries.length <= applyBatchEntriesMax, () => `applyBatch: ${entries.length} entries exceed ${applyBatchEntriesMax}`);
    const before = this.appliedState;
    entries.forEach((e, i) => {
      invariant(e.index === before.index + 1 + i, () => `applyBatch: entry ${e.index} does not follow applied index ${before.index + i}`);
    });
    invariant(conf === undefined || entries.some((e) => e.kind === 'conf-change'), 'applyBatch: conf given but no conf-change entry in the batch');
    const last = entries[entries.length - 1]!;
    invariant(last.term >= before.term, 'applyBatch: term goes back');
    const next: Applied = { index: last.index, term: last.term, conf: conf ?? before.conf };
    const { stmts, entryTx, batchTx } = this.handle;
    const outcomes: ApplyOutcome<T>[] = [];
    batchTx(() => {
      for (const entry of entries) outcomes.push(this.applyOne(entry, apply, entryTx));
      const r = stmts.updateApplied.run(next.index, next.term, encodeConf(next.conf));
      invariant(r.changes === 1, 'raft_applied row missing');
      this.fault('apply:before-commit');
    });
    this.appliedState = next;
    return outcomes;
  }

  /** A consistent image of the whole database with its applied meta, for Raft snapshots. */
  snapshot(): Snapshot {
    const db = this.handle.db;
    invariant(!db.inTransaction, 'snapshot: inside a transaction');
    const data = db.serialize();
    // Mark the image as a rollback-journal file (header bytes 18-19 = 1) so it
    // can be opened from memory; restore() switches it back to WAL on open.
    data[18] = 1;
    data[19] = 1;
    return { meta: { ...this.appliedState }, data };
  }

  /**
   * Replaces the database with a snapshot image, atomically with respect to
   * crashes: afterwards state.db is entirely the old or entirely the new one.
   *
   * Why this order: SQLite never checks that a -wal file belongs to the main
   * file next to it, so an old WAL left beside the new image would be replayed
   * into it. The old database is therefore checkpointed (TRUNCATE) and closed
   * first, which leaves all of its data in the main file and the WAL empty;
   * only then are -wal/-shm removed and the image renamed over state.db.
   */
  restore(snapshot: Snapshot): void {
    const db = this.handle.db;
    invariant(!db.inTransaction, 'restore: inside a transaction');
    invariant(snapshot.meta.index > this.appliedState.index, () => `restore: snapshot ${snapshot.meta.index} is not past applied ${this.appliedState.index}`);
    const image = checkImage(snapshot, this.opts.schemaVersion);
    const tmp = restoreTmp(this.file);
    writeFileSynced(tmp, image);
    this.fault('restore:after-tmp-write');
    checkpointTruncate(db, this.file);
    db.close();
    this.fault('restore:after-close');
    removeSqliteFiles(this.file, { keepMain: true });
    this.fault('restore:after-wal-removed');
    fs.renameSync(tmp, this.file);
    this.fault('restore:after-rename');
    fsyncDir(path.dirname(this.file));
    this.fault('restore:after-dir-fsync');
    this.handle = openHandle(this.file, this.opts);
    this.appliedState = readApplied(this.handle.db, this.file);
    invariant(this.appliedState.index === snapshot.meta.index && this.appliedState.term === snapshot.meta.term, 'restore: reopened database disagrees with the snapshot');
  }

  private applyOne<T>(entry: Entry, apply: (db: Database.Database, entry: Entry) => T, entryTx: EntryTx): ApplyOutcome<T> {
    try {
      return { index: entry.index, ok: true, value: entryTx(apply, entry) as T };
    } catch (error) {
      if (ENVIRONMENT_ERROR_CODES.some((code) => isSqliteCode(error, code))) throw error;
      // SQLite may have rolled back the whole transaction on its own; then nothing of the batch survives.
      if (!this.handle.db.inTransaction) throw error;
      return { index: entry.index, ok: false, error };
    }
  }

  private fault(point: FaultPoint): void {
    this.opts.faults?.before?.(point);
  }
}

// Called inside the batch transaction, a better-sqlite3 transaction function
// runs as a SAVEPOINT and rolls back to it (then rethrows) on an exception.
type EntryTx = (apply: (db: Database.Database, entry: Entry) => unknown, entry: Entry) => unknown;

interface Handle {
  readonly db: Database.Database;
  readonly stmts: { readonly updateApplied: Database.Statement };
  readonly entryTx: EntryTx;
  /** Runs `body` in one transaction; built once per handle (db.transaction() per batch cost ≈ 10 µs). */
  readonly batchTx: (body: () => void) => void;
}

function openHandle(file: string, opts: StateMachineOptions): Handle {
  const db = openFile(file, STATE_STAMP);
  try {
    if (opts.syncEachBatch === false) db.pragma('synchronous = NORMAL');
    migrateIfOlder(db, file, opts);
    const entryTx = db.transaction((apply: (db: Database.Database, entry: Entry) => unknown, entry: Entry) => apply(db, entry));
    const batchTx = db.transaction((body: () => void) => body());
    return { db, stmts: { updateApplied: db.prepare('UPDATE raft_applied SET idx = ?, term = ?, conf = ? WHERE id = 1') }, entryTx, batchTx };
  } catch (error) {
    db.close();
    throw error;
  }
}

function migrateIfOlder(db: Database.Database, file: string, opts: StateMachineOptions): void {
  const version = readAppVersion(db, file);
  if (version > opts.schemaVersion) {
    throw new DataDirError(
      file,
      `was written by a newer version of Shoal (state schema ${version}, this build knows ${opts.schemaVersion})`,
      'run a Shoal version that knows this schema, or restore a backup',
    );
  }
  if (version === opts.schemaVersion) return;
  db.transaction(() => {
    opts.migrate(db, version);
    db.prepare('UPDATE app_schema SET version = ? WHERE id = 1').run(opts.schemaVersion);
  })();
}

function readAppVersion(db: Database.Database, file: string): number {
  const row = db.prepare('SELECT version FROM app_schema WHERE id = 1').get() as { version: number } | undefined;
  if (row === undefined) throw new DataDirError(file, 'is damaged (no app_schema row)');
  return row.version;
}

function readApplied(db: Database.Database, file: string): Applied {
  const row = db.prepare('SELECT idx, term, conf FROM raft_applied WHERE id = 1').get() as
    | { idx: number; term: number; conf: string }
    | undefined;
  if (row === undefined) throw new DataDirError(file, 'is damaged (no raft_applied row)');
  const conf = decodeConf(row.conf);
  if (typeof conf === 'string') throw new DataDirError(file, `is damaged (raft_applied ${conf})`);
  const ok = Number.isSafeInteger(row.idx) && row.idx >= 0 && Number.isSafeInteger(row.term) && row.term >= 0;
  if (!ok) throw new DataDirError(file, `is damaged (raft_applied index ${row.idx}, term ${row.term})`);
  return { index: row.idx, term: row.term, conf };
}

/** Opens the image in memory and checks it is a state db whose applied meta matches the snapshot. Returns the bytes to write. */
function checkImage(snapshot: Snapshot, schemaVersion: number): Buffer {
  const { meta } = snapshot;
  let image = Buffer.from(snapshot.data.buffer, snapshot.data.byteOffset, snapshot.data.byteLength);
  if (image.byteLength < 100) throw new InvalidSnapshotError(meta, `image of ${image.byteLength} bytes is too short`);
  if (image[18] !== 1 || image[19] !== 1) {
    image = Buffer.from(image); // copy: never write into the caller's buffer
    image[18] = 1;
    image[19] = 1;
  }
  let mem: Database.Database | undefined;
  try {
    mem = new Database(image);
    checkOpened(mem, `snapshot-${meta.term}-${meta.index}`, STATE_STAMP);
    const applied = readApplied(mem, 'snapshot');
    const version = readAppVersion(mem, 'snapshot');
    if (version > schemaVersion) throw new Error(`it has state schema ${version}, this build knows ${schemaVersion}`);
    if (applied.index !== meta.index || applied.term !== meta.term || encodeConf(applied.conf) !== encodeConf(meta.conf)) {
      throw new Error(`its applied state ${applied.index}@${applied.term} ${encodeConf(applied.conf)} disagrees with the meta`);
    }
  } catch (error) {
    throw new InvalidSnapshotError(meta, describe(error));
  } finally {
    mem?.close();
  }
  return image;
}

function restoreTmp(file: string): string {
  return `${file}.restore-tmp`;
}
