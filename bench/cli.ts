// How long the CLI takes to start and answer, as a user feels it: wall time of
// `shoal node ls` against a running one-manager cluster (its unix socket) and
// of `shoal --help`, each run as a fresh process, median of many runs, next to
// the floor (`node -e 0`, Node's own start). Also the CPU (user+sys) each
// command used, which a shared machine disturbs far less than wall time.
// Usage: node dist/bench/cli.js [--runs 30]
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { CLI_PATH, ProcCluster } from '../test/integration/harness.js';
import { arg, median, percentile } from './stats.js';

const RUNS = Number(arg('runs', '30'));

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

/** Runs `node ...args` `runs` times, serially; every run must exit 0. */
export function timeCommand(args: readonly string[], runs: number): CommandTiming {
  const wallMs: number[] = [];
  const cpu0 = childrenCpuMs();
  for (let i = 0; i < runs; i++) {
    const t0 = process.hrtime.bigint();
    const r = spawnSync(process.execPath, args, { encoding: 'utf8' });
    wallMs.push(Number(process.hrtime.bigint() - t0) / 1e6);
    if (r.status !== 0) throw new Error(`node ${args.join(' ')} exited ${r.status}: ${r.stderr}`);
  }
  return { wallMs: wallMs.sort((a, b) => a - b), cpuMsPerRun: (childrenCpuMs() - cpu0) / runs };
}

function report(what: string, t: CommandTiming): void {
  console.log(
    `${what.padEnd(16)} median ${median(t.wallMs).toFixed(0)} ms  min ${t.wallMs[0]!.toFixed(0)} ms  p90 ${percentile(t.wallMs, 90).toFixed(0)} ms  ` +
      `CPU ${t.cpuMsPerRun.toFixed(0)} ms/run  (${t.wallMs.length} runs)`,
  );
}

async function main(): Promise<void> {
  const c = await ProcCluster.start(1);
  try {
    const m = c.managers[0]!;
    console.log(`cli: wall time per command as a fresh process, ${RUNS} runs each, 1-manager cluster on its unix socket`);
    timeCommand([CLI_PATH, '--data-dir', m.dataDir, 'node', 'ls'], 3); // warm the page cache
    report('node -e 0', timeCommand(['-e', '0'], RUNS));
    report('shoal node ls', timeCommand([CLI_PATH, '--data-dir', m.dataDir, 'node', 'ls'], RUNS));
    report('shoal --help', timeCommand([CLI_PATH, '--help'], RUNS));
    report('shoal node --help', timeCommand([CLI_PATH, 'node', '--help'], RUNS));
  } finally {
    await c.close();
  }
}

await main();
