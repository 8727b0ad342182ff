/**
 * The leader sends no message for a new commit index alone (issue #16): it rides on the next
 * append or heartbeat. These tests count the messages on the in-memory network and check when
 * the followers learn the commit index: with the next write's append, with a heartbeat when idle,
 * at once when a follower's read waits on it, and at once for a membership change.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Message } from '../../../src/raft/core/index.js';
import { electedNetwork, utf8 } from './net.js';

const appendsFrom = (sent: readonly Message[], from: number): Message[] => sent.filter((m) => m.type === 'append' && m.from === from);

void describe('commit index piggybacked on appends and heartbeats', () => {
  // Proves one write costs each follower exactly one append (with the entry) and one ack: no commit-only append follows.
  void test('a committed write sends no commit-only append', () => {
    const net = electedNetwork([1, 2, 3], 1);
    net.heartbeat(); // followers learn the election's commit; start from a quiet network
    net.sent.length = 0;
    assert.ok(net.node(1).propose(utf8('a')).ok);
    net.settle();
    const appends = appendsFrom(net.sent, 1);
    assert.equal(appends.length, 2, `one append per follower, got ${appends.map((m) => `${m.to}:${m.entries.length}`).join(',')}`);
    for (const m of appends) assert.equal(m.entries.length, 1, 'the append carries the entry');
    assert.equal(net.sent.filter((m) => m.type === 'append-resp').length, 2, 'one ack per follower');
    assert.deepEqual(net.appliedData(1), ['a'], 'the leader committed and applied the write');
    assert.deepEqual(net.appliedData(2), [], 'a follower does not know the commit yet');
  });

  // Proves the next write's append carries the previous commit, and a heartbeat carries it to an idle follower.
  void test('followers learn the commit from the next append, or from a heartbeat when idle', () => {
    const net = electedNetwork([1, 2, 3], 1);
    net.node(1).propose(utf8('a'));
    net.settle();
    net.sent.length = 0;
    net.node(1).propose(utf8('b'));
    net.settle();
    for (const m of appendsFrom(net.sent, 1)) assert.ok(m.commit >= m.logIndex, `the append to ${m.to} carries commit ${m.commit}`);
    for (const id of [2, 3]) assert.deepEqual(net.appliedData(id), ['a'], `node ${id} applied the write the second append committed`);
    net.heartbeat();
    for (const id of [2, 3]) assert.deepEqual(net.appliedData(id), ['a', 'b'], `node ${id} caught up with one heartbeat`);
  });

  // Proves a follower's read is not held until a heartbeat: it has applied the read index when the read state arrives.
  void test("a follower's read is answered with the commit index it needs", () => {
    const net = electedNetwork([1, 2, 3], 1);
    net.node(1).propose(utf8('x'));
    net.settle();
    assert.ok(net.node(2).readIndex(utf8('r1')).ok);
    net.settle();
    const rs = net.get(2).readStates.at(-1);
    assert.ok(rs !== undefined, 'the read state arrived');
    assert.ok(net.get(2).appliedIndex >= rs.index, `applied ${net.get(2).appliedIndex} reaches the read index ${rs.index} without a tick`);
    assert.deepEqual(net.appliedData(2), ['x']);
  });

  // Proves a commit covering a membership change is still broadcast at once: the members act on it.
  void test('a membership change is applied by every member without waiting for a heartbeat', () => {
    const net = electedNetwork([1, 2, 3], 1);
    assert.ok(net.node(1).proposeConfChange({ type: 'remove-node', nodeId: 3, context: new Uint8Array(0) }).ok);
    net.settle();
    assert.deepEqual(net.get(2).conf, { voters: [1, 2], learners: [] });
  });
});
