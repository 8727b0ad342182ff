import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type Database from 'better-sqlite3';
import { CompactedError, UnavailableError } from '../core/storage.js';
import type { Storage } from '../core/storage.js';
import type { ConfState, Entry, EntryKind, HardState, Snapshot, SnapshotMeta } from '../core/types.js';
import { NONE } from '../core/types.js';
import { EMPTY_CONF, decodeConf, encodeConf } from './conf-codec.js';
import { fsyncDir, removeIfExists, writeFileAtomic } from './durable-file.js';
import { DataDirError, invariant } from './errors.js';
import type { FaultHooks, FaultPoint } from './faults.js';
import { createFile, openFile } from './sqlite-file.js';
import type { SchemaStamp } from './sqlite-file.js';
import { EntryTail } from './entry-tail.js';
import { TermRuns } from './term-runs.js';

export const LOG_FILE = 'raft.db';
export const SNAPSHOT_DIR = 'snapshots';

const LOG_STAMP: SchemaStamp = {
  kind: 'shoal-raft-log',
  version: 1,
  tables: ['hard_state', 'log_start', 'snapshot', 'entries'],
};

// log_start is the compaction point C: the entry at C is gone but its term is
// kept, so the log answers term(C) and holds entries C+1..L. The newest
// snapshot S satisfies C <= S <= commit <= L (entries up to S may be kept for
// slow followers, see compact()).
const LOG_DDL = `
CREATE TABLE hard_state (id INTEGER PRIMARY KEY CHECK (id = 1), term INTEGER NOT NULL, vote INTEGER NOT NULL, commit_index INTEGER NOT NULL);
CREATE TABLE log_start (id INTEGER PRIMARY KEY CHECK (id = 1), idx INTEGER NOT NULL, term INTEGER NOT NULL);
CREATE TABLE snapshot (id INTEGER PRIMARY KEY CHECK (id = 1), idx INTEGER NOT NULL, term INTEGER NOT NULL, conf TEXT NOT NULL,
  file TEXT NOT NULL, bytes INTEGER NOT NULL, sha256 TEXT NOT NULL);
CREATE TABLE entries (idx INTEGER PRIMARY KEY, term INTEGER NOT NULL, kind INTEGER NOT NULL, data BLOB NOT NULL);
`;

/** One Ready's worth of durable state, as the node shell hands it over. */
export interface LogUpdate {
  readonly hardState: HardState | null;
  readonly entries: readonly Entry[];
  readonly snapshot: Snapshot | null;
  /**
   * Whether the transaction must be fsynced before persist() returns (default
   * true). The core's Ready.mustSync is false when only the commit index moved:
   * Raft does not need the commit index to be durable (a restarted node learns
   * it again), so such a write survives a process crash (WAL) but may be lost
   * to a power failure — which the next synced write or a restart repairs.
   */
  readonly sync?: boolean;
}

export interface SqliteLogOptions {
  /** The membership as recorded by the state machine (see SqliteStateMachine.applied()). */
  confState: () => ConfState;
  faults?: FaultHooks;
}

/** A snapshot as recorded in raft.db: its meta and where its data lives. */
interface SnapshotRecord {
  readonly meta: SnapshotMeta;
  /** File name inside snapshots/, '' when there is no snapshot. */
  readonly file: string;
  readonly bytes: number;
  readonly sha256: string;
}

const NO_SNAPSHOT: SnapshotRecord = { meta: { index: 0, term: 0, conf: EMPTY_CONF }, file: '', bytes: 0, sha256: '' };

/** A single persist() may carry at most this many entries (a Ready is bounded by the core; this catches runaways). */
const persistEntriesMax = 1 << 16;

/** The state after a persist(), computed before anything is written. */
interface Plan {
  readonly runs: TermRuns;
  readonly hard: HardState;
  readonly snap: SnapshotRecord;
  /** The update's entries minus those already covered by the compaction point. */
  readonly entries: readonly Entry[];
  /** The snapshot disagrees with the log: every stored entry goes. */
  readonly logDropAll: boolean;
}

