/**
 * One test per rule of Figure 2 of the Raft paper ("In Search of an
 * Understandable Consensus Algorithm"): the five safety properties are checked
 * after every step of seeded random scenarios with partitions and restarts;
 * the receiver rules and rules for servers are checked by stepping hand-built
 * messages into a single node.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { MemoryStorage, makeMessage } from '../../../src/raft/core/index.js';
import type { Message } from '../../../src/raft/core/index.js';
import { logTerms, runChaos } from './chaos.js';
import { drain, electedNetwork, ents, solo, utf8 } from './net.js';

const SEEDS = [1, 2, 3];
const STEPS = 400;

void describe('Figure 2: safety properties under random faults', () => {
  // Proves Election Safety (at most one leader per term) by recording the leader of each term after every chaos step.
  void test('election safety', () => {
    for (const seed of SEEDS) {
      const leaders = new Map<number, number>();
      const net = runChaos(seed, STEPS, (n) => {
        for (const h of n.nodes.values()) {
          const s = h.node.status();
          if (s.role !== 'leader') continue;
          const prev = leaders.get(s.term);
          assert.ok(prev === undefined || prev === s.id, `seed ${seed}: term ${s.term} has leaders ${prev} and ${s.id}`);
          leaders.set(s.term, s.id);
        }
      });
      assert.ok(leaders.size >= 1, 'some leader was elected');
      assert.notEqual(net.leader(), 0, `seed ${seed}: cluster recovers a leader after faults stop`);
    }
  });

  // Proves Leader Append-Only: while a node leads a term, every entry it held stays, with the same term.
  void test('leader append-only', () => {
    for (const seed of SEEDS) {
      const seen = new Map<string, Map<number, number>>();
      runChaos(seed, STEPS, (n) => {
        for (const h of n.nodes.values()) {
          const s = h.node.status();
          if (s.role !== 'leader') continue;
          const key = `${s.id}@${s.term}`;
          const now = logTerms(n, s.id);
          const before = seen.get(key);
          if (before !== undefined) {
            for (const [i, t] of before) assert.equal(now.get(i), t, `seed ${seed}: leader ${key} changed entry ${i}`);
          }
          seen.set(key, now);
        }
      });
    }
  });

  // Proves Log Matching: if two logs hold an entry with the same index and term, all earlier entries are identical.
  void test('log matching', () => {
    for (const seed of SEEDS) {
      runChaos(seed, STEPS, (n) => {
        const logs = [...n.nodes.keys()].map((id) => logTerms(n, id));
        for (let a = 0; a < logs.length; a++) {
          for (let b = a + 1; b < logs.length; b++) {
            const la = logs[a]!;
            const lb = logs[b]!;
            let matchedAt = 0;
            for (const [i, t] of la) if (lb.get(i) === t && i > matchedAt) matchedAt = i;
            for (let i = 1; i <= matchedAt; i++) {
              if (la.has(i) && lb.has(i)) assert.equal(la.get(i), lb.get(i), `seed ${seed}: logs match at ${matchedAt} but differ at ${i}`);
            }
          }
        }
      });
    }
  });

  // Proves Leader Completeness: an entry applied anywhere is in the log of every leader of a later term.
  void test('leader completeness', () => {
    for (const seed of SEEDS) {
      const committedAt = new Map<number, { term: number; seenInTerm: number }>();
      runChaos(seed, STEPS, (n) => {
        let maxTerm = 0;
        for (const h of n.nodes.values()) maxTerm = Math.max(maxTerm, h.node.status().term);
        for (const h of n.nodes.values()) {
          for (const e of h.applied) if (!committedAt.has(e.index)) committedAt.set(e.index, { term: e.term, seenInTerm: maxTerm });
        }
        for (const h of n.nodes.values()) {
          const s = h.node.status();
          if (s.role !== 'leader') continue;
          const log = logTerms(n, s.id);
          for (const [i, c] of committedAt) {
            if (s.term > c.seenInTerm) assert.equal(log.get(i), c.term, `seed ${seed}: leader ${s.id}@${s.term} lacks committed entry ${i}`);
          }
        }
      });
    }
  });

  // Proves State Machine Safety: no two nodes apply different entries at the same index.
  void test('state machine safety', () => {
    for (const seed of SEEDS) {
      const appliedAt = new Map<number, string>();
      const net = runChaos(seed, STEPS, (n) => {
        for (const h of n.nodes.values()) {
          for (const e of h.applied) {
            const v = `${e.term}:${new TextDecoder().decode(e.data)}`;
            const prev = appliedAt.get(e.index);
            assert.ok(prev === undefined || prev === v, `seed ${seed}: index ${e.index} applied as ${prev} and ${v}`);
            appliedAt.set(e.index, v);
          }
        }
      });
      assert.ok(appliedAt.size > 10, `seed ${seed}: the scenario committed entries (${appliedAt.size})`);
      const ldr = net.leader();
      assert.ok(net.node(ldr).propose(utf8('final')).ok);
      net.settle();
      net.heartbeat();
      for (const h of net.nodes.values()) assert.ok(net.appliedData(h.id).includes('final'), `seed ${seed}: node ${h.id} caught up`);
    }
  });
});

function m(type: Message['type'], from: number, to: number, term: number, f: Parameters<typeof makeMessage>[4] = {}): Message {
  return makeMessage(type, from, to, term, f);
}

/** A follower of node 1 at term 2 holding entries (1,1) (2,1) (3,2). */
function followerWithLog() {
  const s = solo(2, [1, 2, 3], { preVote: false, checkQuorum: false });
  s.node.step(m('append', 1, 2, 2, { logIndex: 0, logTerm: 0, entries: ents([1, 1], [2, 1], [3, 2]), commit: 1 }));
  drain(s);
  return s;
}

