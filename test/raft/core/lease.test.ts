/**
 * Leader leases (lease-based reads with check-quorum). The simulator's
 * read-index invariant found that a leader answered lease reads after a new
 * leader had been elected and had committed: the leader trusted its lease
 * until its next check-quorum period (up to two election timeouts after it
 * last heard from a quorum), while followers only promise one election
 * timeout from when they last heard from it; a restarted follower promised
 * nothing at all, and a transfer's forced votes ignored leases. These tests
 * pin the fix: the lease is dated by heartbeat acks, restarts keep the
 * promise, transfers end the lease — and transfer requests no longer
 * postpone check-quorum.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { makeMessage } from '../../../src/raft/core/messages.js';
import { electedNetwork } from './net.js';

const utf8 = (s: string): Uint8Array => new TextEncoder().encode(s);

void describe('leader lease', () => {
  // Proves a lease read is answered at once only while a quorum acknowledged a heartbeat sent less
  // than electionTicks - 2 leader ticks ago; past that the read takes a heartbeat round (and, with
  // the followers cut off, is not answered at all).
  void test('the lease is dated by the heartbeats a quorum acknowledged', () => {
    const net = electedNetwork([1, 2, 3], 1, { readOnly: 'lease-based' });
    net.tick(1);
    net.node(1).readIndex(utf8('fresh'));
    net.settle();
    assert.equal(net.get(1).readStates.length, 1, 'answered at once right after an acknowledged heartbeat');
    net.isolate(1);
    net.tick(1, 7); // 7 ticks since the last acknowledged heartbeat: 7 < 10 - 2, still covered
    net.node(1).readIndex(utf8('still-covered'));
    net.settle();
    assert.equal(net.get(1).readStates.length, 2, 'answered at once inside the lease');
    net.tick(1, 1); // 8 ticks: no longer covered (followers may vote for others 10 ticks after hearing it)
    assert.equal(net.node(1).status().role, 'leader', 'check-quorum has not deposed it yet');
    net.node(1).readIndex(utf8('stale'));
    net.settle();
    assert.equal(net.get(1).readStates.length, 2, 'not answered without a lease or a quorum round');
    net.heal();
    net.tick(1, 1);
    assert.equal(net.get(1).readStates.length, 3, 'answered once a heartbeat round confirmed leadership');
  });

  // Proves a restarted follower keeps the lease it may have promised: for one election timeout it
  // ignores a higher-term vote request, then grants it.
  void test('a restarted follower honours the lease for one election timeout', () => {
    const net = electedNetwork([1, 2, 3], 1, { readOnly: 'lease-based' });
    const restarted = net.restart(2).node;
    const term = restarted.status().term;
    const vote = () => makeMessage('vote', 3, 2, term + 1, { logIndex: 99, logTerm: term });
    restarted.step(vote());
    assert.equal(restarted.status().term, term, 'the vote request was ignored right after the restart');
    assert.equal(restarted.hasReady(), false, 'no vote sent');
    net.isolate(2);
    for (let k = 0; k < 10; k++) restarted.tick();
    restarted.step(vote());
    assert.equal(restarted.status().term, term + 1, 'after an election timeout the request is heard');
    assert.equal(restarted.status().vote, 3, 'and the vote granted');
  });

  // Proves that once a leadership transfer started (its forced votes ignore leases), lease reads
  // are no longer answered at once in that term.
  void test('a transfer ends the lease', () => {
    const net = electedNetwork([1, 2, 3], 1, { readOnly: 'lease-based' });
    net.tick(1);
    net.isolate(2); // the transfer cannot finish
    assert.ok(net.node(1).transferLeadership(2).ok);
    const sentBefore = net.sent.length;
    net.node(1).readIndex(utf8('during-transfer'));
    net.settle();
    const round = net.sent.slice(sentBefore).filter((m) => m.type === 'heartbeat' && new TextDecoder().decode(m.context) === 'during-transfer');
    assert.ok(round.length > 0, 'the read took a heartbeat round instead of the lease');
    assert.equal(net.get(1).readStates.length, 1, 'and was answered by it (node 3 acknowledged)');
  });

  // Proves check-quorum is not postponed by transfer requests: a leader cut off from its quorum that
  // is asked to transfer every few ticks still steps down within two election timeouts (a transfer
  // used to reset the election counter that check-quorum runs on; found by the simulator's
  // check-quorum invariant).
  void test('transfer requests do not postpone check-quorum', () => {
    const net = electedNetwork([1, 2, 3], 1);
    net.isolate(1);
    for (let k = 1; k <= 20; k++) {
      if (k % 4 === 0 && net.node(1).status().role === 'leader') net.node(1).transferLeadership(k % 8 === 0 ? 2 : 3);
      net.tick(1);
    }
    assert.equal(net.node(1).status().role, 'follower', 'stepped down within two election timeouts of losing its quorum');
  });

  // Proves a transfer that cannot finish is still aborted one election timeout after it started.
  void test('a stalled transfer is aborted after one election timeout', () => {
    const net = electedNetwork([1, 2, 3], 1, { checkQuorum: false });
    net.isolate(2);
    assert.ok(net.node(1).transferLeadership(2).ok);
    net.tick(1, 9);
    assert.equal(net.node(1).status().leadTransferee, 2, 'still transferring after 9 ticks');
    net.tick(1, 1);
    assert.equal(net.node(1).status().leadTransferee, 0, 'aborted after 10 ticks (one election timeout)');
  });
});
