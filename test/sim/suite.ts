import type { SimCore } from './node.js';
import type { Profile } from './options.js';
import { describeFailure, runSeed } from './runner.js';
import { SCENARIOS } from './scenarios.js';
import type { Scenario } from './scenarios.js';
import type { SimResult } from './sim.js';

/**
 * The simulator part of `npm test`, defined once: sim.test.ts runs it as
 * node:test tests and the mutation script (mutants.ts) runs the same checks
 * with the same seed counts, stopping at the first failure.
 */

/** A sweep of consecutive seeds of one profile. */
export interface SweepCheck {
  readonly name: string;
  readonly profile: Profile;
  readonly count: number;
  /** What the profile is for (test names, report). */
  readonly about: string;
}

/** Seed counts of npm test; SIM_SEEDS scales the default sweep (the hostile one is a tenth of it). */
export function sweepChecks(env: NodeJS.ProcessEnv = process.env): SweepCheck[] {
  const base = Number(env['SIM_SEEDS'] ?? '1000');
  if (!Number.isInteger(base) || base < 1) throw new Error(`SIM_SEEDS must be a positive integer, got ${env['SIM_SEEDS']}`);
  const biased = Number(env['SIM_BIASED_SEEDS'] ?? '150');
  if (!Number.isInteger(biased) || biased < 1) throw new Error(`SIM_BIASED_SEEDS must be a positive integer, got ${env['SIM_BIASED_SEEDS']}`);
  return [
    { name: 'elections profile', profile: 'elections', count: biased, about: 'short partitions around elections, asymmetric links, lease reads' },
    { name: 'ready-crash profile', profile: 'ready-crash', count: biased, about: 'crashes at Ready boundaries, power failures losing unsynced writes' },
    { name: 'reorder profile', profile: 'reorder', count: biased, about: 'messages reordered across terms, one-entry appends, paused leaders' },
    { name: 'fast-election profile', profile: 'fast-election', count: biased, about: 'stream resets from crashed leaders and spurious ones from live leaders, lease reads' },
    { name: 'default profile', profile: 'default', count: base, about: 'the random mix: calm and hostile seeds, 3/5/7 servers' },
    { name: 'hostile profile', profile: 'hostile', count: Math.max(1, Math.round(base / 10)), about: 'long runs, many crashes inside Readys, 25% loss, power loss' },
  ];
}

/** One failed run of a check, with what is needed to replay it. */
export interface CheckFailure {
  readonly check: string;
  readonly seed: number;
  readonly nodes: number;
  readonly outcome: SimResult['outcome'] | 'scenario';
  /** The broken invariant, or the outcome kind ('liveness', 'linearizability', 'error', 'scenario'). */
  readonly by: string;
  readonly message: string;
  readonly replay: string;
}

function failureOf(check: string, r: SimResult, profile: Profile | null): CheckFailure {
  return {
    check, seed: r.seed, nodes: r.nodes, outcome: r.outcome, by: r.invariant ?? r.outcome,
    message: r.message.split('\n')[0]!,
    replay: profile === null ? `SIM_SCENARIO="${check}" SIM_SEED=${r.seed} SIM_TRACE=1 node --test dist/test/sim/sim.test.js` : describeFailure(r, profile),
  };
}

/** Run one scenario on its seeds; every failure (or only the first, when `stopAtFirst`). */
export function runScenario(s: Scenario, stopAtFirst: boolean, core?: SimCore): CheckFailure[] {
  const out: CheckFailure[] = [];
  for (const seed of s.seeds) {
    const { result, problems } = s.run(seed, core);
    if (result.outcome !== 'ok') out.push(failureOf(s.name, result, null));
    else if (problems.length > 0) {
      out.push({ check: s.name, seed, nodes: result.nodes, outcome: 'scenario', by: 'scenario', message: problems.join('; '), replay: `SIM_SCENARIO="${s.name}" SIM_SEED=${seed} SIM_TRACE=1 node --test dist/test/sim/sim.test.js` });
    }
    if (stopAtFirst && out.length > 0) break;
  }
  return out;
}

/** Run a sweep; every failure (or only the first, when `stopAtFirst`). */
export function runSweepCheck(c: SweepCheck, from: number, stopAtFirst: boolean, core?: SimCore): { failures: CheckFailure[]; seeds: number; linUnknown: number } {
  const failures: CheckFailure[] = [];
  let seeds = 0;
  let linUnknown = 0;
  for (let i = 0; i < c.count; i++) {
    const { result } = runSeed({ seed: from + i, profile: c.profile, ...(core ? { core } : {}) });
    seeds++;
    if (result.lin === 'unknown') linUnknown++;
    if (result.outcome !== 'ok') {
      failures.push(failureOf(c.name, result, c.profile));
      if (stopAtFirst) break;
    }
  }
  return { failures, seeds, linUnknown };
}

export { SCENARIOS };
