// `shoal init` to ready: wall time of the command, which returns once the new
// one-manager cluster answers on its local socket (elected, serving the API)
// and has printed the join hint. Each run: a fresh data dir and port, `init`,
// then `stop`. Median of many runs, plus the CPU the init command and its
// daemon used up to that point is not separable, so only wall time is shown.
// Usage: node dist/bench/init.js [--runs 10]
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CLI_PATH } from '../test/integration/harness.js';
import { freePort } from '../test/helpers/in-process-cluster.js';
import { arg, median, percentile } from './stats.js';

const RUNS = Number(arg('runs', '10'));

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
  try {
    for (let i = 0; i < RUNS; i++) {
      const dataDir = join(root, `n${i}`);
      const port = await freePort();
      try {
        const t0 = process.hrtime.bigint();
        cli(['--data-dir', dataDir, 'init', '--listen-addr', `127.0.0.1:${port}`]);
        wallMs.push(Number(process.hrtime.bigint() - t0) / 1e6);
        cli(['--data-dir', dataDir, 'stop']);
      } finally {
        killLeftover(dataDir);
      }
    }
    wallMs.sort((a, b) => a - b);
    console.log(
      `init: \`shoal init\` to ready (fresh data dir each run): median ${median(wallMs).toFixed(0)} ms  ` +
        `min ${wallMs[0]!.toFixed(0)} ms  p90 ${percentile(wallMs, 90).toFixed(0)} ms  (${RUNS} runs)`,
    );
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}

await main();
