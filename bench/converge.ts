// Convergence time: from `service create --replicas N` (one committed command) to all N tasks
// running, on 1 manager (drained) + 3 worker agents in one process on loopback, every task a
// real child process (`sleep`). Also the time for `service rm` until every agent stopped its
// tasks. N = 10, 100, 500 by default; `node dist/bench/converge.js 10 50` picks others.
import { WorkerCluster } from '../test/integration-workers/harness.js';

const sizes = process.argv.slice(2).map(Number).filter((n) => n > 0);
const replicas = sizes.length > 0 ? sizes : [10, 100, 500];
const timeoutMs = 120_000;

async function until(cond: () => boolean, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!cond()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

const c = await WorkerCluster.start(3, 1_000);
try {
  console.log('replicas  create→all-running ms  tasks/s  per-node        rm→all-stopped ms');
  for (const n of replicas) {
    const name = `bench${n}`;
    const t0 = performance.now();
    const id = await c.createService(name, n, '/bin/sleep', ['600']);
    await until(() => c.running(name).length === n, `${n} running`);
    const runMs = performance.now() - t0;
    const perNode = new Map<string, number>();
    for (const t of c.running(name)) perNode.set(t.nodeId, (perNode.get(t.nodeId) ?? 0) + 1);
    const t1 = performance.now();
    await c.manager.write({ op: 'service.remove', at: Date.now(), id });
    await until(() => c.workers.every((w) => w.agent.assignedTaskIds().length === 0), 'agents to stop every task');
    const rmMs = performance.now() - t1;
    const spread = [...perNode.values()].sort((a, b) => a - b).join('/');
    console.log(`${String(n).padStart(8)}  ${runMs.toFixed(0).padStart(22)}  ${((n * 1000) / runMs).toFixed(0).padStart(7)}  ${spread.padEnd(14)}  ${rmMs.toFixed(0).padStart(17)}`);
  }
} finally {
  await c.close();
}
