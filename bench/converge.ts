// Convergence time: from `service create --replicas N` (one committed command) to all N tasks
// running, then `service scale` N → 2N until all 2N run, on 1 manager (drained) + 3 worker agents
// in one process on loopback, every task a real child process (`sleep`); then `service rm` until
// every agent stopped its tasks. Each size runs BENCH_RUNS times (default 5); medians are printed.
// N = 10, 100, 500 by default; `node dist/bench/converge.js 10 50` picks others.
import { randomBytes } from 'node:crypto';
import { WorkerCluster } from '../test/integration-workers/harness.js';
import { median, until } from './stats.js';

const sizes = process.argv.slice(2).map(Number).filter((n) => n > 0);
const replicas = sizes.length > 0 ? sizes : [10, 100, 500];
const runs = Number(process.env['BENCH_RUNS'] ?? 5);
const timeoutMs = 120_000;

const waitUntil = (cond: () => boolean, what: string): Promise<void> => until(cond, what, timeoutMs);

const c = await WorkerCluster.start(3, 1_000);
try {
  console.log(`converge: 1 manager (drained) + 3 workers in one process; medians of ${runs} runs`);
  console.log('replicas  create→all-running ms  scale N→2N ms  per-node at 2N    rm→all-stopped ms');
  let serial = 0;
  for (const n of replicas) {
    const createMs: number[] = [];
    const scaleMs: number[] = [];
    const rmMs: number[] = [];
    let spread = '';
    for (let r = 0; r < runs; r++) {
      const name = `bench${n}-${serial++}`;
      const t0 = performance.now();
      const id = await c.createService(name, n, '/bin/sleep', ['600']);
      await waitUntil(() => c.running(name).length === n, `${n} running`);
      createMs.push(performance.now() - t0);
      const t1 = performance.now();
      await c.manager.write({ op: 'service.scale', at: Date.now(), id, version: 0, taskIdSeed: randomBytes(12).toString('hex'), replicas: 2 * n });
      await waitUntil(() => c.running(name).length === 2 * n, `${2 * n} running`);
      scaleMs.push(performance.now() - t1);
      const perNode = new Map<string, number>();
      for (const t of c.running(name)) perNode.set(t.nodeId, (perNode.get(t.nodeId) ?? 0) + 1);
      spread = [...perNode.values()].sort((a, b) => a - b).join('/');
      const t2 = performance.now();
      await c.manager.write({ op: 'service.remove', at: Date.now(), id });
      await waitUntil(() => c.workers.every((w) => w.agent.assignedTaskIds().length === 0), 'agents to stop every task');
      rmMs.push(performance.now() - t2);
    }
    console.log(
      `${String(n).padStart(8)}  ${median(createMs).toFixed(0).padStart(22)}  ${median(scaleMs).toFixed(0).padStart(13)}  ${spread.padEnd(16)}  ${median(rmMs).toFixed(0).padStart(17)}`,
    );
  }
} finally {
  await c.close();
}
