/**
 * bench:orchestrator-reads — what the orchestrator's per-round reads cost, before and after the
 * read caches (src/manager/orchestrator-reads.ts), on one store with N nodes and S services.
 * "before" = listNodes + listServices (every row parsed each round); "after" = NodeReadCache +
 * ServiceReadCache on a round where nothing they cover changed (the common case: status flushes
 * and placements), and on a round after one service changed. Interleaved A/B in one process;
 * prints CPU µs per round (process.cpuUsage, user+sys) and wall µs. Env: NODES (1000),
 * SERVICES (200), ROUNDS (2000).
 */
import { performance } from 'node:perf_hooks';
import { loadavg } from 'node:os';
import { StoreHarness } from '../test/network/store-harness.js';
import { listNodes } from '../src/manager/store/queries.js';
import { listServices } from '../src/manager/store/service-queries.js';
import type { ServiceSpecRecord } from '../src/manager/store/service-commands.js';
import { NodeReadCache, ServiceReadCache } from '../src/manager/orchestrator-reads.js';
import { stmt } from '../src/manager/store/statements.js';
import { median } from './stats.js';

const NODES = Number(process.env['NODES'] ?? 1000);
const SERVICES = Number(process.env['SERVICES'] ?? 200);
const ROUNDS = Number(process.env['ROUNDS'] ?? 2000);

const spec = (name: string): ServiceSpecRecord => ({
  name,
  labels: { team: 'bench', tier: 'web' },
  mode: 'replicated',
  replicas: 0,
  template: {
    command: '/usr/bin/server',
    args: ['--port', '8080', '--verbose'],
    env: ['A=1', 'B=2', 'C=3'],
    reservations: { nanoCpus: 100_000_000, memoryBytes: 64 << 20 },
    restartPolicy: { condition: 'any', delayMs: 5000, maxAttempts: 0, windowMs: 0 },
  },
  networks: [],
  placement: { constraints: ['node.labels.zone==east'], preferences: [], maxReplicasPerNode: 0 },
  updateConfig: { parallelism: 1, delayMs: 0, order: 'stop-first', failureAction: 'pause', monitorMs: 5000 },
  stack: '',
});

function cpuMicros(): number {
  const u = process.cpuUsage();
  return u.user + u.system;
}

function measure(fn: () => void): { cpu: number; wall: number } {
  const c0 = cpuMicros();
  const t0 = performance.now();
  for (let i = 0; i < ROUNDS; i++) fn();
  return { cpu: (cpuMicros() - c0) / ROUNDS, wall: ((performance.now() - t0) * 1000) / ROUNDS };
}

const h = StoreHarness.open();
let at = 10;
const hash = (stmt(h.db, 'SELECT worker_token_hash AS h FROM cluster').get() as { h: string }).h;
for (let i = 0; i < NODES; i++) {
  h.applyOk({ op: 'node.join', at: at++, id: `wrk${String(i).padStart(22, '0')}`, hostname: `w${i}`, role: 'worker', addr: `10.0.${i >> 8}.${i & 255}:2377`, tokenHash: hash });
}
for (let i = 0; i < SERVICES; i++) {
  h.applyOk({ op: 'service.create', at: at++, id: `svc${String(i).padStart(22, '0')}`, taskIdSeed: `seed${String(i).padStart(16, '0')}`, spec: spec(`svc${i}`) });
}
const nodes = new NodeReadCache();
const services = new ServiceReadCache();
const before = (): void => {
  listNodes(h.db);
  listServices(h.db);
};
const after = (): void => {
  nodes.get(h.db);
  services.list(h.db);
};
let n = 0;
const afterOneChanged = (): void => {
  h.applyOk({ op: 'service.scale', at: at++, id: `svc${String(n++ % SERVICES).padStart(22, '0')}`, version: 0, taskIdSeed: `scale${String(n).padStart(15, '0')}`, replicas: 0 });
  nodes.get(h.db);
  services.list(h.db);
};
const scaleOnly = (): void => {
  h.applyOk({ op: 'service.scale', at: at++, id: `svc${String(n++ % SERVICES).padStart(22, '0')}`, version: 0, taskIdSeed: `scale${String(n).padStart(15, '0')}`, replicas: 0 });
};
after(); // warm the caches
const results: Record<string, { cpu: number; wall: number }[]> = { before: [], after: [], oneChanged: [], scaleOnly: [] };
for (let pair = 0; pair < 5; pair++) {
  results['before']!.push(measure(before));
  results['after']!.push(measure(after));
  results['scaleOnly']!.push(measure(scaleOnly));
  results['oneChanged']!.push(measure(afterOneChanged));
}
console.log(`orchestrator reads: ${NODES} nodes, ${SERVICES} services, ${ROUNDS} rounds × 5 interleaved pairs; load ${loadavg().map((x) => x.toFixed(1)).join(' ')}`);
for (const [k, v] of Object.entries(results)) {
  console.log(`  ${k.padEnd(11)} cpu ${median(v.map((r) => r.cpu)).toFixed(1)} µs/round  wall ${median(v.map((r) => r.wall)).toFixed(1)} µs/round`);
}
console.log(`  (oneChanged includes one service.scale apply; scaleOnly is that apply alone, to subtract)`);
h.close();
