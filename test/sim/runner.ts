import { realCore } from './core-adapter.js';
import type { SimCore } from './node.js';
import { optionsFor, sizeForSeed } from './options.js';
import type { ClusterSize, Profile, SimOptions } from './options.js';
import { Simulation, emptyStats, replayCommand } from './sim.js';
import type { Script, SimResult, SimStats } from './sim.js';

export interface RunRequest {
  readonly seed: number;
  readonly nodes?: ClusterSize;
  /** Which option profile the seed is drawn from (default: 'default'). */
  readonly profile?: Profile;
  /** Overrides applied on top of the seed's options (scenarios, bug injection). */
  readonly overrides?: Partial<SimOptions>;
  readonly trace?: (line: string) => void;
  readonly script?: Script;
  readonly randomFaults?: boolean;
  readonly core?: SimCore;
}

/** Run one seed. Pure function of the request (apart from the trace sink it writes to). */
export function runSeed(req: RunRequest): { result: SimResult; sim: Simulation } {
  const nodes = req.nodes ?? sizeForSeed(req.seed);
  const opts: SimOptions = { ...optionsFor(req.profile ?? 'default', req.seed, nodes), ...req.overrides };
  const sim = new Simulation(opts, req.core ?? realCore, req.trace ?? null, req.script ?? null);
  if (req.randomFaults === false) sim.randomFaults = false;
  return { result: sim.run(), sim };
}

export function parseClusterSize(s: string | undefined): ClusterSize | undefined {
  if (s === undefined || s === '') return undefined;
  const n = Number(s);
  if (n !== 3 && n !== 5 && n !== 7) throw new Error(`SIM_NODES must be 3, 5 or 7, got ${s}`);
  return n;
}

export function describeFailure(r: SimResult, profile: Profile = 'default'): string {
  const where = r.stack !== null && r.outcome !== 'invariant' ? `\n  ${r.stack.split('\n').slice(1, 6).join('\n  ')}` : '';
  return `seed ${r.seed} (${r.nodes} nodes, ${profile} profile) failed: ${r.outcome}: ${r.message}${where}\n  replay: ${replayCommand(r.seed, r.nodes, profile)}`;
}

export interface SweepSummary {
  seeds: number;
  failures: SimResult[];
  linUnknown: number;
  elapsedMs: number;
  ticks: number;
  /** Sums of every run's counters: evidence that the faults and code paths were exercised. */
  totals: SimStats;
}

/** Run seeds from..from+count-1, each with its default cluster size unless `nodes` is given. */
export function sweep(
  from: number,
  count: number,
  nodes: ClusterSize | undefined,
  profile: Profile = 'default',
  /** Called after each seed; returning false stops the sweep early (time budgets). */
  onResult?: (r: SimResult, done: number) => boolean,
): SweepSummary {
  const started = performance.now();
  const failures: SimResult[] = [];
  let linUnknown = 0;
  let ticks = 0;
  const totals: SimStats = emptyStats();
  let ran = 0;
  for (let i = 0; i < count; i++) {
    const seed = from + i;
    const { result } = nodes === undefined ? runSeed({ seed, profile }) : runSeed({ seed, nodes, profile });
    if (result.outcome !== 'ok') failures.push(result);
    if (result.lin === 'unknown') linUnknown++;
    ticks += result.stats.ticks;
    for (const k of Object.keys(totals) as (keyof SimStats)[]) totals[k] += result.stats[k];
    ran++;
    if (onResult && !onResult(result, i + 1)) break;
  }
  return { seeds: ran, failures, linUnknown, elapsedMs: performance.now() - started, ticks, totals };
}
