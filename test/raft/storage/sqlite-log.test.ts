import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import Database from 'better-sqlite3';
import { CompactedError, UnavailableError } from '../../../src/raft/core/storage.js';
import { SqliteLogStorage } from '../../../src/raft/storage/sqlite-log.js';
import { DataDirError, StorageInvariantError } from '../../../src/raft/storage/errors.js';
import type { FaultPoint } from '../../../src/raft/storage/faults.js';
import { CONF, entries, entry, hard, tempDirs } from './helpers.js';

const tmp = tempDirs('log');
after(() => tmp.cleanup());

function open(dir: string, faults?: (p: FaultPoint) => void): SqliteLogStorage {
  return SqliteLogStorage.open(dir, { confState: () => CONF, ...(faults ? { faults: { before: faults } } : {}) });
}

/** Opens, runs `fn`, closes: every test here also proves what it checks survives a reopen when it reopens. */
function withLog<T>(dir: string, fn: (log: SqliteLogStorage) => T): T {
  const log = open(dir);
  try {
    return fn(log);
  } finally {
    log.close();
  }
}

function snapFiles(dir: string): string[] {
  return fs.readdirSync(path.join(dir, 'snapshots')).sort();
}

void describe('SqliteLogStorage', () => {
  void test('a fresh log is empty', () => {
    // Proves the etcd conventions on an empty log: first 1, last 0, term(0) = 0, an empty snapshot.
    const log = open(tmp.make());
    assert.equal(log.firstIndex(), 1);
    assert.equal(log.lastIndex(), 0);
    assert.equal(log.term(0), 0);
    assert.deepEqual(log.entries(1, 1, 100), []);
    assert.deepEqual(log.initialState(), { hardState: { term: 0, vote: 0, commit: 0 }, confState: CONF });
    const s = log.snapshot();
    assert.equal(s.meta.index, 0);
    assert.equal(s.data.byteLength, 0);
    assert.throws(() => log.term(1), UnavailableError);
    assert.throws(() => log.entries(1, 2, 100), UnavailableError);
    log.close();
  });

  void test('persisted entries and hard state read back, also after reopen', () => {
    // Proves persist() then every read method, before and after close/open, with exact values.
    const dir = tmp.make();
    withLog(dir, (log) => {
      log.persist({ hardState: hard(2, 3), entries: [...entries(1, 2, 1), entry(3, 2, 'conf-change'), entry(4, 2)], snapshot: null });
    });
    withLog(dir, (log) => {
      assert.equal(log.firstIndex(), 1);
      assert.equal(log.lastIndex(), 4);
      assert.deepEqual([0, 1, 2, 3, 4].map((i) => log.term(i)), [0, 1, 1, 2, 2]);
      const got = log.entries(1, 5, Infinity);
      assert.deepEqual(got.map((e) => [e.index, e.term, e.kind, Buffer.from(e.data).toString()]), [
        [1, 1, 'normal', 'entry 1 term 1'],
        [2, 1, 'normal', 'entry 2 term 1'],
        [3, 2, 'conf-change', 'entry 3 term 2'],
        [4, 2, 'normal', 'entry 4 term 2'],
      ]);
      assert.deepEqual(log.initialState().hardState, hard(2, 3));
    });
  });

  void test('entries() honours maxBytes but returns at least one entry', () => {
    // Proves the byte limit: each entry here is 14 bytes, so 30 bytes allow two and 0 bytes still one.
    const log = open(tmp.make());
    log.persist({ hardState: hard(1, 0), entries: entries(1, 5, 1), snapshot: null });
    assert.equal(log.entries(1, 6, 30).length, 2);
    assert.equal(log.entries(1, 6, 0).length, 1);
    assert.equal(log.entries(2, 4, Infinity).length, 2);
    log.close();
  });

  void test('out-of-range reads throw CompactedError and UnavailableError with the bounds', () => {
    // Proves the error contract of term() and entries() on both sides of [firstIndex, lastIndex].
    const log = open(tmp.make());
    log.persist({ hardState: hard(1, 10), entries: entries(1, 10, 1), snapshot: null });
    log.compact({ index: 6, term: 1, conf: CONF }, new Uint8Array([1]), 0);
    assert.equal(log.term(6), 1);
    assert.throws(() => log.term(5), (e: unknown) => e instanceof CompactedError && e.index === 5 && e.firstIndex === 7);
    assert.throws(() => log.entries(6, 8, 100), CompactedError);
    assert.throws(() => log.term(11), (e: unknown) => e instanceof UnavailableError && e.lastIndex === 10);
    assert.throws(() => log.entries(7, 12, 100), UnavailableError);
    assert.equal(log.entries(7, 11, Infinity).length, 4);
    assert.throws(() => log.entries(8, 7, 100), StorageInvariantError);
    log.close();
  });

  void test('new entries replace a conflicting suffix', () => {
    // Proves truncation: entries at 4.. replace 4..6, a shorter write drops the tail; reopen agrees.
    const dir = tmp.make();
    withLog(dir, (log) => {
      log.persist({ hardState: hard(1, 2), entries: entries(1, 6, 1), snapshot: null });
      log.persist({ hardState: hard(2, 2), entries: entries(4, 5, 2), snapshot: null });
      assert.equal(log.lastIndex(), 5);
      assert.deepEqual([3, 4, 5].map((i) => log.term(i)), [1, 2, 2]);
      log.persist({ hardState: hard(3, 2), entries: [entry(3, 3)], snapshot: null });
      assert.equal(log.lastIndex(), 3);
    });
    withLog(dir, (log) => {
      assert.equal(log.lastIndex(), 3);
      assert.deepEqual(log.entries(1, 4, Infinity).map((e) => e.term), [1, 1, 3]);
    });
  });

  void test('invalid updates are refused and change nothing', () => {
    // Proves the pre-write assertions: gap, decreasing term, commit past last, replacing committed entries,
    // a second vote in a term, a term going back; after each refusal the log is as before.
    const log = open(tmp.make());
    log.persist({ hardState: hard(2, 3, 1), entries: entries(1, 5, 2), snapshot: null });
    const bad = [
      { hardState: null, entries: entries(7, 8, 2), snapshot: null },
      { hardState: null, entries: [entry(6, 2), entry(7, 1)], snapshot: null },
      { hardState: null, entries: [entry(6, 2), entry(8, 2)], snapshot: null },
      { hardState: hard(2, 9, 1), entries: [], snapshot: null },
      { hardState: hard(3, 3, 1), entries: [entry(3, 3)], snapshot: null },
      { hardState: hard(2, 3, 2), entries: [], snapshot: null },
      { hardState: hard(1, 3, 1), entries: [], snapshot: null },
      { hardState: hard(2, 2, 1), entries: [], snapshot: null },
      { hardState: null, entries: [entry(6, 3)], snapshot: null },
    ];
    for (const update of bad) assert.throws(() => log.persist(update), StorageInvariantError, JSON.stringify(update.hardState));
    assert.equal(log.lastIndex(), 5);
    assert.deepEqual(log.hardState(), hard(2, 3, 1));
    log.close();
  });

  void test('compact keeps keepEntries entries and never un-compacts', () => {
    // Proves compaction bounds: with keep 3 at snapshot 8 the first index is 6; a later compaction
    // with a huge keep leaves the start alone; the old snapshot file is removed once the new one is durable.
    const dir = tmp.make();
    withLog(dir, (log) => {
      log.persist({ hardState: hard(1, 10), entries: entries(1, 12, 1), snapshot: null });
      assert.throws(() => log.compact({ index: 11, term: 1, conf: CONF }, new Uint8Array(1), 0), StorageInvariantError);
      assert.throws(() => log.compact({ index: 8, term: 2, conf: CONF }, new Uint8Array(1), 0), StorageInvariantError);
      log.compact({ index: 8, term: 1, conf: CONF }, Buffer.from('snap-8'), 3);
      assert.equal(log.firstIndex(), 6);
      assert.equal(log.term(5), 1);
      assert.deepEqual(snapFiles(dir), ['1-8.snap']);
      assert.throws(() => log.compact({ index: 8, term: 1, conf: CONF }, Buffer.from('x'), 0), StorageInvariantError);
      log.compact({ index: 10, term: 1, conf: CONF }, Buffer.from('snap-10'), 1000);
      assert.equal(log.firstIndex(), 6);
      assert.deepEqual(snapFiles(dir), ['1-10.snap']);
    });
    withLog(dir, (log) => {
      assert.equal(log.firstIndex(), 6);
      assert.equal(log.lastIndex(), 12);
      const s = log.snapshot();
      assert.deepEqual(s.meta, { index: 10, term: 1, conf: CONF });
      assert.equal(Buffer.from(s.data).toString(), 'snap-10');
      log.persist({ hardState: hard(1, 12), entries: [], snapshot: null });
      log.compact({ index: 12, term: 1, conf: CONF }, Buffer.from('snap-12'), 0);
      assert.equal(log.firstIndex(), 13);
      assert.equal(log.lastIndex(), 12);
      assert.equal(log.term(12), 1);
      assert.deepEqual(log.entries(13, 13, 100), []);
    });
  });

  void test('a received snapshot keeps a matching log suffix and drops a conflicting log', () => {
    // Proves both snapshot cases of persist(): log term at the snapshot index equals its term
    // (keep what follows) or not (drop everything); entries in the same update follow the snapshot.
    const dir = tmp.make();
    withLog(dir, (log) => {
      log.persist({ hardState: hard(1, 2), entries: entries(1, 8, 1), snapshot: null });
      log.persist({ hardState: hard(1, 5), entries: [], snapshot: { meta: { index: 5, term: 1, conf: CONF }, data: Buffer.from('s5') } });
      assert.equal(log.firstIndex(), 6);
      assert.equal(log.lastIndex(), 8);
      log.persist({
        hardState: hard(3, 20),
        entries: [entry(21, 3)],
        snapshot: { meta: { index: 20, term: 2, conf: CONF }, data: Buffer.from('s20') },
      });
      assert.equal(log.firstIndex(), 21);
      assert.equal(log.lastIndex(), 21);
      assert.equal(log.term(20), 2);
    });
    withLog(dir, (log) => {
      assert.equal(log.lastIndex(), 21);
      assert.deepEqual(log.snapshot().meta, { index: 20, term: 2, conf: CONF });
      assert.deepEqual(snapFiles(dir), ['2-20.snap']);
      assert.throws(
        () => log.persist({ hardState: null, entries: [], snapshot: { meta: { index: 20, term: 2, conf: CONF }, data: Buffer.from('s') } }),
        StorageInvariantError,
      );
    });
  });

  void test('a crash before COMMIT leaves memory and disk as they were', () => {
    // Proves the fault seam: throwing at persist:before-commit / after-snapshot-file rolls back, the
    // in-memory view is unchanged, and on reopen the stray snapshot file is gone.
    const dir = tmp.make();
    let failAt: FaultPoint | null = null;
    const log = open(dir, (p) => {
      if (p === failAt) throw new Error(`crash at ${p}`);
    });
    log.persist({ hardState: hard(1, 3), entries: entries(1, 3, 1), snapshot: null });
    failAt = 'persist:before-commit';
    assert.throws(() => log.persist({ hardState: hard(2, 4), entries: entries(4, 6, 2), snapshot: null }), /crash at/);
    assert.equal(log.lastIndex(), 3);
    assert.deepEqual(log.hardState(), hard(1, 3));
    failAt = 'persist:after-snapshot-file';
    assert.throws(() => log.persist({ hardState: hard(2, 9), entries: [], snapshot: { meta: { index: 9, term: 2, conf: CONF }, data: Buffer.from('x') } }), /crash at/);
    log.close();
    assert.deepEqual(snapFiles(dir), ['2-9.snap']);
    withLog(dir, (reopened) => {
      assert.equal(reopened.lastIndex(), 3);
      assert.deepEqual(reopened.hardState(), hard(1, 3));
      assert.equal(reopened.snapshot().meta.index, 0);
      assert.deepEqual(snapFiles(dir), []);
    });
  });
});

