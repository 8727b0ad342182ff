/**
 * The membership change of a forced new cluster, on the pure Raft core.
 *
 * Proves: (1) the plan makes the survivor the only voter at a term above
 * every term it has seen; (2) a node restarted from the forced state (a
 * snapshot at the plan's index and term, as force-new-cluster.ts persists it)
 * leads alone and commits; (3) when the lost members come back with their old
 * state and the manager's removed-member guard (removed-guard.ts) sits in front
 * of the forced node, the forced node is never deposed, never votes for them,
 * and never applies an entry they wrote — over many seeds; and (4) without the
 * guard the same scenario does depose it (so (3) is not vacuous).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { MemoryStorage, decodeConfChange } from '../../src/raft/core/index.js';
import type { Message } from '../../src/raft/core/index.js';
import { planForcedCluster } from '../../src/manager/recovery/forced-plan.js';
import { refusalFor } from '../../src/manager/recovery/removed-guard.js';
import { Network, utf8 } from '../raft/core/net.js';

test('the plan removes every other member at a new term and ends with the survivor alone', () => {
  const plan = planForcedCluster({ selfId: 2, conf: { voters: [1, 2, 3], learners: [4] }, appliedIndex: 40, highestTerm: 7 });
  assert.equal(plan.term, 8);
  assert.deepEqual(plan.conf, { voters: [2], learners: [] });
  assert.deepEqual(plan.removed, [1, 3, 4]);
  assert.deepEqual(plan.entries.map((e) => [e.index, e.term, e.kind]), [[41, 8, 'conf-change'], [42, 8, 'conf-change'], [43, 8, 'conf-change'], [44, 8, 'normal']]);
  assert.deepEqual(plan.entries.slice(0, 3).map((e) => decodeConfChange(e.data)).map((c) => [c.type, c.nodeId]), [['remove-node', 1], ['remove-node', 3], ['remove-node', 4]]);
  assert.equal(plan.index, 44);
  // A node new to the state (restoring a backup) is added as a voter first.
  const restore = planForcedCluster({ selfId: 9, conf: { voters: [1, 2, 3], learners: [] }, appliedIndex: 10, highestTerm: 3 });
  assert.deepEqual(restore.entries.map((e) => (e.kind === 'conf-change' ? `${decodeConfChange(e.data).type} ${decodeConfChange(e.data).nodeId}` : 'empty')), ['add-voter 9', 'remove-node 1', 'remove-node 2', 'remove-node 3', 'empty']);
  assert.deepEqual(restore.conf, { voters: [9], learners: [] });
});

test('the guard refuses only known removed members, and nothing while the receiver is not a member itself', () => {
  const conf = { voters: [1, 4], learners: [5] };
  const removed = new Set([2, 3]);
  assert.match(refusalFor(2, 1, conf, removed, 'c1') ?? '', /raft node 2 was removed from cluster c1/);
  assert.equal(refusalFor(4, 1, conf, removed, 'c1'), null);
  assert.equal(refusalFor(5, 1, conf, removed, 'c1'), null);
  assert.equal(refusalFor(6, 1, conf, removed, 'c1'), null, 'an ID the state does not know as removed');
  assert.equal(refusalFor(2, 7, conf, removed, 'c1'), null, 'a joining node (not yet a member) refuses nothing');
});

interface Outcome {
  deposed: boolean;
  error: string | null;
}

/** Three members commit some entries; 2 and 3 are lost; 1 is forced; 2 and 3 come back with their old state. */
function runScenario(seed: number, guarded: boolean): Outcome {
  const net = new Network([1, 2, 3], {}, seed);
  net.campaign(1);
  for (let k = 0; k < 5; k++) {
    net.node(1).propose(utf8(`before-${k}`));
    net.settle();
  }
  const lost = [2, 3].map((id) => ({ id, storage: net.get(id).storage, applied: net.get(id).appliedIndex }));
  for (const l of lost) net.nodes.delete(l.id);

  const h1 = net.get(1);
  const hard = h1.storage.initialState().hardState;
  const plan = planForcedCluster({
    selfId: 1,
    conf: h1.conf,
    appliedIndex: h1.appliedIndex,
    highestTerm: Math.max(hard.term, h1.storage.term(h1.storage.lastIndex())),
  });
  const forced = new MemoryStorage(plan.conf);
  forced.applySnapshot({ meta: { index: plan.index, term: plan.term, conf: plan.conf }, data: utf8('forced-state') });
  forced.setHardState({ term: plan.term, vote: 0, commit: plan.index });
  const f = net.add(1, forced, { applied: plan.index });
  f.conf = plan.conf;
  net.campaign(1);
  assert.equal(net.node(1).status().role, 'leader', 'the forced node leads alone');
  const term = net.node(1).status().term;

  for (const l of lost) net.add(l.id, l.storage, { applied: l.applied });
  const removed = new Set([2, 3]);
  const votesFromForced: Message[] = [];
  net.filter = (m) => {
    if (m.from === 1 && (m.type === 'vote-resp' || m.type === 'pre-vote-resp') && !m.reject) votesFromForced.push(m);
    if (!guarded || m.to !== 1) return true;
    return refusalFor(m.from, 1, net.get(1).conf, removed, 'c') === null;
  };
  try {
    for (let round = 0; round < 300; round++) {
      if (round % 10 === 0 && net.node(1).status().role === 'leader') net.node(1).propose(utf8(`after-${round}`));
      net.tickAll(1);
      const st = net.node(1).status();
      if (st.role !== 'leader' || st.term !== term) return { deposed: true, error: null };
    }
  } catch (e) {
    return { deposed: true, error: e instanceof Error ? e.message : String(e) };
  }
  assert.deepEqual(votesFromForced, [], 'the forced node never grants a vote to an old member');
  const foreign = net.get(1).applied.filter((e) => e.term !== term && e.index > plan.index);
  assert.deepEqual(foreign, [], 'the forced node applies only entries of its own term');
  assert.ok(net.appliedData(1).length >= 20, 'writes kept committing');
  return { deposed: false, error: null };
}

test('old members that come back are refused: the forced node is never deposed (40 seeds)', () => {
  for (let seed = 1; seed <= 40; seed++) {
    const r = runScenario(seed, true);
    assert.equal(r.deposed, false, `seed ${seed}: the forced node was deposed${r.error ? ` (${r.error})` : ''}`);
  }
});

test('without the guard the old members depose the forced node (the guarded run is not vacuous)', () => {
  let deposed = 0;
  for (let seed = 1; seed <= 10; seed++) if (runScenario(seed, false).deposed) deposed++;
  assert.ok(deposed > 0, 'the unguarded scenario never deposed the forced node');
});
