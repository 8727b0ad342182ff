// Rolling update speed: a service of N running replicas gets a new environment variable; measured
// from the committed `service.update` to the update status `completed` with all N tasks running the
// new spec. 1 manager (drained) + 3 worker agents in one process on loopback, every task a real child
// process (`sleep`). Orders and parallelism: stop-first all at once (parallelism 0), stop-first and
// start-first with parallelism N/10; monitor and delay 0, so the figure is the updater's own pace
// (placement, agents stopping and starting processes, status reports). Medians of BENCH_RUNS (3).
// N = 100, 500 by default; `node dist/bench/rollout.js 50` picks others.
import { randomBytes } from 'node:crypto';
import type { ServiceSpecRecord, UpdateConfigSpec } from '../src/manager/store/service-commands.js';
import { serviceByName } from '../src/manager/store/service-queries.js';
import { WorkerCluster } from '../test/integration-workers/harness.js';
import { median, until } from './stats.js';

const sizes = process.argv.slice(2).map(Number).filter((n) => n > 0);
const replicas = sizes.length > 0 ? sizes : [100, 500];
const runs = Number(process.env['BENCH_RUNS'] ?? 3);
const timeoutMs = 180_000;

const waitUntil = (cond: () => boolean, what: string): Promise<void> => until(cond, what, timeoutMs);
const seed = (): string => randomBytes(16).toString('hex');

const c = await WorkerCluster.start(3, 1_000);
try {
  console.log(`rollout: 1 manager (drained) + 3 workers in one process; medians of ${runs} runs`);
  console.log('replicas  order        parallelism  update→completed ms  tasks replaced/s  most running at once  process RSS MiB');
  let serial = 0;
  for (const n of replicas) {
    const tenth = Math.max(1, Math.round(n / 10));
    const configs: Partial<UpdateConfigSpec>[] = [
      { order: 'stop-first', parallelism: 0 },
      { order: 'stop-first', parallelism: tenth },
      { order: 'start-first', parallelism: tenth },
    ];
    for (const cfg of configs) {
      const times: number[] = [];
      let most = 0;
      for (let r = 0; r < runs; r++) {
        const name = `roll${n}-${serial++}`;
        const id = await c.createService(name, n, '/bin/sleep', ['600']);
        await waitUntil(() => c.running(name).length === n, `${n} running`);
        const s = serviceByName(c.manager.store.db, name);
        if (!s) throw new Error(`service ${name} vanished`);
        const spec: ServiceSpecRecord = {
          ...s.spec,
          template: { ...s.spec.template, env: [...s.spec.template.env, 'ROUND=2'] },
          updateConfig: { ...s.spec.updateConfig, delayMs: 0, monitorMs: 0, failureAction: 'pause', ...cfg },
        };
        let peak = 0;
        const sampler = setInterval(() => {
          peak = Math.max(peak, c.tasks(name).filter((t) => t.status.state === 'running').length);
        }, 20);
        const t0 = performance.now();
        await c.manager.write({ op: 'service.update', at: Date.now(), id, version: s.version, taskIdSeed: seed(), spec });
        await waitUntil(() => serviceByName(c.manager.store.db, name)?.updateStatus?.state === 'completed', 'the update to complete');
        times.push(performance.now() - t0);
        clearInterval(sampler);
        most = Math.max(most, peak);
        const updated = c.running(name).filter((t) => t.spec.env.includes('ROUND=2')).length;
        if (updated !== n) throw new Error(`completed with ${updated} of ${n} tasks on the new spec`);
        await c.manager.write({ op: 'service.remove', at: Date.now(), id });
        await waitUntil(() => c.workers.every((w) => w.agent.assignedTaskIds().length === 0), 'agents to stop every task');
      }
      const ms = median(times);
      console.log(
        `${String(n).padStart(8)}  ${String(cfg.order).padEnd(11)}  ${String(cfg.parallelism === 0 ? 'all' : cfg.parallelism).padStart(11)}  ` +
          `${ms.toFixed(0).padStart(19)}  ${((n / ms) * 1000).toFixed(0).padStart(16)}  ${String(most).padStart(20)}  ` +
          `${(process.memoryUsage().rss / 2 ** 20).toFixed(0).padStart(15)}`,
      );
    }
  }
} finally {
  await c.close();
}