void describe('Figure 2: RequestVote receiver', () => {
  // Proves rule 1: a vote request with a term below ours is refused (and carries our term back).
  void test('reply false if term < currentTerm', () => {
    const s = followerWithLog();
    s.node.step(m('vote', 3, 2, 1, { logIndex: 10, logTerm: 1 }));
    const [resp] = drain(s).messages;
    // Without pre-vote/check-quorum a stale vote is simply dropped; the candidate learns the term elsewhere.
    assert.equal(resp, undefined);
    assert.equal(s.node.status().vote, 0);
  });

  // Proves rule 2: grant if we have not voted (or voted for this candidate) and its log is at least as up to date; refuse otherwise.
  void test('grant only to an up-to-date candidate, once per term', () => {
    const s = followerWithLog();
    s.node.step(m('vote', 3, 2, 3, { logIndex: 2, logTerm: 2 })); // shorter log at same last term
    let [resp] = drain(s).messages;
    assert.equal(resp?.type, 'vote-resp');
    assert.equal(resp?.reject, true);
    s.node.step(m('vote', 3, 2, 3, { logIndex: 3, logTerm: 2 }));
    [resp] = drain(s).messages;
    assert.equal(resp?.reject, false);
    assert.equal(s.storage.initialState().hardState.vote, 3, 'the vote is persisted in the same Ready as the response');
    s.node.step(m('vote', 1, 2, 3, { logIndex: 9, logTerm: 3 }));
    [resp] = drain(s).messages;
    assert.equal(resp?.reject, true, 'second candidate in the same term is refused');
    s.node.step(m('vote', 3, 2, 3, { logIndex: 3, logTerm: 2 }));
    [resp] = drain(s).messages;
    assert.equal(resp?.reject, false, 'a repeated request from the same candidate is granted again');
  });
});