void describe('SqliteLogStorage data dir errors', () => {
  function expectDataDirError(dir: string, file: string, pattern: RegExp): void {
    assert.throws(
      () => open(dir),
      (e: unknown) => e instanceof DataDirError && e.file.endsWith(file) && e.message.includes(`${file} in ${dir}`) && pattern.test(e.message),
    );
  }

  function mutate(dir: string, sql: string): void {
    withLog(dir, () => undefined);
    const db = new Database(path.join(dir, 'raft.db'));
    db.exec(sql);
    db.close();
  }

  void test('a file that is not a database', () => {
    // Proves a garbage raft.db is refused with the file named, and left in place (never reset).
    const dir = tmp.make();
    fs.writeFileSync(path.join(dir, 'raft.db'), 'not a database '.repeat(100));
    expectDataDirError(dir, 'raft.db', /not a SQLite database.*remove the data dir/);
    assert.equal(fs.readFileSync(path.join(dir, 'raft.db'), 'utf8').slice(0, 15), 'not a database ');
  });

  void test('an incompatible schema version', () => {
    // Proves the exact message for a version mismatch.
    const dir = tmp.make();
    mutate(dir, 'UPDATE shoal_schema SET version = 7');
    assert.throws(() => open(dir), {
      message: `raft.db in ${dir} is from an incompatible version (schema 7, expected 1); restore a backup or remove the data dir to start a fresh node`,
    });
  });

  void test('a missing table, a wrong kind, a corrupt page, a missing snapshot file', () => {
    // Proves each damage is detected at open: dropped table, state.db copied over raft.db,
    // a page overwritten with garbage (quick_check / read error), the recorded .snap file deleted.
    const a = tmp.make();
    mutate(a, 'DROP TABLE entries');
    expectDataDirError(a, 'raft.db', /missing table\(s\) entries/);
    const b = tmp.make();
    mutate(b, "UPDATE shoal_schema SET kind = 'shoal-state'");
    expectDataDirError(b, 'raft.db', /holds 'shoal-state' data/);
    const c = tmp.make();
    withLog(c, (log) => log.persist({ hardState: hard(1, 0), entries: Array.from({ length: 2000 }, (_, i) => entry(i + 1, 1)), snapshot: null }));
    const fd = fs.openSync(path.join(c, 'raft.db'), 'r+');
    fs.writeSync(fd, Buffer.alloc(4096 * 3, 0xa5), 0, 4096 * 3, 4096 * 2);
    fs.closeSync(fd);
    expectDataDirError(c, 'raft.db', /corrupt|cannot be read|damaged|inconsistent/);
    const d = tmp.make();
    withLog(d, (log) => {
      log.persist({ hardState: hard(1, 2), entries: entries(1, 2, 1), snapshot: null });
      log.compact({ index: 2, term: 1, conf: CONF }, Buffer.from('s'), 0);
    });
    fs.rmSync(path.join(d, 'snapshots', '1-2.snap'));
    expectDataDirError(d, '1-2.snap', /is missing/);
  });

  void test('an inconsistent log is refused on read-back', () => {
    // Proves the post-read checks: a hole in the log and a commit past the last index are caught at open.
    const a = tmp.make();
    withLog(a, (log) => log.persist({ hardState: hard(1, 1), entries: entries(1, 4, 1), snapshot: null }));
    mutate(a, 'DELETE FROM entries WHERE idx = 2');
    expectDataDirError(a, 'raft.db', /inconsistent/);
    const b = tmp.make();
    mutate(b, 'UPDATE hard_state SET commit_index = 5');
    expectDataDirError(b, 'raft.db', /inconsistent/);
  });
});

// Proves a commit-only update may skip the fsync but is still written (it survives a reopen), and
// that entries can never be persisted unsynced.
void test('persist with sync: false writes a commit-only hard state, and refuses unsynced entries', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'shoal-log-nosync-'));
  try {
    const log = SqliteLogStorage.open(dir, { confState: () => ({ voters: [1], learners: [] }) });
    log.persist({ hardState: { term: 1, vote: 1, commit: 0 }, entries: [{ term: 1, index: 1, kind: 'normal', data: new Uint8Array([1]) }], snapshot: null });
    log.persist({ hardState: { term: 1, vote: 1, commit: 1 }, entries: [], snapshot: null, sync: false });
    assert.throws(() => log.persist({ hardState: null, entries: [{ term: 1, index: 2, kind: 'normal', data: new Uint8Array() }], snapshot: null, sync: false }), /always synced/);
    log.close();
    const again = SqliteLogStorage.open(dir, { confState: () => ({ voters: [1], learners: [] }) });
    assert.equal(again.initialState().hardState.commit, 1);
    assert.equal(again.lastIndex(), 1);
    again.close();
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
