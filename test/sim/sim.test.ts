// Proves the Raft core stays safe (election safety, log matching, leader completeness,
// state-machine safety, monotonic commit, durable promises, read indexes), recovers liveness once
// faults stop, and serves linearizable KV histories, across >= 1,000 seeded random fault schedules
// on 3/5/7-node clusters, four fault profiles biased toward rare sequences (one for the fast
// election on a broken leader stream: crash and spurious stream resets), and scripted
// adversarial scenarios; a failing seed prints the command that replays it. The same checks, with
// the same seed counts, are what `npm run test:mutants` runs against each mutant of the core.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { parseClusterSize, runSeed } from './runner.js';
import { optionsForSeed, parseProfile } from './options.js';
import { SCENARIOS, runScenario, runSweepCheck, sweepChecks } from './suite.js';
import { traceScenarios } from './scenarios.js';
import type { CheckFailure } from './suite.js';
import type { SimResult } from './sim.js';

const env = process.env;
const replaySeed = env['SIM_SEED'];
const replayScenario = env['SIM_SCENARIO'];
const tracing = env['SIM_TRACE'] === '1';
const trace = tracing ? (line: string) => console.log(line) : undefined;

function report(failures: readonly CheckFailure[]): string {
  return failures.slice(0, 20).map((f) => `${f.check}: seed ${f.seed} (${f.nodes} nodes) failed by ${f.by}: ${f.message}\n  replay: ${f.replay}`).join('\n');
}

/** The run's outcome without the stack trace (which may differ between two runs of one seed). */
function outcomeOf(r: SimResult): Omit<SimResult, 'stack'> {
  const { stack: _stack, ...rest } = r;
  return rest;
}

if (replayScenario !== undefined && replayScenario !== '') {
  // Replays one scenario (SIM_SCENARIO = its name), on SIM_SEED or on all its seeds.
  void test(`replay scenario ${replayScenario}`, () => {
    const s = SCENARIOS.find((x) => x.name === replayScenario);
    assert.ok(s, `no scenario named "${replayScenario}"; known: ${SCENARIOS.map((x) => x.name).join(' | ')}`);
    const seeds = replaySeed ? [Number(replaySeed)] : s.seeds;
    traceScenarios(trace);
    const failures = runScenario({ ...s, seeds, run: s.run.bind(s) }, false);
    assert.equal(failures.length, 0, report(failures));
  });
} else if (replaySeed !== undefined && replaySeed !== '') {
  // Replays exactly one seed (SIM_SEED, optionally SIM_NODES and SIM_PROFILE), with a trace when SIM_TRACE=1.
  void test(`replay seed ${replaySeed}`, () => {
    const seed = Number(replaySeed);
    assert.ok(Number.isInteger(seed), `SIM_SEED must be an integer, got ${replaySeed}`);
    const profile = parseProfile(env['SIM_PROFILE']);
    const nodes = parseClusterSize(env['SIM_NODES']);
    const { result } = runSeed({ seed, profile, ...(nodes ? { nodes } : {}), ...(trace ? { trace } : {}) });
    console.log(JSON.stringify({ seed: result.seed, nodes: result.nodes, profile, outcome: result.outcome, invariant: result.invariant, lin: result.lin, stats: result.stats }));
    assert.equal(result.outcome, 'ok', `${result.outcome}: ${result.message}\n${result.stack ?? ''}`);
  });
} else {
  void describe('seed sweeps', () => {
    for (const c of sweepChecks()) {
      // Runs c.count consecutive seeds of the profile (from SIM_FROM, default 1) and requires every one to pass.
      void test(`${c.name} (${c.count} seeds: ${c.about}): every seed keeps the invariants, recovers and is linearizable`, () => {
        const from = Number(env['SIM_FROM'] ?? '1');
        const started = performance.now();
        const r = runSweepCheck(c, from, false);
        console.log(`sim ${c.name}: seeds ${from}..${from + c.count - 1} in ${((performance.now() - started) / 1000).toFixed(1)} s; ${r.failures.length} failed, ${r.linUnknown} lin-check timeouts`);
        assert.equal(r.failures.length, 0, `${r.failures.length} seeds failed:\n${report(r.failures)}`);
      });
    }
  });

  void describe('scenarios', () => {
    for (const s of SCENARIOS) {
      // Each scenario's comment (test/sim/scenarios.ts) says what it drives; a pass proves s.proves.
      void test(`${s.name} — ${s.proves}`, () => {
        const failures = runScenario(s, false);
        assert.equal(failures.length, 0, report(failures));
      });
    }
  });

  void describe('determinism', () => {
    // Runs the same seeds twice and compares the outcomes (not stack traces), every counter and the
    // whole client history: a run must be a pure function of (seed, options), or replaying a failure
    // would not work. Seeds of every profile.
    void test('the same seed gives the same run', () => {
      for (const profile of ['hostile', 'elections', 'ready-crash', 'reorder', 'fast-election'] as const) {
        for (const seed of [11, 12, 13]) {
          const a = runSeed({ seed, profile });
          const b = runSeed({ seed, profile });
          assert.deepEqual(outcomeOf(a.result), outcomeOf(b.result), `${profile} seed ${seed}`);
          assert.deepEqual(a.sim.clients.history, b.sim.clients.history);
          assert.ok(a.sim.clients.history.length > 0, 'the run recorded client operations');
        }
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