void describe('Figure 2: AppendEntries receiver', () => {
  // Proves rule 1: an append from a stale term is refused; the answer carries our newer term.
  void test('reply false if term < currentTerm', () => {
    const s = solo(2, [1, 2, 3]);
    s.node.step(m('append', 1, 2, 5, { entries: ents([1, 5]) }));
    drain(s);
    s.node.step(m('append', 3, 2, 4, { logIndex: 1, logTerm: 5, entries: ents([2, 4]) }));
    const [resp] = drain(s).messages;
    assert.equal(resp?.type, 'append-resp');
    assert.equal(resp?.term, 5);
    assert.equal(s.node.status().lastIndex, 1);
  });

  // Proves rule 2: refuse when the log has no entry at prevLogIndex with prevLogTerm, with a hint to back off.
  void test('reply false if log does not match prevLogIndex/prevLogTerm', () => {
    const s = followerWithLog();
    s.node.step(m('append', 1, 2, 2, { logIndex: 3, logTerm: 3, entries: ents([4, 3]) }));
    const [resp] = drain(s).messages;
    assert.equal(resp?.reject, true);
    assert.equal(resp?.index, 3);
    assert.ok(resp.rejectHint <= 3);
    s.node.step(m('append', 1, 2, 2, { logIndex: 7, logTerm: 2 }));
    const [resp2] = drain(s).messages;
    assert.equal(resp2?.reject, true);
    assert.equal(resp2?.rejectHint, 3, 'hint is our last index when the leader probes past it');
  });

  // Proves rule 3: a conflicting entry and everything after it are deleted (in memory and in storage).
  void test('delete a conflicting entry and all that follow', () => {
    const s = followerWithLog();
    s.node.step(m('append', 1, 2, 3, { logIndex: 1, logTerm: 1, entries: ents([2, 3]), commit: 1 }));
    drain(s);
    assert.equal(s.storage.lastIndex(), 2);
    assert.equal(s.storage.term(2), 3);
  });

  // Proves rule 4: new entries not already in the log are appended, existing matching ones kept.
  void test('append any new entries', () => {
    const s = followerWithLog();
    s.node.step(m('append', 1, 2, 2, { logIndex: 1, logTerm: 1, entries: ents([2, 1], [3, 2], [4, 2]) }));
    const { messages } = drain(s);
    assert.equal(messages[0]?.index, 4);
    assert.deepEqual([1, 2, 3, 4].map((i) => s.storage.term(i)), [1, 1, 2, 2]);
  });

  // Proves rule 5: commitIndex = min(leaderCommit, index of last new entry), and committed entries are applied.
  void test('commit = min(leaderCommit, last new entry)', () => {
    const s = followerWithLog();
    assert.equal(s.node.status().commit, 1);
    s.node.step(m('append', 1, 2, 2, { logIndex: 1, logTerm: 1, entries: ents([2, 1]), commit: 3 }));
    const { committed } = drain(s);
    assert.equal(s.node.status().commit, 2, 'capped at the last new entry (2), not the leader commit (3)');
    assert.deepEqual(committed.map((e) => e.index), [2]);
  });
});

