/**
 * Feature tests: chunked snapshots, membership changes, leadership transfer,
 * ReadIndex, proposal refusals and config validation.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { ConfigError, MemoryStorage, RawNode, createRandom, makeMessage } from '../../../src/raft/core/index.js';
import type { Config, Snapshot } from '../../../src/raft/core/index.js';
import { Network, drain, electedNetwork, solo, utf8 } from './net.js';

void describe('snapshots', () => {
  // Proves a lagging follower whose entries were compacted receives the snapshot in chunks of at most snapshotChunkBytes, installs it and then catches up.
  void test('snapshot sent in multiple chunks after compaction', () => {
    const net = electedNetwork([1, 2, 3], 1, { snapshotChunkBytes: 1000 });
    net.isolate(3);
    for (let k = 0; k < 10; k++) net.node(1).propose(utf8(`s${k}`));
    net.settle();
    const snap = net.compact(1, 4500);
    net.node(1).propose(utf8('after-snap'));
    net.settle();
    net.heal();
    net.tick(1, 1);
    const chunks = net.sent.filter((x) => x.type === 'snapshot' && x.to === 3);
    assert.equal(chunks.length, 5, '4500 bytes in 1000-byte chunks');
    for (const c of chunks) assert.ok(c.snapshot!.data.length <= 1000);
    assert.equal(net.sent.filter((x) => x.type === 'snapshot-resp' && x.from === 3).length, 5, 'every chunk acked');
    const got = net.get(3).appliedSnapshot;
    assert.ok(got !== null);
    assert.equal(got.meta.index, snap.meta.index);
    assert.deepEqual(got.data, snap.data);
    assert.deepEqual(net.appliedData(3), ['after-snap'], 'entries after the snapshot are replicated normally');
    assert.equal(net.node(1).status().progress!.get(3)!.state, 'replicate');
  });

  // Proves a lost chunk is retransmitted on the next heartbeat response and the transfer completes.
  void test('a lost snapshot chunk is resent', () => {
    const net = electedNetwork([1, 2, 3], 1, { snapshotChunkBytes: 100 });
    net.isolate(3);
    for (let k = 0; k < 3; k++) net.node(1).propose(utf8(`s${k}`));
    net.settle();
    net.compact(1, 350);
    net.heal();
    let dropped = false;
    net.filter = (x) => {
      if (!dropped && x.type === 'snapshot' && x.snapshot!.offset === 200) {
        dropped = true;
        return false;
      }
      return true;
    };
    net.tickAll(5);
    assert.ok(dropped);
    assert.equal(net.get(3).appliedSnapshot?.data.length, 350);
    assert.equal(net.get(3).node.status().commit, net.node(1).status().commit);
  });

  // Proves a snapshot at or behind the follower's commit index is ignored: no Ready.snapshot, and the reply states the follower's commit.
  void test('snapshot behind the commit index is ignored', () => {
    const s = solo(2, [1, 2, 3]);
    s.node.step(makeMessage('append', 1, 2, 1, { entries: [1, 2, 3].map((i) => ({ index: i, term: 1, kind: 'normal' as const, data: new Uint8Array(0) })), commit: 3 }));
    drain(s);
    const meta = { index: 2, term: 1, conf: { voters: [1, 2, 3], learners: [] } };
    s.node.step(makeMessage('snapshot', 1, 2, 1, { snapshot: { meta, offset: 0, data: new Uint8Array(5), totalBytes: 5, done: true } }));
    const rd = s.node.ready();
    assert.equal(rd.snapshot, null);
    assert.equal(rd.messages.length, 1);
    assert.equal(rd.messages[0]!.type, 'append-resp');
    assert.equal(rd.messages[0]!.index, 3);
    s.node.advance(rd);
  });

  // Proves a follower installs a snapshot ahead of its log: Ready.snapshot is set, commit and applied move to its index.
  void test('follower installs a newer snapshot', () => {
    const s = solo(2, [1, 2, 3]);
    const meta = { index: 7, term: 2, conf: { voters: [1, 2, 3], learners: [] } };
    const data = new Uint8Array([1, 2, 3, 4]);
    s.node.step(makeMessage('snapshot', 1, 2, 2, { snapshot: { meta, offset: 0, data: data.subarray(0, 2), totalBytes: 4, done: false } }));
    const rd1 = s.node.ready();
    assert.equal(rd1.snapshot, null, 'nothing to install until the last chunk');
    assert.deepEqual(rd1.messages.map((x) => `${x.type}:${x.index}`), ['snapshot-resp:2']);
    s.node.advance(rd1);
    s.node.step(makeMessage('snapshot', 1, 2, 2, { snapshot: { meta, offset: 2, data: data.subarray(2), totalBytes: 4, done: true } }));
    const rd = s.node.ready();
    assert.deepEqual(rd.snapshot?.data, data);
    assert.deepEqual(rd.messages.map((x) => `${x.type}:${x.index}`), ['snapshot-resp:4', 'append-resp:7']);
    s.storage.applySnapshot(rd.snapshot);
    s.node.advance(rd);
    const st = s.node.status();
    assert.equal(st.commit, 7);
    assert.equal(st.applied, 7);
    assert.equal(st.lastIndex, 7);
  });
});

void describe('membership', () => {
  // Proves add-learner, promotion by add-voter, and remove-node: each takes effect when applied, one pending at a time.
  void test('add learner, promote, remove; one change at a time', () => {
    const net = electedNetwork([1, 2, 3], 1);
    // A joining node starts with the membership it is told at join time; the log brings the rest.
    net.add(4, new MemoryStorage({ voters: [1, 2, 3], learners: [] }));
    const ldr = net.node(1);
    assert.ok(ldr.proposeConfChange({ type: 'add-learner', nodeId: 4, context: new Uint8Array(0) }).ok);
    const again = ldr.proposeConfChange({ type: 'add-voter', nodeId: 5, context: new Uint8Array(0) });
    assert.equal(again.ok ? '' : again.refusal.code, 'conf-change-pending');
    net.settle();
    assert.deepEqual(net.get(1).conf, { voters: [1, 2, 3], learners: [4] });
    net.node(1).propose(utf8('to-learner'));
    net.settle();
    assert.deepEqual(net.appliedData(4), ['to-learner'], 'learner receives the log');
    assert.equal(net.node(1).status().progress!.get(4)!.isLearner, true);
    assert.ok(ldr.proposeConfChange({ type: 'add-voter', nodeId: 4, context: new Uint8Array(0) }).ok);
    net.settle();
    assert.deepEqual(net.get(4).conf, { voters: [1, 2, 3, 4], learners: [] });
    assert.ok(ldr.proposeConfChange({ type: 'remove-node', nodeId: 2, context: new Uint8Array(0) }).ok);
    net.settle();
    assert.deepEqual(net.get(1).conf, { voters: [1, 3, 4], learners: [] });
    net.isolate(2);
    net.node(1).propose(utf8('without-2'));
    net.settle();
    net.heartbeat();
    assert.ok(net.appliedData(4).includes('without-2'), 'commits with the new majority');
  });

  // Proves a leader that applies its own removal steps down, the rest elect a leader, and the removed node never campaigns.
  void test('removed leader steps down and does not campaign', () => {
    const net = electedNetwork([1, 2, 3], 1);
    assert.ok(net.node(1).proposeConfChange({ type: 'remove-node', nodeId: 1, context: new Uint8Array(0) }).ok);
    net.settle();
    assert.equal(net.node(1).status().role, 'follower');
    net.isolate(1);
    net.tickAll(50);
    const ldr = net.leader();
    assert.ok(ldr === 2 || ldr === 3);
    assert.equal(net.node(1).status().role, 'follower', 'not in the config: never campaigns');
    assert.equal(net.node(1).status().term, net.node(1).status().term);
  });

  // Proves invalid changes are refused with a reason.
  void test('invalid conf changes are refused', () => {
    const net = electedNetwork([1, 2, 3], 1);
    const r1 = net.node(1).proposeConfChange({ type: 'add-voter', nodeId: 2, context: new Uint8Array(0) });
    assert.deepEqual(r1, { ok: false, refusal: { code: 'invalid-conf-change', message: 'node 2 is already a voter' } });
    const r2 = net.node(1).proposeConfChange({ type: 'remove-node', nodeId: 9, context: new Uint8Array(0) });
    assert.deepEqual(r2, { ok: false, refusal: { code: 'invalid-conf-change', message: 'node 9 is not a member' } });
  });
});

void describe('leadership transfer', () => {
  // Proves transfer: proposals are refused while it runs, a lagging target is caught up first, then it wins at once via timeout-now.
  void test('transfer to a lagging follower', () => {
    const net = electedNetwork([1, 2, 3], 1);
    net.isolate(3);
    net.node(1).propose(utf8('t'));
    net.settle();
    net.heal();
    const seen: string[] = [];
    net.filter = (x) => {
      if (x.to === 3 || x.type === 'timeout-now') seen.push(x.type);
      return true;
    };
    assert.ok(net.node(1).transferLeadership(3).ok);
    assert.deepEqual(net.node(1).propose(utf8('no')), { ok: false, refusal: { code: 'transfer-in-progress', target: 3 } });
    net.settle();
    assert.equal(net.leader(), 3);
    assert.ok(seen.indexOf('append') < seen.indexOf('timeout-now'), 'target caught up before timeout-now');
    assert.deepEqual(net.appliedData(3), ['t']);
  });

  // Proves a transfer to an unreachable target is aborted after an election timeout and proposals resume.
  void test('transfer aborts after an election timeout', () => {
    const net = electedNetwork([1, 2, 3], 1);
    net.isolate(3);
    net.node(1).propose(utf8('t'));
    net.settle();
    assert.ok(net.node(1).transferLeadership(3).ok);
    net.tick(1, 9);
    assert.equal(net.node(1).status().leadTransferee, 3);
    net.tick(1, 1);
    assert.equal(net.node(1).status().leadTransferee, 0);
    assert.equal(net.leader(), 1);
    assert.ok(net.node(1).propose(utf8('resumed')).ok);
  });
});

void describe('ReadIndex', () => {
  // Proves a leader answers a read only after a heartbeat round confirms its leadership, with its commit index.
  void test('read on the leader waits for a quorum of heartbeat acks', () => {
    const net = electedNetwork([1, 2, 3], 1);
    const ctx = utf8('read-1');
    net.filter = (x) => x.type !== 'heartbeat-resp';
    assert.ok(net.node(1).readIndex(ctx).ok);
    net.settle();
    assert.equal(net.get(1).readStates.length, 0, 'no answer without acks');
    net.filter = null;
    net.tick(1, 1);
    assert.deepEqual(net.get(1).readStates, [{ index: net.node(1).status().commit, context: ctx }]);
  });

  // Proves a follower forwards read-index to the leader and receives the read state back.
  void test('read via a follower', () => {
    const net = electedNetwork([1, 2, 3], 1);
    net.node(1).propose(utf8('w'));
    net.settle();
    assert.ok(net.node(2).readIndex(utf8('r2')).ok);
    net.settle();
    assert.deepEqual(net.get(2).readStates, [{ index: 2, context: utf8('r2') }]);
    assert.equal(net.sent.filter((x) => x.type === 'read-index' && x.from === 2).length, 1);
  });

  // Proves a new leader defers reads until it has committed an entry in its term.
  void test('reads wait for the new leader to commit in its term', () => {
    const s = solo(1, [1, 2, 3], { preVote: false });
    s.node.campaign();
    drain(s);
    s.node.step(makeMessage('vote-resp', 2, 1, 1, {}));
    drain(s);
    assert.ok(s.node.readIndex(utf8('early')).ok);
    const { messages } = drain(s);
    assert.equal(messages.filter((x) => x.type === 'heartbeat').length, 0, 'no read round before a commit in this term');
    s.node.step(makeMessage('append-resp', 2, 1, 1, { index: 1 }));
    const out = drain(s);
    const hb = out.messages.filter((x) => x.type === 'heartbeat');
    assert.equal(hb.length, 2);
    s.node.step(makeMessage('heartbeat-resp', 2, 1, 1, { context: hb[0]!.context }));
    assert.deepEqual(drain(s).readStates, [{ index: 1, context: utf8('early') }]);
  });

  // Proves the lease-based option answers at once (no heartbeat round) once a quorum acknowledged a
  // recent heartbeat, and requires check-quorum (test/raft/core/lease.test.ts covers when it may not).
  void test('lease-based reads', () => {
    const net = electedNetwork([1, 2, 3], 1, { readOnly: 'lease-based' });
    net.tick(1); // one heartbeat round backs the lease
    const before = net.sent.length;
    net.node(1).readIndex(utf8('fast'));
    net.settle();
    assert.equal(net.get(1).readStates.length, 1);
    assert.equal(net.sent.length, before, 'no messages needed');
    assert.throws(() => solo(1, [1], { readOnly: 'lease-based', checkQuorum: false }), /requires checkQuorum/);
  });

  // Proves a read without a known leader is refused.
  void test('read with no leader is refused', () => {
    const s = solo(1, [1, 2, 3]);
    assert.deepEqual(s.node.readIndex(utf8('x')), { ok: false, refusal: { code: 'no-leader' } });
  });
});

void describe('proposal refusals', () => {
  // Proves each refusal value: no-leader, not-leader with hint, too-large (one entry and the uncommitted budget).
  void test('refusals say why', () => {
    assert.deepEqual(solo(1, [1, 2, 3]).node.propose(utf8('x')), { ok: false, refusal: { code: 'no-leader' } });
    const net = electedNetwork([1, 2, 3], 1, { maxUncommittedBytes: 100 });
    assert.deepEqual(net.node(2).propose(utf8('x')), { ok: false, refusal: { code: 'not-leader', leader: 1 } });
    const big = net.node(1).propose(new Uint8Array(101));
    assert.equal(big.ok ? '' : big.refusal.code, 'too-large');
    net.isolate(1);
    assert.ok(net.node(1).propose(new Uint8Array(60)).ok);
    const full = net.node(1).propose(new Uint8Array(60));
    assert.ok(!full.ok && full.refusal.code === 'too-large' && /uncommitted log is full/.test(full.refusal.message));
    net.heal();
    net.tick(1, 1);
    assert.ok(net.node(1).propose(new Uint8Array(60)).ok, 'budget frees once entries commit and apply');
  });
});

void describe('config validation', () => {
  const base = (): Config => ({ id: 1, storage: new MemoryStorage(), random: createRandom(1), electionTicks: 10, heartbeatTicks: 1 });
  const cases: [Partial<Config>, RegExp][] = [
    [{ electionTicks: 5, heartbeatTicks: 10 }, /^electionTicks \(5\) must exceed heartbeatTicks \(10\)$/],
    [{ id: 0 }, /^id must be a positive integer, got 0$/],
    [{ id: 1.5 }, /^id must be a positive integer, got 1.5$/],
    [{ heartbeatTicks: 0 }, /^heartbeatTicks must be a positive integer, got 0$/],
    [{ maxInflightMsgs: -1 }, /^maxInflightMsgs must be a positive integer, got -1$/],
    [{ snapshotChunkBytes: 0 }, /^snapshotChunkBytes must be a positive integer/],
    [{ applied: -1 }, /^applied must be a non-negative integer/],
  ];
  for (const [patch, re] of cases) {
    // Proves an invalid field is rejected with a ConfigError whose message names the field and value.
    void test(`rejects ${JSON.stringify(patch)}`, () => {
      assert.throws(() => new RawNode({ ...base(), ...patch }), (e: unknown) => e instanceof ConfigError && re.test(e.message));
    });
  }
});

void describe('conf state from a snapshot', () => {
  // Proves a node restarted over a storage holding only a snapshot takes its membership from it.
  void test('membership from snapshot on restart', () => {
    const st = new MemoryStorage();
    const snap: Snapshot = { meta: { index: 5, term: 2, conf: { voters: [1, 2], learners: [3] } }, data: new Uint8Array(0) };
    st.applySnapshot(snap);
    st.setHardState({ term: 2, vote: 0, commit: 5 });
    const n = new Network([]);
    const h = n.add(2, st);
    const s = h.node.status();
    assert.deepEqual(s.conf, { voters: [1, 2], learners: [3] });
    assert.equal(s.applied, 5);
    assert.equal(s.lastIndex, 5);
  });
});

void describe('joining after compaction (sim-findings item: learner never installs the snapshot)', () => {
  // Proves a node added as learner after the log was compacted installs a snapshot whose conf predates it, then catches up by log and can be promoted.
  void test('learner added after compaction catches up by snapshot, then log, then is promoted', () => {
    const net = new Network([1], { snapshotChunkBytes: 64 });
    net.campaign(1);
    net.node(1).propose(utf8('before'));
    net.settle();
    const snap = net.compact(1, 200);
    assert.deepEqual(snap.meta.conf, { voters: [1], learners: [] });
    net.add(2, new MemoryStorage());
    assert.ok(net.node(1).proposeConfChange({ type: 'add-learner', nodeId: 2, context: new Uint8Array(0) }).ok);
    net.settle();
    net.tick(1, 3);
    assert.equal(net.get(2).appliedSnapshot?.meta.index, snap.meta.index, 'installed the pre-membership snapshot');
    assert.deepEqual(net.get(2).conf, { voters: [1], learners: [2] }, 'the log after the snapshot made it a learner');
    assert.ok(net.node(1).proposeConfChange({ type: 'add-voter', nodeId: 2, context: new Uint8Array(0) }).ok);
    net.settle();
    net.tick(1, 2);
    assert.deepEqual(net.get(2).conf, { voters: [1, 2], learners: [] });
    net.node(1).propose(utf8('after'));
    net.settle();
    net.heartbeat();
    assert.deepEqual(net.appliedData(2), ['after']);
    assert.equal(net.node(1).status().progress!.get(2)!.state, 'replicate');
  });
});
