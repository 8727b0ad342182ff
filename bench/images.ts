// Image services: from one committed `service create --image` of N replicas to all N running
// (each a real Docker container started through the Engine API), and from `service rm` to every
// container removed. 1 manager (drained) + 2 worker agents in one process, sharing the machine's
// Docker Engine; the image is the offline test image (shoal-test/busybox:1). Medians of
// BENCH_RUNS runs (default 3); N = 20 and 50 by default, `node dist/bench/images.js 10 30` picks others.
import { dockerForTests, removeContainersUnder, containersUnder, TEST_IMAGE } from '../test/helpers/docker.js';
import { WorkerCluster } from '../test/integration-workers/harness.js';
import type { ServiceSpecRecord } from '../src/manager/store/service-commands.js';
import { newObjectId } from '../src/manager/tokens.js';
import { median, until } from './stats.js';

const sizes = process.argv.slice(2).map(Number).filter((n) => n > 0);
const replicas = sizes.length > 0 ? sizes : [20, 50];
const runs = Number(process.env['BENCH_RUNS'] ?? 3);
const timeoutMs = 300_000;

const engine = await dockerForTests();
if ('skip' in engine) {
  console.log(`images: skipped: ${engine.skip}`);
  process.exit(0);
}
const docker = engine.docker;
const version = (await docker.version()).Version;
const c = await WorkerCluster.start(0, 1_000);
try {
  for (const name of ['w1', 'w2']) await c.addWorker(name, undefined, { client: docker, version: `docker ${version}` });
  await until(() => c.workers.every((w) => w.agent.state === 'connected'), 'agents connected', 10_000);
  console.log(`images: 1 manager (drained) + 2 workers sharing Docker ${version}; medians of ${runs} runs`);
  console.log('replicas  create→all-running ms  per container ms  rm→all-removed ms');
  let serial = 0;
  for (const n of replicas) {
    const createMs: number[] = [];
    const rmMs: number[] = [];
    for (let r = 0; r < runs; r++) {
      const name = `img${n}-${serial++}`;
      const id = newObjectId();
      const spec: ServiceSpecRecord = {
        name, labels: {}, mode: 'replicated', replicas: n,
        template: {
          command: 'sh', args: ['-c', 'trap "exit 0" TERM; while true; do sleep 1; done'], env: [],
          reservations: { nanoCpus: 0, memoryBytes: 0 },
          restartPolicy: { condition: 'any', delayMs: 100, maxAttempts: 0, windowMs: 0 },
          image: TEST_IMAGE,
        },
        networks: [], placement: { constraints: [], preferences: [], maxReplicasPerNode: 0 },
        updateConfig: { parallelism: 1, delayMs: 0, order: 'stop-first', failureAction: 'pause', monitorMs: 0 }, stack: '',
      };
      const t0 = performance.now();
      await c.manager.write({ op: 'service.create', at: Date.now(), id, taskIdSeed: newObjectId() + newObjectId(), spec });
      await until(() => c.running(name).length === n, `${n} running`, timeoutMs);
      createMs.push(performance.now() - t0);
      const t1 = performance.now();
      await c.manager.write({ op: 'service.remove', at: Date.now(), id });
      const deadline = Date.now() + timeoutMs;
      while ((await containersUnder(docker, c.dir)).length > 0) {
        if (Date.now() > deadline) throw new Error('containers not removed in time');
        await new Promise((res) => setTimeout(res, 100));
      }
      rmMs.push(performance.now() - t1);
    }
    const create = median(createMs);
    console.log(`${String(n).padStart(8)}  ${create.toFixed(0).padStart(22)}  ${(create / n).toFixed(0).padStart(16)}  ${median(rmMs).toFixed(0).padStart(17)}`);
  }
  console.log(`rss ${(process.memoryUsage().rss / 2 ** 20).toFixed(0)} MiB (manager + agents, this process)`);
} finally {
  await removeContainersUnder(docker, c.dir);
  await c.close();
}
