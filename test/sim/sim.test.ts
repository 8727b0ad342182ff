// Proves the Raft core stays safe (election safety, log matching, leader completeness,
// state-machine safety, monotonic commit), recovers liveness once faults stop, and serves
// linearizable KV histories, across >= 1,000 seeded fault schedules on 3/5/7-node clusters
// and a few scripted scenarios; a failing seed prints the command that replays it.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { describeFailure, parseClusterSize, runSeed, sweep } from './runner.js';
import { optionsForSeed } from './options.js';
import type { Profile } from './options.js';
import type { SimResult } from './sim.js';

const env = process.env;
const replaySeed = env['SIM_SEED'];
const tracing = env['SIM_TRACE'] === '1';
const replayProfile = parseProfile(env['SIM_PROFILE']);

function parseProfile(s: string | undefined): Profile {
  if (s === undefined || s === '' || s === 'default') return 'default';
  if (s === 'hostile') return 'hostile';
  throw new Error(`SIM_PROFILE must be default or hostile, got ${s}`);
}

function assertOk(r: SimResult, profile: Profile = 'default'): void {
  assert.equal(r.outcome, 'ok', describeFailure(r, profile));
}

if (replaySeed !== undefined && replaySeed !== '') {
  // Replays exactly one seed (SIM_SEED, optionally SIM_NODES), with a trace when SIM_TRACE=1.
  void test(`replay seed ${replaySeed}`, () => {
    const seed = Number(replaySeed);
    assert.ok(Number.isInteger(seed), `SIM_SEED must be an integer, got ${replaySeed}`);
    const nodes = parseClusterSize(env['SIM_NODES']);
    const trace = tracing ? (line: string) => console.log(line) : undefined;
    const { result } = runSeed({ seed, profile: replayProfile, ...(nodes ? { nodes } : {}), ...(trace ? { trace } : {}) });
    console.log(JSON.stringify({ seed: result.seed, nodes: result.nodes, profile: replayProfile, outcome: result.outcome, lin: result.lin, stats: result.stats }));
    assertOk(result, replayProfile);
  });
} else {
  void describe('seed sweep', () => {
    // Runs SIM_SEEDS (default 1000) consecutive seeds over 3/5/7 nodes and requires every one to pass.
    void test('every seed keeps the invariants, recovers and is linearizable', () => {
      const count = Number(env['SIM_SEEDS'] ?? '1000');
      assert.ok(Number.isInteger(count) && count > 0, 'SIM_SEEDS must be a positive integer');
      runSweep(count, 'default');
    });

    // The same checks under the hostile profile (long runs, many crashes inside Readys,
    // 25% loss, duplicates, stragglers); a tenth as many seeds because each runs longer.
    void test('hostile profile: every seed keeps the invariants, recovers and is linearizable', () => {
      const count = Math.max(1, Math.round(Number(env['SIM_SEEDS'] ?? '1000') / 10));
      runSweep(count, 'hostile');
    });
  });

  void describe('scenarios', () => {
    // Isolates the leader of a 5-node cluster: the majority must elect a new leader in a higher
    // term while the old one is cut off, and the run must end healthy after the heal.
    void test('partitioned leader is replaced and the cluster recovers', () => {
      let isolated = 0;
      let isolatedTerm = 0;
      let replacedTerm = 0;
      const { result } = runSeed({
        seed: 101, nodes: 5, randomFaults: false,
        overrides: { faultTicks: 400, membershipChance: 0 },
        script: (sim, now) => {
          if (now === 100) {
            const leader = sim.leader();
            assert.ok(leader, 'a leader exists before the partition');
            isolated = leader.id;
            isolatedTerm = leader.term;
            sim.network.partition([isolated], [...sim.nodes.keys()].filter((id) => id !== isolated));
          }
          if (now > 100 && now < 300) {
            const l = sim.leader();
            if (l && l.id !== isolated && l.term > isolatedTerm) replacedTerm = l.term;
          }
          if (now === 300) sim.heal();
        },
      });
      assertOk(result);
      assert.ok(replacedTerm > isolatedTerm, `a new leader took over in a higher term (isolated ${isolated} in term ${isolatedTerm})`);
    });

    // Cuts one follower off for longer than many election timeouts. With pre-vote its term must
    // not grow, and on rejoining it must not depose the leader.
    void test('a rejoining stale follower with pre-vote does not disrupt the leader', () => {
      let stale = 0;
      let staleTerm = 0;
      let leaderId = 0;
      let leaderTerm = 0;
      const { result } = runSeed({
        seed: 202, nodes: 3, randomFaults: false,
        overrides: { faultTicks: 450, membershipChance: 0, transferChance: 0, node: { ...optionsForSeed(202, 3).node, preVote: true, checkQuorum: true } },
        script: (sim, now) => {
          if (now === 100) {
            const leader = sim.leader();
            assert.ok(leader, 'a leader exists before the partition');
            leaderId = leader.id;
            leaderTerm = leader.term;
            const follower = [...sim.nodes.values()].find((n) => n.id !== leader.id && n.up)!;
            stale = follower.id;
            staleTerm = follower.term;
            sim.network.partition([stale], [...sim.nodes.keys()].filter((id) => id !== stale));
          }
          if (now === 350) {
            assert.equal(sim.nodes.get(stale)!.term, staleTerm, 'pre-vote kept the isolated node term unchanged');
            sim.heal();
          }
          if (now > 350) {
            const l = sim.leader();
            assert.ok(l && l.id === leaderId && l.term === leaderTerm, `leader ${leaderId} (term ${leaderTerm}) kept leading after node ${stale} rejoined`);
          }
        },
      });
      assertOk(result);
    });

    // Partitions two nodes of five away and runs membership changes (add learner, promote,
    // remove) on the majority side; after the heal all must converge safely.
    void test('membership changes during a partition', () => {
      let changesDuringPartition = 0;
      let before = 0;
      const { result, sim } = runSeed({
        seed: 303, nodes: 5, randomFaults: false,
        overrides: { faultTicks: 600, membershipChance: 0.2 },
        script: (s, now) => {
          if (now === 50) {
            const leader = s.leader();
            const others = [...s.nodes.keys()].filter((id) => id !== leader?.id);
            s.network.partition(others.slice(0, 2), [...s.nodes.keys()].filter((id) => !others.slice(0, 2).includes(id)));
            before = s.stats.confChangesApplied;
          }
          if (now === 450) {
            changesDuringPartition = s.stats.confChangesApplied - before;
            s.heal();
          }
        },
      });
      assertOk(result);
      assert.ok(changesDuringPartition > 0, 'conf changes were applied while partitioned');
      assert.ok(sim.nodes.size > 5, 'a new server joined');
    });

    // Heavy message loss with frequent leadership transfers: transfers must happen and the run
    // must stay safe and recover.
    void test('leadership transfers during message drops', () => {
      for (const seed of [404, 405, 406]) {
        const base = optionsForSeed(seed, 5);
        const { result } = runSeed({
          seed, nodes: 5, randomFaults: true,
          overrides: {
            network: { ...base.network, dropChance: 0.2 },
            transferChance: 0.05, crashChance: 0, partitionChance: 0,
          },
        });
        assertOk(result);
        assert.ok(result.stats.transfers > 3, `seed ${seed}: transfers were attempted (${result.stats.transfers})`);
        assert.ok(result.stats.leaders > 1, `seed ${seed}: leadership moved (${result.stats.leaders} leaders)`);
      }
    });
  });

  void describe('determinism', () => {
    // Runs the same seeds twice and compares every counter and the whole client history:
    // a run must be a pure function of (seed, options), or replaying a failure would not work.
    void test('the same seed gives the same run', () => {
      for (const seed of [11, 12, 13]) {
        const a = runSeed({ seed, profile: 'hostile' });
        const b = runSeed({ seed, profile: 'hostile' });
        assert.deepEqual(a.result, b.result);
        assert.deepEqual(a.sim.clients.history, b.sim.clients.history);
        assert.ok(a.sim.clients.history.length > 0, 'the run recorded client operations');
      }
    });
  });

  void describe('the harness can fail', () => {
    // A state machine that applies puts with a corrupted value on node 1 must be caught by the
    // snapshot comparison (state-machine safety) or by the client history check.
    void test('a corrupted apply is detected', () => {
      const { result } = runSeed({ seed: 7, nodes: 3, overrides: { node: { ...optionsForSeed(7, 3).node, bug: 'corrupt-apply', snapshotEveryEntries: 5 } } });
      assert.notEqual(result.outcome, 'ok', 'corrupted apply went unnoticed');
      assert.ok(result.outcome === 'invariant' || result.outcome === 'linearizability', `${result.outcome}: ${result.message}`);
    });

    // Servers that answer reads from local state without ReadIndex serve stale values; the
    // client history check must reject such a history within a few seeds.
    void test('stale reads are detected by the linearizability check', () => {
      const caught: number[] = [];
      for (let seed = 1; seed <= 30 && caught.length === 0; seed++) {
        const { result } = runSeed({ seed, nodes: 5, overrides: { node: { ...optionsForSeed(seed, 5).node, bug: 'stale-reads' }, partitionChance: 0.03 } });
        if (result.outcome === 'linearizability') caught.push(seed);
      }
      assert.ok(caught.length > 0, 'stale reads were never detected');
    });

    // A disk that acknowledged entries it never made durable (the tail is lost at every
    // restart) must lead to a detected violation within a few frequent-crash seeds.
    void test('acknowledged-but-not-persisted entries are detected', () => {
      const caught: string[] = [];
      for (let seed = 1; seed <= 30 && caught.length === 0; seed++) {
        const { result } = runSeed({ seed, nodes: 3, overrides: { bug: 'lose-acked-tail', crashChance: 0.03, tornWriteChance: 0 } });
        if (result.outcome === 'invariant' || result.outcome === 'linearizability') caught.push(`seed ${seed}: ${result.message.split('\n')[0]}`);
      }
      assert.ok(caught.length > 0, 'lost acknowledged entries were never detected');
      console.log(`lose-acked-tail caught: ${caught[0]}`);
    });
  });
}


function runSweep(count: number, profile: Profile): void {
  const from = Number(env['SIM_FROM'] ?? '1');
  const s = sweep(from, count, parseClusterSize(env['SIM_NODES']), profile);
  const t = s.totals;
  console.log(`sim (${profile}): seeds ${from}..${from + count - 1}, ${s.ticks} ticks in ${(s.elapsedMs / 1000).toFixed(1)} s ` +
    `(${(s.seeds / (s.elapsedMs / 1000)).toFixed(1)} seeds/s); ${s.failures.length} failed, ${s.linUnknown} lin-check timeouts; ` +
    `crashes ${t.crashes}, torn ${t.tornWrites}, partitions ${t.partitions}, snapshots installed ${t.snapshotsInstalled}, ` +
    `conf changes applied ${t.confChangesApplied}, transfers ${t.transfers}, client ops ${t.historyOps}`);
  const shown = s.failures.slice(0, 20).map((r) => describeFailure(r, profile));
  assert.equal(s.failures.length, 0, `${s.failures.length} seeds failed:\n${shown.join('\n')}`);
}
