// `shoal stack deploy` at size: a generated compose file of S services × R replicas (default
// 20 × 10; `node dist/bench/stack.js 20 10`), each task a real `/bin/sleep` process, on 1 manager
// (drained) + 3 worker agents in one process on loopback. The CLI runs as a child process, as a
// user runs it. Measured: the deploy command's own time (read, check, plan, writes), deploy →
// every task running; a redeploy with one changed service (plan: S−1 unchanged, 1 update) → its
// R tasks all replaced and running (parallelism 2, no monitor wait); the manager process's RSS.
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { WorkerCluster } from '../test/integration-workers/harness.js';
import { until } from './stats.js';

const [servicesArg, replicasArg] = process.argv.slice(2).map(Number);
const S = servicesArg && servicesArg > 0 ? servicesArg : 20;
const R = replicasArg && replicasArg > 0 ? replicasArg : 10;
const timeoutMs = 300_000;
const CLI = fileURLToPath(new URL('../bin/cli.js', import.meta.url));

function composeFile(): string {
  const lines = ['services:'];
  for (let i = 0; i < S; i++) {
    lines.push(
      `  svc${i}:`,
      '    entrypoint: ["/bin/sleep", "600"]',
      '    environment: {VERSION: "1"}',
      `    deploy: {replicas: ${R}, update_config: {parallelism: 2, monitor: 0s}, restart_policy: {delay: 100ms}}`,
    );
  }
  return lines.join('\n') + '\n';
}

function shoal(host: string, ...args: string[]): Promise<number> {
  const t0 = performance.now();
  return new Promise((resolve, reject) => {
    execFile(process.execPath, [CLI, '-H', host, ...args], { timeout: timeoutMs }, (err, _stdout, stderr) => {
      if (err) reject(new Error(`shoal ${args.join(' ')} failed: ${stderr}`));
      else resolve(performance.now() - t0);
    });
  });
}

const dir = mkdtempSync(join(tmpdir(), 'shoal-bench-stack-'));
const c = await WorkerCluster.start(3, 1_000);
try {
  const host = `unix://${c.manager.socketPath}`;
  const base = join(dir, 'compose.yml');
  const change = join(dir, 'change.yml');
  writeFileSync(base, composeFile());
  writeFileSync(change, 'services:\n  svc0:\n    environment: {VERSION: "2"}\n');
  const names = Array.from({ length: S }, (_, i) => `b_svc${i}`);
  const allRunning = (): boolean => names.every((n) => c.running(n).length === R);

  console.log(`stack: ${S} services × ${R} replicas, 1 manager (drained) + 3 workers in one process; the CLI as a child process`);
  const t0 = performance.now();
  const deployCmdMs = await shoal(host, 'stack', 'deploy', '-c', base, 'b');
  await until(allRunning, `${S * R} tasks running`, timeoutMs);
  const deployMs = performance.now() - t0;
  console.log(`deploy: command ${deployCmdMs.toFixed(0)} ms; deploy → all ${S * R} tasks running ${deployMs.toFixed(0)} ms`);

  const before = new Set(c.running('b_svc0').map((t) => t.id));
  const untouched = names.slice(1).flatMap((n) => c.running(n).map((t) => t.id)).sort().join();
  const t1 = performance.now();
  const redeployCmdMs = await shoal(host, 'stack', 'deploy', '-c', base, '-c', change, 'b');
  await until(() => {
    const now = c.running('b_svc0');
    return now.length === R && now.every((t) => !before.has(t.id));
  }, `the ${R} tasks of b_svc0 replaced`, timeoutMs);
  const redeployMs = performance.now() - t1;
  const still = names.slice(1).flatMap((n) => c.running(n).map((t) => t.id)).sort().join();
  console.log(`redeploy of 1 changed service: command ${redeployCmdMs.toFixed(0)} ms; → its ${R} tasks replaced ${redeployMs.toFixed(0)} ms; other services untouched: ${still === untouched}`);
  console.log(`RSS (manager + 3 agents): ${(process.memoryUsage().rss / 2 ** 20).toFixed(0)} MiB`);
  await shoal(host, 'stack', 'rm', 'b');
} finally {
  await c.close();
  rmSync(dir, { recursive: true, force: true });
}