const KIND_CODES: Record<EntryKind, number> = { normal: 0, 'conf-change': 1 };

interface EntryRow {
  idx: number;
  term: number;
  kind: number;
  data: Buffer;
}

/**
 * The durable Raft log of one node in `<dir>/raft.db` (SQLite, WAL,
 * synchronous=FULL) plus snapshot data files in `<dir>/snapshots/`.
 *
 * Reads (term, firstIndex, lastIndex) come from memory; entries() uses one
 * prepared statement. Every write is one SQLite transaction that is durable
 * when the method returns. The in-memory view changes only after COMMIT, so a
 * failed write leaves this object and the file consistent with each other.
 */
export class SqliteLogStorage implements Storage {
  private readonly stmts: ReturnType<typeof prepare>;
  // Built once: better-sqlite3's db.transaction() makes five wrapper functions
  // per call, which was ≈ 20 µs of every persist (issue #16 profile).
  private readonly updateTx: (plan: Plan) => void;
  private readonly compactTx: (record: SnapshotRecord, start: number, runs: TermRuns) => void;
  /** The newest entries as persisted, so reading them back to apply them skips SQLite. */
  private readonly tail = new EntryTail();

  private constructor(
    private readonly dir: string,
    private readonly db: Database.Database,
    private readonly opts: SqliteLogOptions,
    private runs: TermRuns,
    private hard: HardState,
    private snap: SnapshotRecord,
  ) {
    this.stmts = prepare(db);
    this.updateTx = db.transaction((plan: Plan) => this.writeUpdate(plan));
    this.compactTx = db.transaction((record: SnapshotRecord, start: number, runs: TermRuns) => {
      this.writeSnapshotRecord(record);
      this.stmts.deleteUpTo.run(start);
      this.writeLogStart(runs);
      this.fault('compact:before-commit');
    });
  }

  /** Opens `<dir>/raft.db`, creating the dir and an empty log if there is none. Throws DataDirError. */
  static open(dir: string, opts: SqliteLogOptions): SqliteLogStorage {
    fs.mkdirSync(path.join(dir, SNAPSHOT_DIR), { recursive: true });
    const file = path.join(dir, LOG_FILE);
    if (!fs.existsSync(file)) createFile(file, LOG_STAMP, LOG_DDL, initRows);
    const db = openFile(file, LOG_STAMP);
    try {
      const hard = readHardState(db, file);
      const snap = readSnapshotRecord(db, file);
      const runs = readRuns(db, file);
      checkLoaded(file, runs, hard, snap);
      checkSnapshotFile(dir, snap);
      removeStaleSnapshots(dir, snap.file);
      return new SqliteLogStorage(dir, db, opts, runs, hard, snap);
    } catch (error) {
      db.close();
      throw error;
    }
  }

  close(): void {
    this.db.close();
  }

  initialState(): { hardState: HardState; confState: ConfState } {
    return { hardState: this.hard, confState: this.opts.confState() };
  }

  firstIndex(): number {
    return this.runs.firstIndex + 1;
  }

  lastIndex(): number {
    return this.runs.lastIndex;
  }

  term(i: number): number {
    invariant(Number.isSafeInteger(i) && i >= 0, () => `term(${i}): not an index`);
    if (i < this.runs.firstIndex) throw new CompactedError(i, this.firstIndex());
    const term = this.runs.term(i);
    if (term === undefined) throw new UnavailableError(i, this.lastIndex());
    return term;
  }

  entries(lo: number, hi: number, maxBytes: number): Entry[] {
    invariant(Number.isSafeInteger(lo) && Number.isSafeInteger(hi) && lo <= hi, () => `entries(${lo}, ${hi}): bad range`);
    invariant(maxBytes >= 0, 'entries: maxBytes must be >= 0');
    if (lo < this.firstIndex()) throw new CompactedError(lo, this.firstIndex());
    if (hi > this.lastIndex() + 1) throw new UnavailableError(hi - 1, this.lastIndex());
    const cached = this.tail.read(lo, hi, maxBytes);
    if (cached !== undefined) return cached;
    const out: Entry[] = [];
    let bytes = 0;
    for (const row of this.stmts.selectEntries.iterate(lo, hi) as IterableIterator<EntryRow>) {
      bytes += row.data.byteLength;
      if (out.length > 0 && bytes > maxBytes) break;
      invariant(row.idx === lo + out.length, () => `raft.db entries are not contiguous at ${lo + out.length}`);
      out.push({ index: row.idx, term: row.term, kind: decodeKind(row.kind), data: row.data });
    }
    invariant(out.length > 0 || lo === hi, () => `entries(${lo}, ${hi}) found no rows inside the log`);
    return out;
  }

