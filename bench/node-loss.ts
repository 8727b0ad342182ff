// Node loss with real daemons and default settings: one manager (drained, so it runs nothing) and
// N worker daemons started by the CLI, a service of R replicas spread over them. Each round loses
// one worker, in turn:
//   kill — its daemon killed with SIGKILL (its task processes live on in their own process groups);
//   stop — its daemon frozen with SIGSTOP (a hung or cut-off worker: its connection stays open).
// and times, from the signal, until the manager marks the node down and until all R replicas run
// again on the other workers. The worker is then restarted (`shoal start`) or resumed (SIGCONT)
// and the cluster left to settle before the next round. At the end it counts the manager's
// node-marked-down log lines: one per round is right; more would be a live node wrongly marked down.
// Usage: node dist/bench/node-loss.js [--rounds 3] [--workers 3] [--replicas 6] [--variants kill,stop]
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Api } from '../bin/client.js';
import { ServiceApi } from '../bin/service-api.js';
import { freePort } from '../test/helpers/in-process-cluster.js';
import { runCli } from '../test/integration/harness.js';
import { killStoredTasks } from '../test/helpers/task-cleanup.js';
import { arg, median } from './stats.js';

const ROUNDS = Number(arg('rounds', '3'));
const WORKERS = Number(arg('workers', '3'));
const REPLICAS = Number(arg('replicas', '6'));
const VARIANTS = arg('variants', 'kill,stop').split(',') as ('kill' | 'stop')[];
const POLL_MS = 50;
const ROUND_TIMEOUT_MS = 60_000;

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

async function cli(dataDir: string, ...args: string[]): Promise<string> {
  const r = await runCli(['--data-dir', dataDir, ...args]);
  if (r.code !== 0) throw new Error(`shoal ${args.join(' ')}: ${r.stderr}`);
  return r.stdout;
}

function pidOf(dataDir: string): number {
  return Number(readFileSync(join(dataDir, 'shoal.pid'), 'utf8').split('\n')[0]);
}

interface Round {
  variant: 'kill' | 'stop';
  victim: string;
  downMs: number;
  elsewhereMs: number;
}

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'shoal-node-loss-'));
  const m1 = join(dir, 'm1');
  const names = Array.from({ length: WORKERS }, (_, i) => `w${i + 1}`);
  const api = new Api(`unix://${join(m1, 'shoal.sock')}`);
  const svc = new ServiceApi(api);
  const rounds: Round[] = [];
  try {
    const port = await freePort();
    await cli(m1, 'init', '--listen-addr', `127.0.0.1:${port}`, '--hostname', 'm1');
    await cli(m1, 'node', 'update', '--availability', 'drain', 'm1');
    const token = (await cli(m1, 'join-token', 'worker', '-q')).trim();
    for (const w of names) await cli(join(dir, w), 'join', '--token', token, '--listen-addr', `127.0.0.1:${await freePort()}`, '--hostname', w, `127.0.0.1:${port}`);
    const nodeIds = new Map<string, string>();
    const nodes = async (): Promise<{ hostname: string; id: string; status: string }[]> => (await api.listNodes()).nodes;
    const running = async (): Promise<{ nodeId: string }[]> =>
      (await svc.listTasks({})).tasks.filter((t) => t.desiredState === 'TASK_STATE_RUNNING' && t.status?.state === 'TASK_STATE_RUNNING');
    const settle = async (what: string): Promise<void> => {
      const deadline = Date.now() + ROUND_TIMEOUT_MS;
      for (;;) {
        const ns = await nodes();
        const workersReady = names.every((w) => ns.find((n) => n.hostname === w)?.status === 'NODE_STATUS_READY');
        if (workersReady && (await running()).length === REPLICAS) {
          for (const n of ns) nodeIds.set(n.hostname, n.id);
          return;
        }
        if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
        await sleep(200);
      }
    };
    await svc.createService({ spec: { name: 'web', replicas: REPLICAS, taskTemplate: { command: '/bin/sh', args: ['-c', 'exec sleep 3600'] } } });
    await settle('the service to run on every worker');
    process.stderr.write(`  … ${REPLICAS} replicas running on ${WORKERS} workers\n`);
    let turn = 0;
    for (let r = 0; r < ROUNDS; r++) {
      for (const variant of VARIANTS) {
        // A victim that runs some of the tasks (the spread puts replicas on every worker).
        let victim = names[turn++ % names.length]!;
        for (let k = 0; k < names.length && !(await running()).some((t) => t.nodeId === nodeIds.get(victim)); k++) victim = names[turn++ % names.length]!;
        const victimId = nodeIds.get(victim)!;
        const victimDir = join(dir, victim);
        const pid = pidOf(victimDir);
        const t0 = performance.now();
        process.kill(pid, variant === 'kill' ? 'SIGKILL' : 'SIGSTOP');
        let downMs = 0;
        for (;;) {
          const now = performance.now() - t0;
          if (now > ROUND_TIMEOUT_MS) throw new Error(`${variant} ${victim}: tasks not elsewhere after ${ROUND_TIMEOUT_MS} ms`);
          if (downMs === 0 && (await nodes()).find((n) => n.id === victimId)?.status === 'NODE_STATUS_DOWN') downMs = performance.now() - t0;
          const run = await running();
          if (run.length === REPLICAS && run.every((t) => t.nodeId !== victimId)) break;
          await sleep(POLL_MS);
        }
        const elsewhereMs = performance.now() - t0;
        rounds.push({ variant, victim, downMs, elsewhereMs });
        process.stderr.write(`  … ${variant} ${victim}: down after ${downMs.toFixed(0)} ms, tasks elsewhere after ${elsewhereMs.toFixed(0)} ms\n`);
        if (variant === 'kill') {
          killStoredTasks(victimDir); // its orphaned task processes (the restarted agent would stop them too)
          await cli(victimDir, 'start');
        } else {
          process.kill(pid, 'SIGCONT');
        }
        await settle(`${victim} to be ready again`);
        await sleep(2_000); // let its stale sessions and tasks wind down before the next loss
      }
    }
    const log = readFileSync(join(m1, 'shoal.log'), 'utf8');
    const downLines = log.split('\n').filter((l) => l.includes('node-marked-down')).length;
    console.log(`node-loss: 1 manager (drained), ${WORKERS} worker daemons, ${REPLICAS} replicas, default settings (heartbeat and grace as \`shoal init\` sets them)`);
    for (const v of VARIANTS) {
      const rs = rounds.filter((x) => x.variant === v);
      const what = v === 'kill' ? 'worker killed (SIGKILL)' : 'worker frozen (SIGSTOP)';
      console.log(
        `  ${what}: node down median ${(median(rs.map((x) => x.downMs)) / 1000).toFixed(2)} s, tasks running elsewhere median ${(median(rs.map((x) => x.elsewhereMs)) / 1000).toFixed(2)} s` +
          ` (each: ${rs.map((x) => (x.elsewhereMs / 1000).toFixed(2)).join(', ')} s)`,
      );
    }
    console.log(`  node-marked-down lines in the manager's log: ${downLines} for ${rounds.length} losses (0 = this build does not log them)`);
  } finally {
    api.close();
    for (const w of names) {
      try {
        process.kill(pidOf(join(dir, w)), 'SIGCONT');
      } catch {
        // not running
      }
    }
    await Promise.all([m1, ...names.map((w) => join(dir, w))].map((d) => runCli(['--data-dir', d, 'stop']).catch(() => undefined)));
    for (const d of [m1, ...names.map((w) => join(dir, w))]) killStoredTasks(d);
    rmSync(dir, { recursive: true, force: true });
  }
}

await main();