void describe('Figure 2: rules for servers', () => {
  // Proves "all servers: if RPC term T > currentTerm, set currentTerm = T and convert to follower" (a leader steps down).
  void test('a higher term converts a leader to follower', () => {
    const net = electedNetwork([1, 2, 3], 1, { preVote: false, checkQuorum: false });
    const leader = net.node(1);
    leader.step(m('append-resp', 2, 1, 9, {}));
    const st = leader.status();
    assert.equal(st.role, 'follower');
    assert.equal(st.term, 9);
  });

  // Proves "followers: if the election timeout elapses without hearing from a leader, become candidate" within [et, 2*et) ticks.
  void test('follower times out into an election within [electionTicks, 2*electionTicks)', () => {
    for (let id = 1; id <= 20; id++) {
      const s = solo(id, [id, 100, 101], { preVote: false });
      let ticks = 0;
      while (s.node.status().role === 'follower' && ticks < 100) {
        s.node.tick();
        ticks++;
      }
      assert.ok(ticks >= 10 && ticks < 20, `node ${id} campaigned after ${ticks} ticks`);
      const st = s.node.status();
      assert.equal(st.role, 'candidate');
      assert.equal(st.term, 1, 'candidate increments its term');
      assert.equal(st.vote, id, 'and votes for itself');
      const { messages } = drain(s);
      assert.deepEqual(messages.map((x) => `${x.type}->${x.to}`).sort(), ['vote->100', 'vote->101']);
    }
  });

  // Proves "candidates: if AppendEntries is received from the new leader, convert to follower" and "election timeout: start a new election".
  void test('candidate yields to a leader of its term, and retries after a timeout', () => {
    const s = solo(1, [1, 2, 3], { preVote: false });
    s.node.campaign();
    drain(s);
    s.node.step(m('append', 2, 1, 1, {}));
    assert.equal(s.node.status().role, 'follower');
    assert.equal(s.node.status().leader, 2);
    const t = solo(1, [1, 2, 3], { preVote: false });
    t.node.campaign();
    for (let k = 0; k < 20; k++) t.node.tick();
    assert.equal(t.node.status().term, 2, 'a split vote leads to a new election in a higher term');
  });

  // Proves "leaders: send heartbeats on election and repeatedly during idle periods".
  void test('leader sends heartbeats every heartbeatTicks', () => {
    const net = electedNetwork([1, 2, 3], 1, { heartbeatTicks: 2, electionTicks: 10 });
    const before = net.sent.length;
    net.tick(1, 4);
    const hbs = net.sent.slice(before).filter((x) => x.type === 'heartbeat');
    assert.equal(hbs.length, 4, 'two rounds of heartbeats to two followers');
  });

  // Proves "leaders: if AppendEntries fails because of log inconsistency, decrement nextIndex and retry" and then update matchIndex.
  void test('leader backs off nextIndex on rejection and then replicates', () => {
    const net = electedNetwork([1, 2, 3], 1);
    net.isolate(3);
    for (let k = 0; k < 5; k++) net.node(1).propose(utf8(`x${k}`));
    net.settle();
    net.heal();
    net.tick(1, 1);
    const pr = net.node(1).status().progress!.get(3)!;
    assert.equal(pr.match, net.node(1).status().lastIndex);
    assert.equal(pr.state, 'replicate');
    assert.deepEqual(net.appliedData(3), ['x0', 'x1', 'x2', 'x3', 'x4']);
  });

  // Proves the commit rule: a leader does not commit an entry of an earlier term by counting replicas (Figure 8), only via a current-term entry.
  void test('leader commits only current-term entries by counting', () => {
    const storage = new MemoryStorage({ voters: [1, 2, 3], learners: [] });
    storage.append(ents([1, 1], [2, 1]));
    storage.setHardState({ term: 1, vote: 1, commit: 0 });
    const s = solo(1, [1, 2, 3], { preVote: false }, storage);
    s.node.campaign();
    drain(s);
    s.node.step(m('vote-resp', 2, 1, 2, {}));
    assert.equal(s.node.status().role, 'leader');
    drain(s);
    assert.equal(s.node.status().lastIndex, 3, 'the new leader appended its no-op');
    // A majority (1 and 2) now holds the old-term entry 2: counting must not commit it.
    s.node.step(m('append-resp', 2, 1, 2, { index: 2 }));
    drain(s);
    assert.equal(s.node.status().commit, 0, 'old-term entry not committed by a replica count');
    s.node.step(m('append-resp', 2, 1, 2, { index: 3 }));
    const { committed } = drain(s);
    assert.equal(s.node.status().commit, 3, 'committing the current-term no-op commits the old entries too');
    assert.deepEqual(committed.map((e) => e.index), [1, 2, 3]);
  });
});