  snapshot(): Snapshot {
    const record = this.snap;
    if (record.file === '') return { meta: record.meta, data: new Uint8Array(0) };
    const file = path.join(this.dir, SNAPSHOT_DIR, record.file);
    const data = fs.readFileSync(file);
    if (data.byteLength !== record.bytes || sha256(data) !== record.sha256) {
      throw new DataDirError(file, `does not match its record in raft.db (${data.byteLength} bytes, expected ${record.bytes})`);
    }
    return { meta: record.meta, data };
  }

  /** The persisted hard state (same as initialState().hardState, without asking for the conf state). */
  hardState(): HardState {
    return this.hard;
  }

  /**
   * Makes one Ready's hard state, entries and (received) snapshot durable in one
   * transaction. Entries replace any conflicting suffix; a snapshot replaces the
   * log up to its index (the whole log if the log disagrees with it there).
   */
  persist(update: LogUpdate): void {
    if (update.hardState === null && update.entries.length === 0 && update.snapshot === null) return;
    const plan = this.plan(update);
    if (plan.snap !== this.snap) {
      writeFileAtomic(path.join(this.dir, SNAPSHOT_DIR, plan.snap.file), update.snapshot!.data);
      this.fault('persist:after-snapshot-file');
    }
    const sync = update.sync ?? true;
    invariant(sync || (update.entries.length === 0 && update.snapshot === null), 'persist: entries and snapshots are always synced');
    if (!sync) this.db.pragma('synchronous = NORMAL');
    try {
      this.updateTx(plan);
    } finally {
      if (!sync) this.db.pragma('synchronous = FULL');
    }
    const snapChanged = plan.snap !== this.snap;
    if (plan.logDropAll) this.tail.clear();
    else if (snapChanged) this.tail.compactedTo(plan.runs.firstIndex);
    this.tail.appended(plan.entries);
    this.runs = plan.runs;
    this.hard = plan.hard;
    this.snap = plan.snap;
    if (snapChanged) {
      this.fault('persist:after-commit');
      removeStaleSnapshots(this.dir, this.snap.file);
    }
  }

  /** The body of persist()'s transaction (updateTx): one commit, durable when synchronous=FULL. */
  private writeUpdate(plan: Plan): void {
    if (plan.snap !== this.snap) {
      this.writeSnapshotRecord(plan.snap);
      if (plan.logDropAll) this.stmts.deleteFrom.run(0);
      else this.stmts.deleteUpTo.run(plan.runs.firstIndex);
      this.writeLogStart(plan.runs);
    }
    if (plan.entries.length > 0) {
      if (plan.entries[0]!.index <= this.runs.lastIndex) this.stmts.deleteFrom.run(plan.entries[0]!.index);
      for (const e of plan.entries) this.stmts.insertEntry.run(e.index, e.term, KIND_CODES[e.kind], blob(e.data));
    }
    if (plan.hard !== this.hard) this.writeHardState(plan.hard);
    this.fault('persist:before-commit');
  }

