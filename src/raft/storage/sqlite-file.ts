import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { fsyncDir, removeIfExists } from './durable-file.js';
import { DataDirError, invariant } from './errors.js';

/**
 * Opening and creating the SQLite files of a node's data dir, with the checks
 * that turn a wrong file into a DataDirError instead of a confusing crash later.
 *
 * Every file carries a one-row `shoal_schema` table naming what the file is
 * (`kind`) and the layout version of that kind. A file is created complete
 * under a temporary name and renamed into place, so an existing file without
 * that table is damage, not an interrupted creation.
 */
export interface SchemaStamp {
  /** What the file is, e.g. 'shoal-raft-log'. Catches a file copied to the wrong name. */
  readonly kind: string;
  readonly version: number;
  /** Tables that must exist (besides shoal_schema). */
  readonly tables: readonly string[];
}

const STAMP_DDL = `CREATE TABLE shoal_schema (
  id INTEGER PRIMARY KEY CHECK (id = 1),
  kind TEXT NOT NULL,
  version INTEGER NOT NULL
)`;

/** WAL: readers never block the writer and a commit is one sequential append. FULL: the WAL is fsynced at every commit. */
export function configure(db: Database.Database): void {
  const mode: unknown = db.pragma('journal_mode = WAL', { simple: true });
  invariant(mode === 'wal', `journal_mode is ${String(mode)}, expected wal`);
  db.pragma('synchronous = FULL');
  db.pragma('foreign_keys = ON');
}

/**
 * Creates `file` with `ddl` and the stamp, atomically: it is built as
 * `<file>.init-tmp`, checkpointed, closed and renamed into place.
 * `init` runs in the same transaction as the schema (e.g. the first rows).
 */
export function createFile(file: string, stamp: SchemaStamp, ddl: string, init: (db: Database.Database) => void): void {
  invariant(!fs.existsSync(file), `createFile: ${file} exists`);
  const tmp = `${file}.init-tmp`;
  removeSqliteFiles(tmp);
  const db = new Database(tmp);
  try {
    configure(db);
    db.transaction(() => {
      db.exec(STAMP_DDL);
      db.prepare('INSERT INTO shoal_schema (id, kind, version) VALUES (1, ?, ?)').run(stamp.kind, stamp.version);
      db.exec(ddl);
      init(db);
    })();
    checkpointTruncate(db, tmp);
  } finally {
    db.close();
  }
  // After a truncating checkpoint and close, everything is in the main file.
  removeSqliteFiles(tmp, { keepMain: true });
  fs.renameSync(tmp, file);
  fsyncDir(path.dirname(file));
}

/** Opens an existing file and checks integrity, kind, version and tables. Throws DataDirError. */
export function openFile(file: string, stamp: SchemaStamp): Database.Database {
  let db: Database.Database;
  try {
    db = new Database(file, { fileMustExist: true });
  } catch (error) {
    throw new DataDirError(file, `cannot be opened (${describe(error)})`);
  }
  try {
    checkIntegrity(db, file);
    configure(db);
    checkStamp(db, file, stamp);
    return db;
  } catch (error) {
    db.close();
    throw error;
  }
}

/** Runs the checks of openFile on an already open handle (e.g. an in-memory image). */
export function checkOpened(db: Database.Database, file: string, stamp: SchemaStamp): void {
  checkIntegrity(db, file);
  checkStamp(db, file, stamp);
}

function checkIntegrity(db: Database.Database, file: string): void {
  let result: unknown;
  try {
    result = db.pragma('quick_check', { simple: true });
  } catch (error) {
    if (isSqliteCode(error, 'SQLITE_NOTADB')) throw new DataDirError(file, 'is not a SQLite database (wrong file or corrupt)');
    throw new DataDirError(file, `cannot be read (${describe(error)})`);
  }
  if (result !== 'ok') throw new DataDirError(file, `is corrupt (quick_check: ${String(result).slice(0, 200)})`);
}

function checkStamp(db: Database.Database, file: string, stamp: SchemaStamp): void {
  const rows = db.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").all() as { name: string }[];
  const tables = new Set(rows.map((r) => r.name));
  if (!tables.has('shoal_schema')) {
    throw new DataDirError(file, `is not a Shoal ${stamp.kind} file (no shoal_schema table)`);
  }
  const row = db.prepare('SELECT kind, version FROM shoal_schema WHERE id = 1').get() as
    | { kind: unknown; version: unknown }
    | undefined;
  if (row === undefined) throw new DataDirError(file, 'is damaged (shoal_schema has no row)');
  if (row.kind !== stamp.kind) {
    throw new DataDirError(file, `holds '${String(row.kind)}' data, not '${stamp.kind}' (a file was copied to the wrong name)`);
  }
  if (row.version !== stamp.version) {
    throw new DataDirError(
      file,
      `is from an incompatible version (schema ${String(row.version)}, expected ${stamp.version})`,
    );
  }
  const missing = stamp.tables.filter((t) => !tables.has(t));
  if (missing.length > 0) throw new DataDirError(file, `is damaged (missing table(s) ${missing.join(', ')})`);
}

/** Moves all WAL content into the main file and truncates the WAL. Throws if a reader prevented it. */
export function checkpointTruncate(db: Database.Database, file: string): void {
  const rows = db.pragma('wal_checkpoint(TRUNCATE)') as { busy: number; log: number; checkpointed: number }[];
  const row = rows[0];
  invariant(row !== undefined && row.busy === 0, `checkpoint of ${file} was blocked by another connection`);
}

/** Removes `<file>`, `<file>-wal`, `<file>-shm` (or only the latter two). */
export function removeSqliteFiles(file: string, opts: { keepMain?: boolean } = {}): void {
  if (opts.keepMain !== true) removeIfExists(file);
  removeIfExists(`${file}-wal`);
  removeIfExists(`${file}-shm`);
}

export function isSqliteCode(error: unknown, prefix: string): boolean {
  return error instanceof Database.SqliteError && error.code.startsWith(prefix);
}

export function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
