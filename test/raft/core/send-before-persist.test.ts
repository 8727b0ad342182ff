/**
 * The node shell sends a leader's appends before persisting them and persists on the next
 * event-loop turn (src/raft/send-before-persist.ts). Acknowledgements may then be stepped into
 * the core while the leader's own copy is not yet durable. These tests pin the two rules that
 * keep that safe: which Readies qualify, and that the core counts the leader toward a commit only
 * after advance() — so two followers' acks in a 5-node cluster do not commit the entry alone.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { sendsBeforePersist } from '../../../src/raft/send-before-persist.js';
import type { Message } from '../../../src/raft/core/index.js';
import { electedNetwork, utf8 } from './net.js';

void describe('send before persist', () => {
  // Proves a leader's write Ready qualifies, and that acks stepped in before its persist do not commit on the leader's unsynced copy.
  void test("acks that arrive before the leader's persist commit only once the leader's copy is durable", () => {
    const net = electedNetwork([1, 2, 3, 4, 5], 1);
    net.heartbeat();
    const leader = net.get(1);
    const hs = leader.storage.initialState().hardState;
    assert.ok(leader.node.propose(utf8('a')).ok);
    const rd = leader.node.ready();
    assert.equal(rd.entries.length, 1);
    const index = rd.entries[0]!.index;
    assert.ok(sendsBeforePersist(rd, 'leader', { term: hs.term, vote: hs.vote }), 'a plain write of the leader qualifies');
    // Two of four followers receive the append, persist it and acknowledge: with the leader, that would be 3 of 5.
    const acks: Message[] = [];
    for (const m of rd.messages.filter((x) => x.type === 'append' && (x.to === 2 || x.to === 3))) {
      const f = net.get(m.to);
      f.node.step(m);
      const frd = f.node.ready();
      f.storage.append(frd.entries);
      if (frd.hardState) f.storage.setHardState(frd.hardState);
      acks.push(...frd.messages.filter((x) => x.type === 'append-resp'));
      f.node.advance(frd);
    }
    assert.equal(acks.length, 2);
    for (const a of acks) leader.node.step(a);
    assert.ok(leader.node.status().commit < index, `commit ${leader.node.status().commit} must not reach ${index} before the leader's persist`);
    // The shell's next turn: persist, then advance; now the leader counts itself.
    leader.storage.append(rd.entries);
    if (rd.hardState) leader.storage.setHardState(rd.hardState);
    leader.node.advance(rd);
    assert.equal(leader.node.status().commit, index, 'committed once the leader durably holds it');
  });

  // Proves what must wait for the persist: a follower's ack, a vote, a new term, a Ready without entries.
  void test('acks, votes, new terms and entry-less Readies are not sent before the persist', () => {
    const net = electedNetwork([1, 2, 3], 1);
    net.heartbeat();
    const f = net.get(2);
    const hs = f.storage.initialState().hardState;
    const leader = net.get(1);
    assert.ok(leader.node.propose(utf8('b')).ok);
    const lrd = leader.node.ready();
    const append = lrd.messages.find((m) => m.type === 'append' && m.to === 2)!;
    f.node.step(append);
    const frd = f.node.ready();
    assert.ok(frd.entries.length > 0);
    assert.equal(sendsBeforePersist(frd, f.node.status().role, { term: hs.term, vote: hs.vote }), false, "a follower's ack waits");
    const lhs = leader.storage.initialState().hardState;
    const newTerm = { term: lhs.term + 1, vote: lhs.vote, commit: lhs.commit };
    assert.equal(sendsBeforePersist({ ...lrd, hardState: newTerm }, 'leader', { term: lhs.term, vote: lhs.vote }), false, 'a term not yet on disk waits');
    assert.equal(sendsBeforePersist({ ...lrd, hardState: { ...lhs, commit: lhs.commit + 1 } }, 'leader', { term: lhs.term, vote: lhs.vote }), true, 'a moved commit index does not hold it back');
    assert.equal(sendsBeforePersist({ ...lrd, entries: [] }, 'leader', { term: lhs.term, vote: lhs.vote }), false, 'nothing to overlap without entries');
    const vote: Message = { ...append, type: 'vote-resp' };
    assert.equal(sendsBeforePersist({ ...lrd, messages: [vote] }, 'leader', { term: lhs.term, vote: lhs.vote }), false, 'a vote waits');
  });
});
