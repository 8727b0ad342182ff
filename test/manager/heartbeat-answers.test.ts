import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { HeartbeatFacts, SentFacts } from '../../src/manager/heartbeat-answers.js';
import { NODE_ID, StoreHarness } from '../network/store-harness.js';

const W = 'worker00000000000000000001';

/** A store with a manager (the harness's m1, Raft ID 1) and a worker; `reads` counts every access to the store. */
function setUp(): { h: StoreHarness; facts: HeartbeatFacts; reads: () => number; leader: { id: number } } {
  const h = StoreHarness.open();
  const { worker_token_hash: tokenHash } = h.db.prepare('SELECT worker_token_hash FROM cluster').get() as { worker_token_hash: string };
  h.applyOk({ op: 'node.join', at: 10, id: W, hostname: 'w1', role: 'worker', addr: '127.0.0.1:2', tokenHash });
  let n = 0;
  const leader = { id: 1 };
  const facts = new HeartbeatFacts(
    () => {
      n++;
      return h.db;
    },
    () => h.store.generation,
    () => leader.id,
  );
  return { h, facts, reads: () => n, leader };
}

describe('heartbeat answers', () => {
  // Proves that between two writes that matter, answering any number of heartbeats reads the store only the
  // first time each node asks (a role) plus once for the shared facts; that liveness writes (node.status) do
  // not count; and that an applied role change is seen at once.
  test('the store is read once per change that matters, not per heartbeat', () => {
    const { h, facts, reads } = setUp();
    try {
      const sent = new SentFacts();
      sent.answer(facts, W, 1);
      const afterFirst = reads();
      assert.ok(afterFirst > 0);
      for (let i = 0; i < 1_000; i++) sent.answer(facts, W, 2 + i);
      for (let i = 0; i < 100; i++) facts.unaryAnswer(W);
      assert.equal(reads(), afterFirst, 'no read of the store between two writes');
      h.applyOk({ op: 'node.status', at: 11, updates: [{ id: W, status: 'ready', message: 'session opened' }] });
      sent.answer(facts, W, 5_000);
      assert.equal(reads(), afterFirst, 'a liveness write changes nothing an answer says');
      assert.equal(facts.unaryAnswer(W).desiredRole, 'NODE_ROLE_WORKER');
      h.applyOk({ op: 'node.update', at: 11, id: W, version: 0, role: 'manager' });
      assert.equal(facts.unaryAnswer(W).desiredRole, 'NODE_ROLE_MANAGER', 'the applied promotion is in the next answer');
      assert.ok(reads() > afterFirst);
    } finally {
      h.close();
    }
  });

  // Proves the Connect answers carry a fact only when it changed for that session: everything first, then only the
  // acknowledgement and period; a role change, a new manager and a new leader each go out once; another session
  // starts from nothing again. The unary answer (agents of an earlier version) is always complete.
  test('a session is told what changed since its last answer, and only that', () => {
    const { h, facts, leader } = setUp();
    try {
      const sent = new SentFacts();
      const first = sent.answer(facts, W, 100);
      assert.equal(first.heartbeatAckUnixMs, 100);
      assert.equal(first.heartbeatPeriodMs, 5_000);
      assert.equal(first.desiredRole, 'NODE_ROLE_WORKER');
      assert.equal(first.raftId, 2);
      assert.deepEqual(first.managers, [{ nodeId: NODE_ID, addr: '127.0.0.1:1', weight: 2 }]);
      assert.deepEqual(sent.answer(facts, W, 101), { heartbeatAckUnixMs: 101, heartbeatPeriodMs: 5_000 }, 'nothing changed: nothing but the ack');

      h.applyOk({ op: 'cluster.update', at: 12, version: 0, taskHistoryLimit: 3 });
      assert.deepEqual(sent.answer(facts, W, 102), { heartbeatAckUnixMs: 102, heartbeatPeriodMs: 5_000 }, 'a change that is not told: still only the ack');

      // Promoting the worker changes its role and Raft ID, and makes it one of the managers.
      h.applyOk({ op: 'node.update', at: 13, id: W, version: 0, role: 'manager' });
      const promoted = sent.answer(facts, W, 103);
      assert.equal(promoted.desiredRole, 'NODE_ROLE_MANAGER');
      assert.equal(promoted.raftId, 3);
      assert.deepEqual(promoted.managers?.map((p) => p.nodeId).sort(), [NODE_ID, W].sort());
      assert.deepEqual(sent.answer(facts, W, 104), { heartbeatAckUnixMs: 104, heartbeatPeriodMs: 5_000 });

      // A new leader changes the managers' weights.
      leader.id = 3;
      const afterElection = sent.answer(facts, W, 105);
      assert.deepEqual(afterElection.managers?.find((p) => p.nodeId === W), { nodeId: W, addr: '127.0.0.1:2', weight: 2 });
      assert.equal(afterElection.desiredRole, undefined, 'the role did not change');

      const other = new SentFacts();
      assert.equal(other.answer(facts, W, 106).desiredRole, 'NODE_ROLE_MANAGER', 'a new session is told everything');
      const unary = facts.unaryAnswer(W);
      assert.equal(unary.periodMs, 5_000);
      assert.equal(unary.desiredRole, 'NODE_ROLE_MANAGER');
      assert.equal(unary.managers?.length, 2);
    } finally {
      h.close();
    }
  });

  // Proves what the leader sends a PING session unasked (SentFacts.changes): everything the first time, then
  // nothing while nothing it tells changed (even across writes that move the store), then only a promotion.
  test('facts sent unasked carry only what changed, and nothing when nothing did', () => {
    const { h, facts } = setUp();
    try {
      const sent = new SentFacts();
      const first = sent.changes(facts, W, 100);
      assert.equal(first?.desiredRole, 'NODE_ROLE_WORKER');
      assert.equal(first?.heartbeatAckUnixMs, 100);
      assert.equal(sent.changes(facts, W, 101), null, 'nothing changed');
      h.applyOk({ op: 'cluster.update', at: 12, version: 0, taskHistoryLimit: 3 });
      assert.equal(sent.changes(facts, W, 102), null, 'a write that changes nothing told');
      h.applyOk({ op: 'node.update', at: 13, id: W, version: 0, role: 'manager' });
      const promoted = sent.changes(facts, W, 103);
      assert.equal(promoted?.desiredRole, 'NODE_ROLE_MANAGER');
      assert.equal(promoted?.raftId, 3);
      assert.equal(sent.changes(facts, W, 104), null);
    } finally {
      h.close();
    }
  });

  // Proves a node without a row (removed) is told neither a role nor the managers, as before.
  test('a removed node is told no role', () => {
    const { h, facts } = setUp();
    try {
      const sent = new SentFacts();
      const msg = sent.answer(facts, 'gone00000000000000000000001', 1);
      assert.equal(msg.desiredRole, undefined);
      assert.equal(msg.managers, undefined);
      assert.equal(facts.unaryAnswer('gone00000000000000000000001').managers, undefined);
    } finally {
      h.close();
    }
  });
});
