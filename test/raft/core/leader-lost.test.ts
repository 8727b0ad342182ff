/**
 * The fast election on a broken leader stream (issue #16): when the
 * transport sees the stream from the leader reset (a killed process closes
 * its connections at once), the shell calls reportLeaderLost(leader). A
 * follower of that leader gives up its lease and starts a pre-vote at once
 * (the lowest ID) or after 2 ticks per rank, instead of waiting out its
 * election timeout. These tests pin what it may and may not do: a crash is
 * followed by an election without any election timeout; a report at a
 * minority of a live leader's followers elects nobody and raises no term; a
 * report is ignored without pre-vote or check-quorum, with lease reads, and
 * by nodes that do not follow the named leader.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { electedNetwork } from './net.js';

void describe('leader-lost reports', () => {
  // Proves a crashed leader is replaced with no tick at all when the lowest-ID survivor is told
  // last: the other survivor (told first) waits its turn and grants the pre-vote and the vote.
  void test('survivors told of a crash elect a new leader without an election timeout', () => {
    const net = electedNetwork([1, 2, 3], 1);
    const term = net.node(1).status().term;
    net.isolate(1); // the killed leader
    net.node(3).reportLeaderLost(1);
    net.settle();
    assert.equal(net.node(3).status().role, 'follower', 'rank 1 waits for its turn');
    assert.equal(net.node(3).status().leader, 0, 'but gave up the leader (and its lease)');
    net.node(2).reportLeaderLost(1);
    net.settle();
    const s2 = net.node(2).status();
    assert.equal(s2.role, 'leader', 'the lowest surviving ID campaigned at once and won');
    assert.equal(s2.term, term + 1, 'one election, one new term');
    assert.equal(net.node(3).status().leader, 2);
  });

  // Proves the order does not matter: told first, the lowest ID's pre-vote is dropped by a node
  // that still hears the leader (its lease); that node, once told, campaigns after its turn of
  // 2 ticks per rank and wins, well inside the election timeout of 10 ticks.
  void test('told in the other order, the next survivor campaigns after its turn', () => {
    const net = electedNetwork([1, 2, 3], 1);
    const term = net.node(1).status().term;
    net.isolate(1);
    net.node(2).reportLeaderLost(1);
    net.settle();
    assert.equal(net.node(2).status().role, 'pre-candidate');
    assert.equal(net.node(3).status().term, term, 'node 3 still holds the lease and refused silently');
    net.node(3).reportLeaderLost(1);
    net.settle();
    let ticks = 0;
    while (net.leader() === 1 || net.leader() === 0) {
      net.tick(3);
      ticks++;
      assert.ok(ticks <= 3, 'node 3 campaigned within 2 * rank + 1 ticks');
    }
    assert.equal(net.leader(), 3);
    assert.equal(net.node(3).status().term, term + 1);
  });

  // Proves overlapping turns (a slow machine: the second survivor's turn came before the first
  // one's pre-vote arrived) do not split the vote: the higher ID grants the lower one's pre-vote
  // and steps aside, so one election in one new term suffices.
  void test('two survivors campaigning at once: the higher ID steps aside', () => {
    const net = electedNetwork([1, 2, 3], 1);
    const term = net.node(1).status().term;
    net.isolate(1);
    net.node(3).reportLeaderLost(1);
    for (let k = 0; k < 3; k++) net.node(3).tick(); // its turn comes, nothing delivered yet
    assert.equal(net.node(3).status().role, 'pre-candidate');
    net.node(2).reportLeaderLost(1);
    assert.equal(net.node(2).status().role, 'pre-candidate');
    net.settle();
    assert.equal(net.leader(), 2);
    assert.equal(net.node(2).status().term, term + 1, 'no split vote: one new term');
    assert.equal(net.node(3).status().leader, 2);
  });

  // Proves a spurious report at one follower of a live leader raises no term: the other follower
  // still hears the leader and drops the pre-vote; the next heartbeat brings the told one back.
  void test('a report at a minority of a live leader elects nobody', () => {
    const net = electedNetwork([1, 2, 3, 4, 5], 1);
    const term = net.node(1).status().term;
    net.node(2).reportLeaderLost(1);
    net.node(3).reportLeaderLost(1);
    net.settle();
    net.tickAll(12); // more than an election timeout, with the leader's heartbeats flowing
    for (const id of [1, 2, 3, 4, 5]) {
      const s = net.node(id).status();
      assert.equal(s.term, term, `node ${id} kept the term`);
      assert.equal(s.leader, 1, `node ${id} follows the leader again`);
    }
    assert.equal(net.node(1).status().role, 'leader');
  });

  // Proves anything from the leader cancels a campaign a report scheduled (rank > 0).
  void test('a heartbeat from the leader cancels a scheduled campaign', () => {
    const net = electedNetwork([1, 2, 3], 1);
    const term = net.node(1).status().term;
    net.node(3).reportLeaderLost(1); // rank 1: scheduled in 3 ticks
    net.settle();
    net.tick(1, 1); // heartbeat (heartbeatTicks is 1 in the test network)
    net.tick(3, 5);
    assert.equal(net.node(3).status().role, 'follower');
    assert.equal(net.node(3).status().leader, 1);
    assert.equal(net.node(3).status().term, term);
  });

  // Proves the report is ignored where acting on it would be unsafe or pointless: lease reads (the
  // leader reads by this follower's promise), no pre-vote (a wrong report would raise the term),
  // no check-quorum (no lease refuses a minority's pre-vote), a leader, a node that follows
  // someone else.
  void test('the report is ignored unless pre-vote, check-quorum and safe reads are all on', () => {
    for (const overrides of [{ readOnly: 'lease-based' as const }, { preVote: false }, { checkQuorum: false }]) {
      const net = electedNetwork([1, 2, 3], 1, overrides);
      net.node(2).reportLeaderLost(1);
      assert.equal(net.node(2).hasReady(), false, `${JSON.stringify(overrides)}: nothing to do`);
      assert.equal(net.node(2).status().leader, 1, `${JSON.stringify(overrides)}: still follows the leader`);
    }
    const net = electedNetwork([1, 2, 3], 1);
    net.node(2).reportLeaderLost(3); // not its leader
    assert.equal(net.node(2).status().leader, 1);
    net.node(1).reportLeaderLost(1); // the leader itself
    assert.equal(net.node(1).status().role, 'leader');
    assert.equal(net.node(2).hasReady(), false);
    assert.equal(net.node(1).hasReady(), false);
  });
});
