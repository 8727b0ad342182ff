/**
 * The simulator + checker part of `npm test`, run against whatever core this
 * build contains, stopping at the first failure:
 *   node dist/test/sim/mutant-check.js
 * Runs the scenarios, then the seed sweeps, with npm test's seed counts
 * (test/sim/suite.ts), and prints one line `MUTANT-CHECK <json>`: whether a
 * check failed, which, at which seed, and by which invariant. Used by
 * `npm run test:mutants` (test/sim/mutants.ts) inside a mutated copy of the tree.
 */
import { SCENARIOS, runScenario, runSweepCheck, sweepChecks } from './suite.js';
import type { CheckFailure } from './suite.js';

export interface MutantCheckResult {
  readonly caught: CheckFailure | null;
  /** Scenario runs and sweep seeds that ran before the first failure (or in all). */
  readonly runs: number;
  readonly seconds: number;
}

/** `--sweeps-only`: skip the scripted scenarios (to see whether the random profiles alone catch a mutant). */
const sweepsOnly = process.argv.includes('--sweeps-only');

function main(): MutantCheckResult {
  const started = performance.now();
  let runs = 0;
  const done = (caught: CheckFailure | null): MutantCheckResult => ({ caught, runs, seconds: Math.round((performance.now() - started) / 100) / 10 });
  for (const s of sweepsOnly ? [] : SCENARIOS) {
    let failure: CheckFailure | undefined;
    try {
      failure = runScenario(s, true)[0];
    } catch (e) {
      // A scenario whose script itself throws (e.g. a core that throws outside a run) is a failure too.
      failure = { check: s.name, seed: s.seeds[0]!, nodes: 0, outcome: 'error', by: 'error', message: e instanceof Error ? e.message : String(e), replay: '' };
    }
    runs += s.seeds.length;
    if (failure) return done(failure);
  }
  for (const c of sweepChecks()) {
    const r = runSweepCheck(c, 1, true);
    runs += r.seeds;
    if (r.failures.length > 0) return done(r.failures[0]!);
  }
  return done(null);
}

console.log(`MUTANT-CHECK ${JSON.stringify(main())}`);
