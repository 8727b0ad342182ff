/**
 * Scenario tests over the in-memory network: partitions, stale nodes,
 * conflicting logs, check-quorum, leases and restarts.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { MemoryStorage, makeMessage } from '../../../src/raft/core/index.js';
import { Network, drain, electedNetwork, ents, solo, utf8 } from './net.js';

void describe('elections under partitions', () => {
  // Proves pre-vote protects a healthy leader: an isolated node times out many times, rejoins, and neither its term nor the leader changes.
  void test('a stale rejoining node with pre-vote cannot depose the leader', () => {
    const net = electedNetwork([1, 2, 3], 1);
    const term = net.node(1).status().term;
    net.isolate(3);
    net.tick(3, 100);
    assert.equal(net.node(3).status().term, term, 'pre-vote does not bump the term');
    assert.equal(net.node(3).status().role, 'pre-candidate');
    net.heal();
    net.tickAll(30);
    assert.equal(net.leader(), 1);
    assert.equal(net.node(1).status().term, term);
    assert.equal(net.node(3).status().leader, 1, 'the rejoined node follows the leader again');
  });

  // Proves check-quorum: a leader cut off from every follower steps down within two election timeouts (the check runs once per timeout), and the rest elect a new leader.
  void test('check-quorum steps an isolated leader down', () => {
    const net = electedNetwork([1, 2, 3], 1);
    net.isolate(1);
    net.tick(1, 10);
    net.tick(1, 9);
    assert.equal(net.node(1).status().role, 'leader', 'still leader before the second check');
    net.tick(1, 1);
    assert.equal(net.node(1).status().role, 'follower', 'leader stepped down after the first full period without a quorum');
    net.tickAll(30);
    const ldr = net.leader();
    assert.ok(ldr === 2 || ldr === 3, `new leader ${ldr}`);
  });

  // Proves the leader lease: a follower that heard from its leader recently ignores a higher-term vote request.
  void test('followers in a lease ignore vote requests', () => {
    const net = electedNetwork([1, 2, 3], 1);
    const f = net.node(2);
    const term = f.status().term;
    f.step(makeMessage('vote', 3, 2, term + 1, { logIndex: 99, logTerm: term + 1 }));
    assert.equal(f.status().term, term, 'term unchanged');
    assert.equal(f.hasReady(), false, 'no vote sent');
  });

  // Proves that without pre-vote, a partitioned node's higher term forces the leader to step down on rejoin, yet the stale node cannot win (its log is behind) and the cluster keeps committing.
  void test('candidate with a higher term after a partition', () => {
    const net = electedNetwork([1, 2, 3], 1, { preVote: false });
    net.isolate(3);
    net.tick(3, 50);
    const staleTerm = net.node(3).status().term;
    assert.ok(staleTerm > net.node(1).status().term + 1, 'isolated node bumped its term repeatedly');
    assert.ok(net.node(1).propose(utf8('while-partitioned')).ok);
    net.settle();
    net.heal();
    net.tickAll(60);
    const ldr = net.leader();
    assert.ok(ldr === 1 || ldr === 2, `an up-to-date node leads (got ${ldr})`);
    assert.ok(net.node(ldr).status().term >= staleTerm);
    assert.ok(net.node(ldr).propose(utf8('after')).ok);
    net.settle();
    net.heartbeat();
    for (const id of [1, 2, 3]) assert.deepEqual(net.appliedData(id), ['while-partitioned', 'after']);
  });

  // Proves a follower's conflicting uncommitted suffix is overwritten by the leader's log (in storage too).
  void test('a follower whose log conflicts with the leader gets overwritten', () => {
    const net = electedNetwork([1, 2, 3], 1, { preVote: false, checkQuorum: false });
    net.isolate(1);
    for (let k = 0; k < 3; k++) net.node(1).propose(utf8(`lost${k}`));
    net.settle();
    assert.equal(net.get(1).storage.lastIndex(), 4);
    net.campaign(2);
    assert.equal(net.leader(), 2);
    net.node(2).propose(utf8('kept'));
    net.settle();
    net.heal();
    net.tick(2, 2);
    const st = net.get(1).storage;
    assert.equal(st.lastIndex(), net.get(2).storage.lastIndex());
    for (let i = 1; i <= st.lastIndex(); i++) assert.equal(st.term(i), net.get(2).storage.term(i), `entry ${i}`);
    assert.deepEqual(net.appliedData(1), ['kept']);
    assert.equal(net.node(1).status().role, 'follower');
  });

  // Proves reportUnreachable puts a follower in replicate state back into probe.
  void test('reportUnreachable returns a replicating follower to probe', () => {
    const net = electedNetwork([1, 2, 3], 1);
    assert.equal(net.node(1).status().progress!.get(2)!.state, 'replicate');
    net.node(1).reportUnreachable(2);
    assert.equal(net.node(1).status().progress!.get(2)!.state, 'probe');
  });
});

void describe('Ready semantics', () => {
  // Proves persist-before-send: a follower's append ack travels in the same Ready as the entries it acknowledges, and entries are applied only once stable.
  void test('acks ride with the entries they promise; commit is applied only after persistence', () => {
    const s = solo(2, [1, 2, 3]);
    s.node.step(makeMessage('append', 1, 2, 1, { logIndex: 0, logTerm: 0, entries: ents([1, 1], [2, 1]), commit: 2 }));
    const rd = s.node.ready();
    assert.equal(rd.entries.length, 2);
    assert.equal(rd.messages[0]?.type, 'append-resp');
    assert.equal(rd.hardState?.commit, 2);
    assert.equal(rd.committedEntries.length, 0, 'entries committed but not yet durable are not applied');
    assert.equal(rd.mustSync, true);
    assert.equal(s.node.hasReady(), false, 'no second Ready while one is outstanding');
    assert.throws(() => s.node.ready(), /before advance/);
    s.storage.append(rd.entries);
    s.storage.setHardState(rd.hardState);
    s.node.advance(rd);
    const rd2 = s.node.ready();
    assert.deepEqual(rd2.committedEntries.map((e) => e.index), [1, 2]);
    assert.equal(rd2.hardState, null, 'hard state only when changed');
    s.node.advance(rd2);
    assert.equal(s.node.hasReady(), false);
  });

  // Proves the bound on committed entries per Ready: a big backlog is applied over several Readies.
  void test('committed entries per Ready are bounded', () => {
    const s = solo(2, [1, 2, 3], { maxCommittedSizePerReadyBytes: 100 });
    const big = Array.from({ length: 10 }, (_, k) => ({ index: k + 1, term: 1, kind: 'normal' as const, data: new Uint8Array(40) }));
    s.node.step(makeMessage('append', 1, 2, 1, { logIndex: 0, logTerm: 0, entries: big, commit: 10 }));
    const rd0 = s.node.ready();
    s.storage.append(rd0.entries);
    s.node.advance(rd0);
    let rounds = 0;
    let applied = 0;
    while (s.node.hasReady() && rounds < 20) {
      const rd = s.node.ready();
      assert.ok(rd.committedEntries.length <= 2, `at most 100 bytes (2 entries) per Ready, got ${rd.committedEntries.length}`);
      applied += rd.committedEntries.length;
      s.node.advance(rd);
      rounds++;
    }
    assert.equal(applied, 10);
    assert.ok(rounds >= 5, `took ${rounds} Readies`);
    assert.equal(s.node.status().applied, 10);
  });
});

void describe('restart', () => {
  // Proves a node rebuilt over its storage resumes term, vote, commit and membership, and the cluster continues.
  void test('whole cluster restarts from storage and keeps going', () => {
    const net = electedNetwork([1, 2, 3], 1);
    for (let k = 0; k < 5; k++) net.node(1).propose(utf8(`r${k}`));
    net.settle();
    const before = net.node(2).status();
    for (const id of [1, 2, 3]) net.restart(id);
    const after = net.node(2).status();
    assert.equal(after.term, before.term);
    assert.equal(after.vote, before.vote);
    assert.equal(after.commit, before.commit);
    assert.equal(after.applied, before.applied, 'applied comes from config.applied');
    assert.equal(after.role, 'follower');
    assert.equal(net.node(2).hasReady(), false, 'nothing to re-apply or re-persist');
    net.tickAll(40);
    const ldr = net.leader();
    assert.notEqual(ldr, 0);
    net.node(ldr).propose(utf8('post-restart'));
    net.settle();
    net.heartbeat();
    for (const id of [1, 2, 3]) assert.deepEqual(net.appliedData(id), ['r0', 'r1', 'r2', 'r3', 'r4', 'post-restart']);
  });

  // Proves that without config.applied, a restarted node re-applies committed entries after its snapshot (applied = snapshot index).
  void test('restart re-applies from the snapshot index when applied is not given', () => {
    const st = new MemoryStorage({ voters: [1], learners: [] });
    st.append(ents([1, 1], [2, 1], [3, 1]));
    st.setHardState({ term: 1, vote: 1, commit: 3 });
    st.createSnapshot(1, { voters: [1], learners: [] }, new Uint8Array(0));
    st.compact(1);
    const s = solo(1, [1], {}, st);
    assert.equal(s.node.status().applied, 1);
    const { committed } = drain(s);
    assert.deepEqual(committed.map((e) => e.index), [2, 3]);
  });

  // Proves a restart with config.applied beyond the persisted commit is refused with a clear message.
  void test('applied beyond commit is a config error', () => {
    const st = new MemoryStorage({ voters: [1], learners: [] });
    assert.throws(() => solo(1, [1], { applied: 5 }, st), /applied \(5\) is beyond the persisted commit index \(0\)/);
  });
});

void describe('single node', () => {
  // Proves a one-voter cluster elects itself at once and commits its own proposals after they are persisted.
  void test('single voter commits alone', () => {
    const net = new Network([1]);
    net.campaign(1);
    assert.equal(net.leader(), 1);
    net.node(1).propose(utf8('solo'));
    net.settle();
    assert.deepEqual(net.appliedData(1), ['solo']);
  });
});
