// Proves the simulated disk behaves like the real storage at a crash: synced writes (and every
// write before a synced one) survive; unsynced writes survive a process crash, and a power failure
// loses them wholly or as a torn tail (a prefix of the writes, possibly part of one write's
// entries), after which the node reads exactly the durable state.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { MemoryStorage } from '../../src/raft/core/index.js';
import type { Entry } from '../../src/raft/core/index.js';
import { VolatileDisk } from './disk.js';
import { Prng } from './prng.js';

const conf = { voters: [1, 2, 3], learners: [] };
const entry = (index: number, term = 1): Entry => ({ index, term, kind: 'normal', data: new Uint8Array([index]) });

function disk(): VolatileDisk {
  const d = new VolatileDisk(() => new MemoryStorage(conf));
  d.append([entry(1), entry(2)]);
  d.setHardState({ term: 1, vote: 2, commit: 1 });
  d.endWrite(true);
  return d;
}

void test('synced writes survive a power failure; unsynced ones are lost', () => {
  const d = disk();
  d.setHardState({ term: 1, vote: 2, commit: 2 });
  d.endWrite(false);
  assert.equal(d.initialState().hardState.commit, 2, 'the running node reads its unsynced write');
  for (let seed = 1; seed <= 20; seed++) {
    const c = disk();
    c.setHardState({ term: 1, vote: 2, commit: 2 });
    c.endWrite(false);
    c.crash(new Prng(seed), true);
    assert.deepEqual(c.initialState().hardState, { term: 1, vote: 2, commit: 1 }, `seed ${seed}: back to the synced hard state`);
    assert.equal(c.lastIndex(), 2);
  }
});

void test('a process crash keeps unsynced writes; a later sync makes earlier writes durable', () => {
  const d = disk();
  d.append([entry(3)]);
  d.endWrite(false);
  d.crash(new Prng(1), false);
  assert.equal(d.lastIndex(), 3, 'kept by a process crash');
  const e = disk();
  e.append([entry(3)]);
  e.endWrite(false);
  e.setHardState({ term: 2, vote: 0, commit: 2 });
  e.endWrite(true);
  e.crash(new Prng(1), true);
  assert.equal(e.lastIndex(), 3, 'the synced write made the earlier one durable too');
  assert.equal(e.initialState().hardState.term, 2);
});

void test('a power failure leaves a prefix of the unsynced writes (torn tail), never a later write without an earlier one', () => {
  const seen = new Set<number>();
  for (let seed = 1; seed <= 200; seed++) {
    const d = disk();
    d.append([entry(3), entry(4), entry(5)]);
    d.endWrite(false);
    d.append([entry(6)]);
    d.setHardState({ term: 1, vote: 2, commit: 6 });
    d.endWrite(false);
    d.crash(new Prng(seed), true);
    const last = d.lastIndex();
    seen.add(last);
    assert.ok(last >= 2 && last <= 5, `seed ${seed}: the second write (entry 6) never survives without a sync (last ${last})`);
    assert.equal(d.initialState().hardState.commit, 1, `seed ${seed}: the unsynced hard state is lost`);
    for (let i = 3; i <= last; i++) assert.equal(d.term(i), 1);
  }
  assert.ok(seen.has(2) && (seen.has(3) || seen.has(4)) && seen.has(5), `lost wholly, torn and whole first write all happen (${[...seen].join(',')})`);
});
