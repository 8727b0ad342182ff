// The scheduler alone, in memory: one scheduleBatch call placing 10,000 tasks on 1,000 nodes and
// 100,000 tasks on 5,000 nodes, each without and with constraints (the constrained cases also
// use a zone spread preference, reservations and a per-node limit on some services). Services
// have 100 tasks each. A last, informative case shows the worst shape for this design: every
// task its own service (one group per task). Prints wall time, tasks/s, and memory (RSS, and
// heap used before/after the batch). Targets: <= 1 s for 10k x 1k, <= 15 s for 100k x 5k.
import { scheduleBatch } from '../src/scheduler/scheduler.js';
import { AssignmentState } from '../src/scheduler/state.js';
import type { SchedNode, SchedTask } from '../src/scheduler/types.js';

const GiB = 1024 ** 3;
const MiB = 1024 ** 2;
const CPU = 1e9;

interface Case {
  readonly name: string;
  readonly nodes: number;
  readonly tasks: number;
  readonly tasksPerService: number;
  readonly constrained: boolean;
  readonly targetMs: number;
}

const cases: readonly Case[] = [
  { name: '10k x 1k', nodes: 1_000, tasks: 10_000, tasksPerService: 100, constrained: false, targetMs: 1_000 },
  { name: '10k x 1k constrained', nodes: 1_000, tasks: 10_000, tasksPerService: 100, constrained: true, targetMs: 1_000 },
  { name: '100k x 5k', nodes: 5_000, tasks: 100_000, tasksPerService: 100, constrained: false, targetMs: 15_000 },
  { name: '100k x 5k constrained', nodes: 5_000, tasks: 100_000, tasksPerService: 100, constrained: true, targetMs: 15_000 },
  { name: '10k x 1k, 1 task/service', nodes: 1_000, tasks: 10_000, tasksPerService: 1, constrained: true, targetMs: 1_000 },
];

function makeNodes(count: number): SchedNode[] {
  return Array.from({ length: count }, (_, i) => ({
    id: `node-${String(i).padStart(6, '0')}`,
    hostname: `host-${i}`,
    role: i % 50 === 0 ? 'manager' : 'worker',
    // A few nodes are not available, so the availability filter has work to do.
    status: i % 97 === 0 ? 'down' : 'ready',
    availability: i % 89 === 0 ? 'drain' : 'active',
    labels: { zone: `zone-${i % 3}`, rack: `rack-${i % 20}`, disk: i % 2 === 0 ? 'ssd' : 'hdd' },
    platform: { os: 'linux', arch: i % 10 === 0 ? 'arm64' : 'x64' },
    capacity: { nanoCpus: 16 * CPU, memoryBytes: 64 * GiB },
  }));
}

function makeTasks(c: Case): SchedTask[] {
  const out: SchedTask[] = [];
  for (let i = 0; i < c.tasks; i++) {
    const s = Math.floor(i / c.tasksPerService);
    const constrained = c.constrained && s % 2 === 0;
    out.push({
      id: `task-${String(i).padStart(7, '0')}`,
      serviceId: `svc-${String(s).padStart(6, '0')}`,
      slot: (i % c.tasksPerService) + 1,
      constraints: constrained ? ['node.role==worker', 'node.labels.disk==ssd', 'node.platform.arch!=arm64'] : [],
      reservations: c.constrained ? { nanoCpus: CPU / 10, memoryBytes: 128 * MiB } : { nanoCpus: 0, memoryBytes: 0 },
      maxReplicasPerNode: constrained ? 2 : 0,
      placementPrefs: c.constrained && s % 4 === 0 ? ['spread=node.labels.zone'] : [],
    });
  }
  return out;
}

function mib(bytes: number): string {
  return `${(bytes / MiB).toFixed(0)}MiB`;
}

/** Each case runs this many times on fresh state; the first run includes JIT warm-up. */
const runsPerCase = 3;

function run(c: Case): void {
  const nodes = makeNodes(c.nodes);
  const tasks = makeTasks(c);
  const times: number[] = [];
  let line = '';
  for (let i = 0; i < runsPerCase; i++) {
    const state = new AssignmentState();
    const heapBefore = process.memoryUsage().heapUsed;
    const t0 = process.hrtime.bigint();
    const r = scheduleBatch(tasks, nodes, state);
    times.push(Number(process.hrtime.bigint() - t0) / 1e6);
    const mem = process.memoryUsage();
    if (r.placements.size + r.pending.size !== tasks.length) throw new Error(`${c.name}: lost tasks`);
    line = `placed ${r.placements.size} pending ${r.pending.size}  rss ${mib(mem.rss)}  heap ${mib(heapBefore)} -> ${mib(mem.heapUsed)}`;
  }
  const worst = Math.max(...times);
  const best = Math.min(...times);
  const verdict = worst <= c.targetMs ? 'ok' : 'ABOVE TARGET';
  console.log(
    `${c.name.padEnd(26)} first ${times[0]?.toFixed(0).padStart(5)} ms  best ${best.toFixed(0).padStart(5)} ms  `
    + `${Math.round(tasks.length / (best / 1000)).toLocaleString('en-US').padStart(9)} tasks/s  ${line}  target ${c.targetMs} ms: ${verdict}`,
  );
}

console.log(`scheduler benchmark, node ${process.version}`);
for (const c of cases) run(c);
console.log(`max RSS ${mib(process.resourceUsage().maxRSS * 1024)}`);
