// `shoal init` to ready: wall time of the command, which returns once the new
// one-manager cluster answers on its local socket (elected, serving the API)
// and has printed the join hint. Each run: a fresh data dir and port, `init`,
// then `stop`. Median of many runs. Also the CPU (user+sys) that the init
// command and its daemon had used by then: on a shared machine wall time
// mostly measures the neighbours; CPU time is what this code costs.
// The command is the installed `shoal` (bin/shoal.cjs, the bundled CLI); the
// daemon it starts runs the daemon bundle (dist/bin/shoal-daemon.cjs; with
// SHOAL_DAEMON_UNBUNDLED=1 in the environment, dist/bin/daemon.js). `--compare ENTRY` (another build's
// bin/shoal.cjs or dist/bin/cli.js) runs in turns with it, for an A/B pair.
// Usage: node dist/bench/init.js [--runs 10] [--compare ENTRY]
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { freePort } from '../test/helpers/in-process-cluster.js';
import { arg, median, percentile, procCpuMs as cpuMs } from './stats.js';

const RUNS = Number(arg('runs', '10'));
const SHOAL_BIN = join(dirname(fileURLToPath(import.meta.url)), '../../bin/shoal.cjs');
const COMPARE = arg('compare', '');

function daemonPid(dataDir: string): number {
  return Number(readFileSync(join(dataDir, 'shoal.pid'), 'utf8').split('\n')[0]);
}

function cli(entry: string, args: readonly string[]): void {
  const r = spawnSync(process.execPath, [entry, ...args], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`shoal ${args.join(' ')} exited ${r.status}: ${r.stderr}`);
}

/** SIGKILLs the daemon of `dataDir` if one is left (a failed run must not leave a process behind). */
function killLeftover(dataDir: string): void {
  try {
    const pid = Number(readFileSync(join(dataDir, 'shoal.pid'), 'utf8').split('\n')[0]);
    if (Number.isInteger(pid) && pid > 0) process.kill(pid, 'SIGKILL');
  } catch {
    // no daemon, or already gone
  }
}

interface Series {
  readonly what: string;
  readonly entry: string;
  readonly wallMs: number[];
  readonly cpuMs: number[];
}

async function main(): Promise<void> {
  const root = mkdtempSync(join(tmpdir(), 'shoal-init-bench-'));
  const series: Series[] = [{ what: 'shoal', entry: SHOAL_BIN, wallMs: [], cpuMs: [] }];
  if (COMPARE) series.push({ what: `compare (${COMPARE})`, entry: COMPARE, wallMs: [], cpuMs: [] });
  const load0 = loadavg()[0]!;
  try {
    for (let i = 0; i < RUNS; i++) {
      for (const [k, s] of series.entries()) {
        const dataDir = join(root, `n${i}-${k}`);
        const port = await freePort();
        try {
          const cpu0 = cpuMs('self', true);
          const t0 = process.hrtime.bigint();
          cli(s.entry, ['--data-dir', dataDir, 'init', '--listen-addr', `127.0.0.1:${port}`]);
          s.wallMs.push(Number(process.hrtime.bigint() - t0) / 1e6);
          s.cpuMs.push(cpuMs('self', true) - cpu0 + cpuMs(daemonPid(dataDir)));
          cli(s.entry, ['--data-dir', dataDir, 'stop']);
        } finally {
          killLeftover(dataDir);
        }
      }
    }
    for (const s of series) {
      s.wallMs.sort((a, b) => a - b);
      console.log(
        `init (${s.what}): \`shoal init\` to ready (fresh data dir each run): median ${median(s.wallMs).toFixed(0)} ms  ` +
          `min ${s.wallMs[0]!.toFixed(0)} ms  p90 ${percentile(s.wallMs, 90).toFixed(0)} ms  (${RUNS} runs); ` +
          `CPU of the command and its daemon until ready: median ${median(s.cpuMs).toFixed(0)} ms`,
      );
    }
    console.log(`load average ${load0.toFixed(1)} before, ${loadavg()[0]!.toFixed(1)} after`);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}

await main();
