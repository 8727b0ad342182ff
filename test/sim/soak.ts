/**
 * Long simulation runs outside the test runner:
 *   node dist/test/sim/soak.js --seeds 100000 --from 1 [--nodes 3|5|7] [--profile default|hostile|elections|ready-crash|reorder|fast-election] [--budget-s 1800]
 * Prints progress, then the count, elapsed time, seeds/s and every failing
 * seed with its replay command. With --budget-s it stops after the seed that
 * crosses the time budget and reports exactly how many seeds ran.
 * Exit status 1 if any seed failed.
 */
import { describeFailure, parseClusterSize, sweep } from './runner.js';
import { parseProfile } from './options.js';
import type { Profile } from './options.js';

interface SoakArgs {
  seeds: number;
  from: number;
  nodes: ReturnType<typeof parseClusterSize>;
  profile: Profile;
  budgetS: number;
}

function parseArgs(argv: readonly string[]): SoakArgs {
  const args: SoakArgs = { seeds: 1000, from: 1, nodes: undefined, profile: 'default', budgetS: Infinity };
  for (let i = 0; i < argv.length; i += 2) {
    const flag = argv[i];
    const value = argv[i + 1];
    if (value === undefined) throw new Error(`${flag} needs a value`);
    if (flag === '--seeds') args.seeds = Number(value);
    else if (flag === '--from') args.from = Number(value);
    else if (flag === '--nodes') args.nodes = parseClusterSize(value);
    else if (flag === '--budget-s') args.budgetS = Number(value);
    else if (flag === '--profile') args.profile = parseProfile(value);
    else throw new Error(`unknown argument ${flag} ${value}`);
  }
  if (!Number.isInteger(args.seeds) || args.seeds < 1) throw new Error('--seeds must be a positive integer');
  if (!Number.isInteger(args.from)) throw new Error('--from must be an integer');
  if (!(args.budgetS > 0)) throw new Error('--budget-s must be positive');
  return args;
}

/** Progress lines at most this often, so a long soak prints a bounded amount. */
const progressEveryMs = 15_000;

function main(): number {
  const args = parseArgs(process.argv.slice(2));
  const started = Date.now();
  let lastPrint = started;
  let failed = 0;
  console.log(`soak: ${args.seeds} seeds from ${args.from}, profile ${args.profile}, nodes ${args.nodes ?? '3/5/7 by seed'}`);
  const summary = sweep(args.from, args.seeds, args.nodes, args.profile, (r, done) => {
    if (r.outcome !== 'ok') {
      failed++;
      console.log(describeFailure(r, args.profile).split('\n').slice(0, 3).join('\n'));
    }
    const now = Date.now();
    if (now - lastPrint >= progressEveryMs || done === args.seeds) {
      lastPrint = now;
      const s = (now - started) / 1000;
      console.log(`soak: ${done}/${args.seeds} seeds, ${failed} failed, ${s.toFixed(0)} s, ${(done / s).toFixed(1)} seeds/s`);
    }
    return (now - started) / 1000 < args.budgetS; // false: stop here
  });
  if (summary.seeds < args.seeds) console.log(`soak: time budget of ${args.budgetS} s reached after ${summary.seeds} seeds`);
  const secs = summary.elapsedMs / 1000;
  console.log(`soak result: ${summary.seeds} seeds (${args.from}..${args.from + summary.seeds - 1}), ${summary.failures.length} failed, ` +
    `${summary.linUnknown} lin-check timeouts, ${summary.ticks} ticks, ${secs.toFixed(1)} s, ${(summary.seeds / secs).toFixed(1)} seeds/s`);
  for (const r of summary.failures) console.log(`FAILED seed ${r.seed} nodes ${r.nodes}: ${r.outcome}`);
  return summary.failures.length === 0 ? 0 : 1;
}

process.exitCode = main();
