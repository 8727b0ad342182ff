// How long the CLI takes to start and answer, as a user feels it: wall time of
// `shoal node ls` against a running one-manager cluster (its unix socket) and
// of `shoal --help`, each run as a fresh process, median of many runs, next to
// the floor (`node -e 0`, Node's own start). Also the CPU (user+sys) each
// command used, which a shared machine disturbs far less than wall time.
// `shoal` is the installed command (bin/shoal.cjs: the bundled CLI with its code
// cache); `cli.js` is the unbundled build (dist/bin/cli.js) that tests and daemons
// run. The commands take turns, run by run, so load changes hit them alike.
// Usage: node dist/bench/cli.js [--runs 30] [--compare DIR/bin/cli.js] (another build's entry, A/B)
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CLI_PATH, ProcCluster } from '../test/integration/harness.js';
import { arg, median, percentile } from './stats.js';

const RUNS = Number(arg('runs', '30'));
const COMPARE = arg('compare', '');
/** The package's bin: what `shoal` runs once installed (npm link). */
const SHOAL_BIN = join(dirname(fileURLToPath(import.meta.url)), '../../bin/shoal.cjs');

/** user+sys CPU ms of this process's waited-for children so far (cutime+cstime, 10 ms ticks). */
function childrenCpuMs(): number {
  const stat = readFileSync('/proc/self/stat', 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[13]) + Number(fields[14])) * 10;
}

export interface CommandTiming {
  readonly wallMs: number[];
  readonly cpuMsPerRun: number;
}

interface Command {
  readonly what: string;
  readonly args: readonly string[];
  readonly wallMs: number[];
  cpuMs: number;
}

/** Runs each command once per round, in turn, `runs` rounds; every run must exit 0. */
export function timeInTurns(commands: readonly { what: string; args: readonly string[] }[], runs: number): Map<string, CommandTiming> {
  const state: Command[] = commands.map((c) => ({ ...c, wallMs: [], cpuMs: 0 }));
  for (let i = 0; i < runs; i++) {
    for (const c of state) {
      const cpu0 = childrenCpuMs();
      const t0 = process.hrtime.bigint();
      const r = spawnSync(process.execPath, c.args, { encoding: 'utf8' });
      c.wallMs.push(Number(process.hrtime.bigint() - t0) / 1e6);
      c.cpuMs += childrenCpuMs() - cpu0;
      if (r.status !== 0) throw new Error(`node ${c.args.join(' ')} exited ${r.status}: ${r.stderr}`);
    }
  }
  return new Map(state.map((c) => [c.what, { wallMs: c.wallMs.sort((a, b) => a - b), cpuMsPerRun: c.cpuMs / runs }]));
}

function report(what: string, t: CommandTiming): void {
  console.log(
    `${what.padEnd(28)} median ${median(t.wallMs).toFixed(0)} ms  min ${t.wallMs[0]!.toFixed(0)} ms  p90 ${percentile(t.wallMs, 90).toFixed(0)} ms  ` +
      `CPU ${t.cpuMsPerRun.toFixed(0)} ms/run  (${t.wallMs.length} runs)`,
  );
}

async function main(): Promise<void> {
  const c = await ProcCluster.start(1);
  try {
    const m = c.managers[0]!;
    const ls = ['--data-dir', m.dataDir, 'node', 'ls'];
    console.log(`cli: wall time per command as a fresh process, ${RUNS} runs each in turns, 1-manager cluster on its unix socket`);
    // Warm the page cache, and let the code cache be written for each command word.
    timeInTurns([{ what: 'warm', args: [SHOAL_BIN, ...ls] }, { what: 'warm help', args: [SHOAL_BIN, '--help'] }, { what: 'warm cli.js', args: [CLI_PATH, ...ls] }], 2);
    const commands = [
      { what: 'node -e 0', args: ['-e', '0'] },
      { what: 'shoal node ls', args: [SHOAL_BIN, ...ls] },
      { what: 'cli.js node ls', args: [CLI_PATH, ...ls] },
      ...(COMPARE ? [{ what: 'compare node ls', args: [COMPARE, ...ls] }] : []),
      { what: 'shoal --help', args: [SHOAL_BIN, '--help'] },
      { what: 'shoal node --help', args: [SHOAL_BIN, 'node', '--help'] },
      { what: 'cli.js --help', args: [CLI_PATH, '--help'] },
    ];
    const load0 = loadavg()[0]!;
    const timings = timeInTurns(commands, RUNS);
    for (const [what, t] of timings) report(what, t);
    console.log(`load average ${load0.toFixed(1)} before, ${loadavg()[0]!.toFixed(1)} after`);
  } finally {
    await c.close();
  }
}

await main();
