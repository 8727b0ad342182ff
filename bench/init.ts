// `shoal init` to ready: wall time of the command, which returns once the new
// one-manager cluster answers on its local socket (elected, serving the API)
// and has printed the join hint. Each run: a fresh data dir and port, `init`,
// then `stop`. Median of many runs. Also the CPU (user+sys) that the init
// command and its daemon had used by then: on a shared machine wall time
// mostly measures the neighbours; CPU time is what this code costs.
// Usage: node dist/bench/init.js [--runs 10]
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CLI_PATH } from '../test/integration/harness.js';
import { freePort } from '../test/helpers/in-process-cluster.js';
import { arg, median, percentile } from './stats.js';

const RUNS = Number(arg('runs', '10'));

/** user+sys CPU ms of a process (self: this process's waited-for children) from /proc, 10 ms ticks. */
function cpuMs(pid: number | 'self', children = false): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const [u, s] = children ? [13, 14] : [11, 12];
  return (Number(fields[u]) + Number(fields[s])) * 10;
}

function daemonPid(dataDir: string): number {
  return Number(readFileSync(join(dataDir, 'shoal.pid'), 'utf8').split('\n')[0]);
}

function cli(args: readonly string[]): void {
  const r = spawnSync(process.execPath, [CLI_PATH, ...args], { encoding: 'utf8' });
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

async function main(): Promise<void> {
  const root = mkdtempSync(join(tmpdir(), 'shoal-init-bench-'));
  const wallMs: number[] = [];
  const cpu: number[] = [];
  try {
    for (let i = 0; i < RUNS; i++) {
      const dataDir = join(root, `n${i}`);
      const port = await freePort();
      try {
        const cpu0 = cpuMs('self', true);
        const t0 = process.hrtime.bigint();
        cli(['--data-dir', dataDir, 'init', '--listen-addr', `127.0.0.1:${port}`]);
        wallMs.push(Number(process.hrtime.bigint() - t0) / 1e6);
        cpu.push(cpuMs('self', true) - cpu0 + cpuMs(daemonPid(dataDir)));
        cli(['--data-dir', dataDir, 'stop']);
      } finally {
        killLeftover(dataDir);
      }
    }
    wallMs.sort((a, b) => a - b);
    console.log(
      `init: \`shoal init\` to ready (fresh data dir each run): median ${median(wallMs).toFixed(0)} ms  ` +
        `min ${wallMs[0]!.toFixed(0)} ms  p90 ${percentile(wallMs, 90).toFixed(0)} ms  (${RUNS} runs); ` +
        `CPU of the command and its daemon until ready: median ${median(cpu).toFixed(0)} ms`,
    );
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}

await main();