  /**
   * Records a snapshot the application took at meta.index (<= commit) and
   * compacts the log: entries with index <= meta.index - keepEntries are
   * deleted, so the last `keepEntries` entries up to meta.index stay for
   * followers that are only slightly behind. Entries after meta.index are kept.
   */
  compact(meta: SnapshotMeta, data: Uint8Array, keepEntries: number): void {
    invariant(Number.isSafeInteger(keepEntries) && keepEntries >= 0, `compact: keepEntries ${keepEntries} must be an integer >= 0`);
    invariant(meta.index > this.snap.meta.index, () => `compact: snapshot ${meta.index} is not newer than ${this.snap.meta.index}`);
    invariant(meta.index <= this.hard.commit, () => `compact: snapshot ${meta.index} is past commit ${this.hard.commit}`);
    invariant(this.runs.term(meta.index) === meta.term, () => `compact: term ${meta.term} at ${meta.index} disagrees with the log`);
    const record = makeRecord(meta, data);
    const runs = this.runs.clone();
    const start = Math.max(runs.firstIndex, meta.index - keepEntries);
    runs.compactTo(start);
    writeFileAtomic(path.join(this.dir, SNAPSHOT_DIR, record.file), data);
    this.fault('compact:after-snapshot-file');
    this.compactTx(record, start, runs);
    this.tail.compactedTo(runs.firstIndex);
    this.runs = runs;
    this.snap = record;
    this.fault('compact:after-commit');
    removeStaleSnapshots(this.dir, record.file);
  }

  /** Validates an update against the current state and computes the state after it. Changes nothing. */
  private plan(update: LogUpdate): Plan {
    invariant(update.entries.length <= persistEntriesMax, () => `persist: ${update.entries.length} entries exceed ${persistEntriesMax}`);
    let runs = this.runs.clone();
    let snap = this.snap;
    let logDropAll = false;
    if (update.snapshot !== null) {
      const meta = update.snapshot.meta;
      invariant(meta.index > snap.meta.index, () => `persist: snapshot ${meta.index} is not newer than ${snap.meta.index}`);
      invariant(meta.index > 0 && meta.term > 0, 'persist: snapshot must have index and term >= 1');
      snap = makeRecord(meta, update.snapshot.data);
      if (runs.term(meta.index) === meta.term) {
        runs.compactTo(meta.index); // the log agrees with the snapshot: keep what follows it
      } else {
        runs = TermRuns.at(meta.index, meta.term);
        logDropAll = true;
      }
    }
    return this.planEntries(update, runs, snap, logDropAll);
  }

  private planEntries(update: LogUpdate, runs: TermRuns, snap: SnapshotRecord, logDropAll: boolean): Plan {
    checkBatch(update.entries);
    // Entries at or below the compaction point are already covered by a
    // snapshot (committed, hence identical); etcd skips them the same way.
    const entries = update.entries.filter((e) => e.index > runs.firstIndex);
    const oldCommit = this.hard.commit;
    if (entries.length > 0) {
      const first = entries[0]!.index;
      invariant(first <= runs.lastIndex + 1, () => `persist: entries start at ${first}, leaving a gap after ${runs.lastIndex}`);
      for (const e of entries) {
        if (e.index > Math.min(runs.lastIndex, oldCommit)) break;
        invariant(runs.term(e.index) === e.term, () => `persist: entry ${e.index} would replace a committed entry`);
      }
      runs.truncateAfter(first - 1);
      for (const e of entries) runs.append(e.index, e.term);
    }
    const hard = update.hardState ?? this.hard;
    if (update.hardState !== null) checkHardStateStep(this.hard, update.hardState);
    invariant(hard.commit <= runs.lastIndex, () => `persist: commit ${hard.commit} is past the last index ${runs.lastIndex}`);
    invariant(hard.commit >= snap.meta.index, () => `persist: commit ${hard.commit} is below the snapshot ${snap.meta.index}`);
    invariant(runs.lastTerm <= hard.term, () => `persist: log term ${runs.lastTerm} is above the hard state term ${hard.term}`);
    return { runs, hard, snap, entries, logDropAll };
  }

  private writeHardState(hard: HardState): void {
    const r = this.stmts.updateHard.run(hard.term, hard.vote, hard.commit);
    invariant(r.changes === 1, 'hard_state row missing');
  }

  private writeLogStart(runs: TermRuns): void {
    const r = this.stmts.updateStart.run(runs.firstIndex, runs.term(runs.firstIndex));
    invariant(r.changes === 1, 'log_start row missing');
  }

