import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import Database from 'better-sqlite3';
import path from 'node:path';
import type { Entry } from '../../../src/raft/core/types.js';
import { EntryTail } from '../../../src/raft/storage/entry-tail.js';
import { SqliteLogStorage } from '../../../src/raft/storage/sqlite-log.js';
import { CONF, entries, hard, tempDirs } from './helpers.js';

const tmp = tempDirs('tail');
after(() => tmp.cleanup());

const indexes = (es: readonly Entry[] | undefined): number[] | undefined => es?.map((e) => e.index);

void describe('EntryTail', () => {
  void test('appends, replaces a suffix, compacts, and answers only what it holds', () => {
    // Proves the tail mirrors the log: a conflicting write drops the old suffix, a write that does
    // not follow the tail restarts it, compaction drops the head, and reads older than the tail miss.
    const tail = new EntryTail();
    assert.equal(tail.read(1, 1, Infinity), undefined);
    tail.appended(entries(1, 5, 1));
    assert.deepEqual(indexes(tail.read(2, 6, Infinity)), [2, 3, 4, 5]);
    tail.appended(entries(4, 6, 2));
    assert.deepEqual(tail.read(3, 7, Infinity)!.map((e) => e.term), [1, 2, 2, 2]);
    tail.compactedTo(3);
    assert.equal(tail.firstIndex, 4);
    assert.equal(tail.read(3, 7, Infinity), undefined);
    assert.deepEqual(indexes(tail.read(7, 7, Infinity)), []);
    tail.appended(entries(9, 10, 3)); // does not follow 6: the tail starts again at 9
    assert.equal(tail.firstIndex, 9);
    assert.equal(tail.read(6, 11, Infinity), undefined);
    tail.compactedTo(20);
    assert.equal(tail.firstIndex, Infinity);
  });

  void test('keeps at most maxEntries and maxBytes, never less than the newest entry', () => {
    // Proves the bounds and Storage.entries()' maxBytes rule (at least one entry, then stop before the limit).
    const tail = new EntryTail(3, 1000);
    tail.appended(entries(1, 10, 1));
    assert.equal(tail.firstIndex, 8);
    const big = (index: number): Entry => ({ index, term: 1, kind: 'normal', data: Buffer.alloc(600) });
    tail.appended([big(11), big(12)]);
    assert.equal(tail.firstIndex, 12);
    tail.appended([{ index: 13, term: 1, kind: 'normal', data: Buffer.alloc(5000) }]);
    assert.deepEqual(indexes(tail.read(13, 14, 0)), [13]);
    const small = new EntryTail();
    small.appended(entries(1, 5, 1)); // each entry's data is ≈ 16 bytes
    assert.deepEqual(indexes(small.read(1, 6, 0)), [1]);
    assert.deepEqual(indexes(small.read(1, 6, 35)), [1, 2]);
  });
});

void test('SqliteLogStorage.entries() from its tail equals what raft.db holds, through random writes', () => {
  // Proves the cache never serves anything but the file's content: after each random step (appends,
  // conflicting rewrites, compactions, received snapshots that keep or drop the log) every range the
  // storage returns equals the same range read from raft.db with a separate connection.
  const dir = tmp.make();
  const log = SqliteLogStorage.open(dir, { confState: () => CONF });
  const disk = new Database(path.join(dir, 'raft.db'), { readonly: true });
  const select = disk.prepare('SELECT idx, term, kind, data FROM entries WHERE idx >= ? AND idx < ? ORDER BY idx');
  let seed = 7;
  const rand = (n: number): number => {
    seed = (seed * 1103515245 + 12345) % 2 ** 31;
    return n <= 0 ? 0 : seed % n;
  };
  const withData = (e: Entry): Entry => ({ ...e, data: Buffer.alloc(rand(300), e.index % 251) });
  let term = 1;
  let commit = 0;
  try {
    for (let step = 0; step < 400; step++) {
      const last = log.lastIndex();
      const op = rand(10);
      if (op < 6 || last === 0) {
        const n = 1 + rand(8);
        commit = Math.min(last, commit + rand(4));
        log.persist({ hardState: hard(term, commit), entries: entries(last + 1, last + n, term).map(withData), snapshot: null });
      } else if (op < 8 && last > commit) {
        term++;
        const from = commit + 1 + rand(last - commit);
        log.persist({ hardState: hard(term, commit), entries: entries(from, from + rand(5), term).map(withData), snapshot: null });
      } else if (op < 9 && commit > log.snapshot().meta.index) {
        const at = log.snapshot().meta.index + 1 + rand(commit - log.snapshot().meta.index);
        log.compact({ index: at, term: log.term(at), conf: CONF }, Buffer.from(`s${at}`), rand(20));
      } else {
        const at = Math.max(commit, log.snapshot().meta.index) + 1 + rand(10);
        const keeps = at <= last && rand(2) === 0;
        if (!keeps) term++;
        const snapTerm = keeps ? log.term(at) : term;
        commit = at;
        log.persist({ hardState: hard(term, commit), entries: [], snapshot: { meta: { index: at, term: snapTerm, conf: CONF }, data: Buffer.from(`r${at}`) } });
      }
      const first = log.firstIndex();
      const end = log.lastIndex() + 1;
      for (const [lo, hi, max] of [[first, end, Infinity], [Math.max(first, end - 1 - rand(40)), end, rand(2000)], [first + rand(end - first), end, Infinity]] as const) {
        const got = log.entries(lo, hi, max).map((e) => ({ ...e, data: Buffer.from(e.data) }));
        const want = (select.all(lo, hi) as { idx: number; term: number; kind: number; data: Buffer }[]).map((r) => ({
          index: r.idx,
          term: r.term,
          kind: r.kind === 0 ? 'normal' : 'conf-change',
          data: r.data,
        }));
        assert.deepEqual(got, want.slice(0, got.length), `step ${step}: entries(${lo}, ${hi})`);
        if (max === Infinity) assert.equal(got.length, want.length, `step ${step}: entries(${lo}, ${hi}) is complete`);
      }
    }
    assert.ok(log.lastIndex() > 256, 'the walk went past the tail bound, so SQLite reads are checked too');
  } finally {
    disk.close();
    log.close();
  }
});
