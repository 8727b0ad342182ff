/**
 * Unit tests of the small pure modules: quorum arithmetic, the in-flight
 * window, progress transitions, the log, MemoryStorage, conf-change encoding
 * and the seeded PRNG.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { CompactedError, MemoryStorage, applyConfChangeTo, createRandom, decodeConfChange, encodeConfChange } from '../../../src/raft/core/index.js';
import type { ConfChange } from '../../../src/raft/core/index.js';
import { Inflights } from '../../../src/raft/core/inflights.js';
import { RaftLog } from '../../../src/raft/core/log.js';
import { Progress } from '../../../src/raft/core/progress.js';
import { committedIndex, voteResult } from '../../../src/raft/core/quorum.js';
import { ents } from './net.js';

void describe('quorum', () => {
  // Proves the committed index is the highest index a majority holds, for odd and even voter counts.
  void test('committedIndex', () => {
    const m = new Map([[1, 5], [2, 3], [3, 9], [4, 1]]);
    assert.equal(committedIndex([1, 2, 3], (id) => m.get(id) ?? 0), 5);
    assert.equal(committedIndex([1, 2, 3, 4], (id) => m.get(id) ?? 0), 3);
    assert.equal(committedIndex([4], (id) => m.get(id) ?? 0), 1);
  });
  // Proves the tally: won on a majority of grants, lost once a majority is out of reach, pending otherwise.
  void test('voteResult', () => {
    assert.equal(voteResult([1, 2, 3], new Map([[1, true]])), 'pending');
    assert.equal(voteResult([1, 2, 3], new Map([[1, true], [2, true]])), 'won');
    assert.equal(voteResult([1, 2, 3], new Map([[1, true], [2, false], [3, false]])), 'lost');
    assert.equal(voteResult([1, 2, 3, 4], new Map([[1, true], [2, true], [3, false]])), 'pending');
  });
});

void describe('inflights and progress', () => {
  // Proves the window bounds messages, frees by index and refuses to overflow.
  void test('inflights window', () => {
    const w = new Inflights(3);
    w.add(2);
    w.add(5);
    w.add(9);
    assert.ok(w.full());
    assert.throws(() => w.add(10), /full window/);
    w.freeLE(5);
    assert.equal(w.size, 1);
    w.add(12);
    w.freeFirstOne();
    assert.equal(w.size, 1);
  });
  // Proves probe pauses after one send, replicate streams, and a stale rejection is ignored.
  void test('progress transitions', () => {
    const p = new Progress(11, 4, false);
    assert.equal(p.isPaused(), false);
    p.probeSent = true;
    assert.equal(p.isPaused(), true);
    assert.equal(p.maybeDecrTo(5, 4), false, 'stale rejection (not of next-1)');
    assert.equal(p.maybeDecrTo(10, 6), true);
    assert.equal(p.next, 7);
    assert.ok(p.maybeUpdate(8));
    p.becomeReplicate();
    assert.equal(p.next, 9);
    p.optimisticUpdate(12);
    assert.equal(p.maybeDecrTo(7, 0), false, 'rejection at or below match is stale');
    assert.throws(() => p.optimisticUpdate(5), /match 8 must be < next 6/);
  });
});

void describe('log', () => {
  // Proves maybeAppend truncates a conflicting suffix, refuses to touch committed entries, and caps commit at the last new index.
  void test('maybeAppend and commit rule', () => {
    const st = new MemoryStorage();
    st.append(ents([1, 1], [2, 1], [3, 1]));
    const log = new RaftLog(st);
    assert.equal(log.maybeAppend(1, 1, 10, ents([2, 2])), 2);
    assert.equal(log.committed, 2);
    assert.equal(log.lastIndex(), 2);
    assert.equal(log.maybeAppend(2, 1, 2, []), null, 'mismatched prev term');
    assert.throws(() => log.maybeAppend(0, 0, 0, ents([1, 5])), /conflicts with committed/);
    assert.equal(log.maybeCommit(2, 1), false, 'only entries of the given term count');
    assert.equal(log.findConflictByTerm(2, 1).index, 1);
  });
  // Proves entries are applicable only once stable, and stableTo ignores entries replaced in the meantime.
  void test('applicable entries are bounded by stable storage', () => {
    const st = new MemoryStorage();
    const log = new RaftLog(st);
    log.append(ents([1, 1], [2, 1]));
    log.commitTo(2);
    assert.equal(log.hasNextCommittedEntries(), false);
    st.append(ents([1, 1]));
    log.unstable.stableTo(1, 1);
    assert.deepEqual(log.nextCommittedEntries(1e9).map((e) => e.index), [1]);
    log.unstable.stableTo(2, 7);
    assert.equal(log.stableLastIndex(), 1, 'term mismatch: still unstable');
  });
});

void describe('MemoryStorage', () => {
  // Proves append replaces a conflicting suffix, compact keeps term(compacted) and CompactedError reports the first index.
  void test('append, snapshot, compact', () => {
    const st = new MemoryStorage();
    st.append(ents([1, 1], [2, 1], [3, 1], [4, 1]));
    st.append(ents([3, 2]));
    assert.equal(st.lastIndex(), 3);
    assert.equal(st.term(3), 2);
    assert.throws(() => st.compact(2), /past the snapshot index 0/);
    st.createSnapshot(2, { voters: [1], learners: [] }, new Uint8Array(3));
    st.compact(2);
    assert.equal(st.firstIndex(), 3);
    assert.equal(st.term(2), 1);
    assert.throws(() => st.entries(2, 4, 100), (e: unknown) => e instanceof CompactedError && e.firstIndex === 3);
    assert.throws(() => st.append(ents([6, 2])), /gap/);
    assert.deepEqual(st.entries(3, 4, 0).length, 1, 'at least one entry even past maxBytes');
  });
});

void describe('conf-change', () => {
  // Proves encode/decode round-trips every change (property test over ids, types and contexts).
  void test('encoding round-trips', () => {
    fc.assert(
      fc.property(
        fc.constantFrom<ConfChange['type']>('add-voter', 'add-learner', 'remove-node'),
        fc.integer({ min: 1, max: Number.MAX_SAFE_INTEGER }),
        fc.uint8Array({ maxLength: 64 }),
        (type, nodeId, context) => {
          const cc = { type, nodeId, context };
          assert.deepEqual(decodeConfChange(encodeConfChange(cc)), cc);
        },
      ),
      { numRuns: 200 },
    );
    assert.throws(() => decodeConfChange(new Uint8Array(3)), /shorter than the 14-byte header/);
  });
  // Proves promotion moves a learner to voters and re-applying a change is a no-op.
  void test('apply is idempotent', () => {
    const c1 = applyConfChangeTo({ voters: [1], learners: [2] }, { type: 'add-voter', nodeId: 2, context: new Uint8Array(0) });
    assert.deepEqual(c1, { voters: [1, 2], learners: [] });
    assert.deepEqual(applyConfChangeTo(c1, { type: 'add-voter', nodeId: 2, context: new Uint8Array(0) }), c1);
  });
});

void describe('random', () => {
  // Proves the PRNG is deterministic per seed and stays in [0, 1).
  void test('seeded and in range', () => {
    const a = createRandom(42);
    const b = createRandom(42);
    for (let k = 0; k < 1000; k++) {
      const x = a();
      assert.equal(x, b());
      assert.ok(x >= 0 && x < 1);
    }
  });
});