  private writeSnapshotRecord(s: SnapshotRecord): void {
    const r = this.stmts.updateSnapshot.run(s.meta.index, s.meta.term, encodeConf(s.meta.conf), s.file, s.bytes, s.sha256);
    invariant(r.changes === 1, 'snapshot row missing');
  }

  private fault(point: FaultPoint): void {
    this.opts.faults?.before?.(point);
  }
}

function prepare(db: Database.Database) {
  return {
    selectEntries: db.prepare('SELECT idx, term, kind, data FROM entries WHERE idx >= ? AND idx < ? ORDER BY idx'),
    insertEntry: db.prepare('INSERT INTO entries (idx, term, kind, data) VALUES (?, ?, ?, ?)'),
    deleteFrom: db.prepare('DELETE FROM entries WHERE idx >= ?'),
    deleteUpTo: db.prepare('DELETE FROM entries WHERE idx <= ?'),
    updateHard: db.prepare('UPDATE hard_state SET term = ?, vote = ?, commit_index = ? WHERE id = 1'),
    updateStart: db.prepare('UPDATE log_start SET idx = ?, term = ? WHERE id = 1'),
    updateSnapshot: db.prepare('UPDATE snapshot SET idx = ?, term = ?, conf = ?, file = ?, bytes = ?, sha256 = ? WHERE id = 1'),
  };
}

function initRows(db: Database.Database): void {
  db.prepare('INSERT INTO hard_state (id, term, vote, commit_index) VALUES (1, 0, ?, 0)').run(NONE);
  db.prepare('INSERT INTO log_start (id, idx, term) VALUES (1, 0, 0)').run();
  db.prepare("INSERT INTO snapshot (id, idx, term, conf, file, bytes, sha256) VALUES (1, 0, 0, ?, '', 0, '')").run(encodeConf(EMPTY_CONF));
}

/** Entries of one update: contiguous, terms >= 1 and non-decreasing. */
function checkBatch(entries: readonly Entry[]): void {
  let prev: Entry | undefined;
  for (const e of entries) {
    invariant(Number.isSafeInteger(e.index) && e.index >= 1 && Number.isSafeInteger(e.term) && e.term >= 1, () => `persist: entry ${e.index} has bad index/term`);
    invariant(e.kind in KIND_CODES, () => `persist: entry ${e.index} has unknown kind`);
    if (prev !== undefined) {
      invariant(e.index === prev.index + 1, () => `persist: entries not contiguous (${prev!.index} then ${e.index})`);
      invariant(e.term >= prev.term, () => `persist: term decreases at ${e.index}`);
    }
    prev = e;
  }
}

/** Raft's promises across hard states: term never decreases, one vote per term, commit never decreases. */
function checkHardStateStep(prev: HardState, next: HardState): void {
  invariant(next.term >= prev.term, () => `persist: term goes back from ${prev.term} to ${next.term}`);
  invariant(
    next.term > prev.term || prev.vote === NONE || next.vote === prev.vote,
    () => `persist: vote changes within term ${next.term} (${prev.vote} -> ${next.vote})`,
  );
  invariant(next.commit >= prev.commit, () => `persist: commit goes back from ${prev.commit} to ${next.commit}`);
}

function makeRecord(meta: SnapshotMeta, data: Uint8Array): SnapshotRecord {
  return { meta, file: `${meta.term}-${meta.index}.snap`, bytes: data.byteLength, sha256: sha256(data) };
}

function sha256(data: Uint8Array): string {
  return createHash('sha256').update(data).digest('hex');
}

/** better-sqlite3 binds Buffers as BLOBs; wrap without copying. */
function blob(data: Uint8Array): Buffer {
  return Buffer.isBuffer(data) ? data : Buffer.from(data.buffer, data.byteOffset, data.byteLength);
}

function decodeKind(code: number): EntryKind {
  if (code === 0) return 'normal';
  invariant(code === 1, () => `raft.db holds an entry of unknown kind ${code}`);
  return 'conf-change';
}

function readHardState(db: Database.Database, file: string): HardState {
  const row = db.prepare('SELECT term, vote, commit_index FROM hard_state WHERE id = 1').get() as
    | { term: number; vote: number; commit_index: number }
    | undefined;
  if (row === undefined) throw new DataDirError(file, 'is damaged (no hard state row)');
  return { term: row.term, vote: row.vote, commit: row.commit_index };
}

function readSnapshotRecord(db: Database.Database, file: string): SnapshotRecord {
  const row = db.prepare('SELECT idx, term, conf, file, bytes, sha256 FROM snapshot WHERE id = 1').get() as
    | { idx: number; term: number; conf: string; file: string; bytes: number; sha256: string }
    | undefined;
  if (row === undefined) throw new DataDirError(file, 'is damaged (no snapshot row)');
  const conf = decodeConf(row.conf);
  if (typeof conf === 'string') throw new DataDirError(file, `is damaged (snapshot row ${conf})`);
  if (row.idx === 0) return NO_SNAPSHOT;
  return { meta: { index: row.idx, term: row.term, conf }, file: row.file, bytes: row.bytes, sha256: row.sha256 };
}

/** Rebuilds the term runs from raft.db, checking contiguity and monotone terms on the way (one scan, in SQL). */
function readRuns(db: Database.Database, file: string): TermRuns {
  const start = db.prepare('SELECT idx, term FROM log_start WHERE id = 1').get() as { idx: number; term: number } | undefined;
  if (start === undefined) throw new DataDirError(file, 'is damaged (no log_start row)');
  const runs = TermRuns.at(start.idx, start.term);
  const rows = db
    .prepare('SELECT term, MIN(idx) AS lo, MAX(idx) AS hi, COUNT(*) AS n FROM entries GROUP BY term ORDER BY lo')
    .all() as { term: number; lo: number; hi: number; n: number }[];
  for (const r of rows) {
    const ok = r.lo === runs.lastIndex + 1 && r.n === r.hi - r.lo + 1 && r.term >= runs.lastTerm;
    if (!ok) throw new DataDirError(file, `is inconsistent (log entries of term ${r.term} at ${r.lo}..${r.hi} do not follow index ${runs.lastIndex} term ${runs.lastTerm})`);
    runs.appendRun(r.lo, r.hi, r.term);
  }
  return runs;
}

function checkLoaded(file: string, runs: TermRuns, hard: HardState, snap: SnapshotRecord): void {
  const s = snap.meta.index;
  const ok =
    runs.firstIndex <= s &&
    s <= hard.commit &&
    hard.commit <= runs.lastIndex &&
    runs.term(s) === snap.meta.term &&
    runs.lastTerm <= hard.term;
  if (!ok) {
    throw new DataDirError(
      file,
      `is inconsistent (log start ${runs.firstIndex}, snapshot ${s}@${snap.meta.term}, commit ${hard.commit}, last ${runs.lastIndex}@${runs.lastTerm}, term ${hard.term})`,
    );
  }
}

function checkSnapshotFile(dir: string, snap: SnapshotRecord): void {
  if (snap.file === '') return;
  const file = path.join(dir, SNAPSHOT_DIR, snap.file);
  let size: number;
  try {
    size = fs.statSync(file).size;
  } catch {
    throw new DataDirError(file, 'is missing (raft.db records a snapshot there)');
  }
  if (size !== snap.bytes) throw new DataDirError(file, `is truncated or damaged (${size} bytes, expected ${snap.bytes})`);
}

const SNAPSHOT_FILE_PATTERN = /^\d+-\d+\.snap(\.tmp)?$/;

/** Removes snapshot files other than `keep`: older snapshots and leftovers of interrupted writes. */
function removeStaleSnapshots(dir: string, keep: string): void {
  const snapDir = path.join(dir, SNAPSHOT_DIR);
  let removed = false;
  for (const name of fs.readdirSync(snapDir)) {
    if (name === keep || !SNAPSHOT_FILE_PATTERN.test(name)) continue;
    removeIfExists(path.join(snapDir, name));
    removed = true;
  }
  if (removed) fsyncDir(snapDir);
}
