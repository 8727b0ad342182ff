// Random interleavings of everything that touches a service's tasks — spec updates and rollbacks,
// scaling, stop-first and start-first replacements (from the rolling updater's plan and at random),
// shutdowns, placements, worker status reports, nodes going down and coming back, orphaning — applied
// to a real state database, with the store's invariants checked after every step:
// - no apply fails on a constraint (the code, not SQLite, must keep the rules);
// - the IPAM check passes (no address held twice, bitmap and rows agree, no endpoint without an owner);
// - a task that ended and is not wanted holds no address (a freed address returns to the pool);
// - at most one primary task per slot, and a start-first replacement always replaces a live task;
// and at the end, once every task has stopped and the services are gone, every address is free.
// Seeds: PROP_SEEDS (default 50 in npm test) from PROP_FROM (default 1), PROP_STEPS steps each
// (default 150); a failure prints its seed and step and how to replay it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { StoreHarness, NODE_ID } from '../network/store-harness.js';
import type { Command } from '../../src/manager/store/commands.js';
import type { ServiceSpecRecord, TaskState, UpdateOrder } from '../../src/manager/store/service-commands.js';
import { listServices, listTasks, serviceById, tasksOfService, type TaskRecord } from '../../src/manager/store/service-queries.js';
import { checkNetworks } from '../../src/manager/store/network-queries.js';
import { ON_NODE_STATES, TERMINAL_TASK_STATES } from '../../src/manager/store/task-commands.js';
import { planUpdate } from '../../src/manager/update-plan.js';
import { listNodes } from '../../src/manager/store/queries.js';
import type { SchedNode } from '../../src/scheduler/types.js';

const SEEDS = Number(process.env['PROP_SEEDS'] ?? 50);
const STEPS = Number(process.env['PROP_STEPS'] ?? 150);
const FROM = Number(process.env['PROP_FROM'] ?? 1);
const OTHER = 'node000000000000000000002';
const NET_A = 'net0000000000000000000000a';
const NET_B = 'net0000000000000000000000b';
const SERVICES = ['svc00000000000000000000001', 'svc00000000000000000000002'];
/** The worker's lifecycle, one report at a time. */
const NEXT_STATE: Partial<Record<TaskState, TaskState>> = { assigned: 'accepted', accepted: 'preparing', preparing: 'starting', starting: 'running' };

/** mulberry32: a small seeded PRNG, so a failing seed replays exactly. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function spec(name: string, command: string, replicas: number, networks: string[], order: UpdateOrder): ServiceSpecRecord {
  return {
    name,
    labels: {},
    mode: 'replicated',
    replicas,
    template: { command, args: [], env: [], reservations: { nanoCpus: 0, memoryBytes: 0 }, restartPolicy: { condition: 'any', delayMs: 0, maxAttempts: 0, windowMs: 0 } },
    networks,
    placement: { constraints: [], preferences: [], maxReplicasPerNode: 0 },
    updateConfig: { parallelism: 2, delayMs: 0, order, failureAction: 'rollback', monitorMs: 1_000 },
    stack: '',
  };
}

class Run {
  readonly h = StoreHarness.open(['10.0.0.0/8'], 27);
  at = 1_000;
  private seeds = 0;
  readonly log: string[] = [];

  constructor(readonly rnd: () => number) {
    const hash = (this.h.db.prepare('SELECT worker_token_hash AS w FROM cluster').get() as { w: string }).w;
    this.must({ op: 'node.join', at: this.tick(), id: OTHER, hostname: 'w2', role: 'worker', addr: '127.0.0.1:2', tokenHash: hash });
    this.must({ op: 'node.status', at: this.tick(), updates: [{ id: NODE_ID, status: 'ready', message: '' }, { id: OTHER, status: 'ready', message: '' }] });
    this.must({ op: 'network.create', at: this.tick(), id: NET_A, name: 'a', driver: 'overlay', attachable: false, labels: {} });
    this.must({ op: 'network.create', at: this.tick(), id: NET_B, name: 'b', driver: 'overlay', attachable: false, labels: {} });
    SERVICES.forEach((id, i) => this.must({ op: 'service.create', at: this.tick(), id, taskIdSeed: this.seed(), spec: spec(`s${i}`, 'v0', 2, [NET_A], 'stop-first') }));
  }

  tick(): number {
    return (this.at += 1 + Math.floor(this.rnd() * 400));
  }
  seed(): string {
    return `seed-prop-${String(++this.seeds).padStart(12, '0')}`;
  }
  pick<T>(xs: readonly T[]): T | undefined {
    return xs.length === 0 ? undefined : xs[Math.floor(this.rnd() * xs.length)];
  }
  id(): string {
    return `t${String(++this.seeds).padStart(24, '0')}`;
  }

  /** Applies a command; an operating refusal is fine, a constraint failure or an internal error is a bug. */
  apply(cmd: Command): void {
    this.log.push(JSON.stringify(cmd).slice(0, 300));
    const o = this.h.apply(cmd);
    if (!o.ok && (/constraint failed/.test(o.error.message) || o.error.code === 'INTERNAL')) {
      assert.fail(`${cmd.op} broke a store rule: ${o.error.code} ${o.error.message}`);
    }
  }
  must(cmd: Command): void {
    this.h.applyOk(cmd);
  }

  tasks(): TaskRecord[] {
    return listTasks(this.h.db);
  }
  live(): TaskRecord[] {
    return this.tasks().filter((t) => t.desiredState === 'running');
  }

  /** One random step. */
  step(): void {
    const r = this.rnd();
    const serviceId = this.pick(SERVICES) ?? '';
    const s = serviceById(this.h.db, serviceId);
    if (!s) return;
    if (r < 0.1) {
      const command = this.pick(['v0', 'v1', 'v2']) ?? 'v0';
      const networks = this.pick([[NET_A], [NET_A, NET_B], [NET_B]]) ?? [NET_A];
      const order = this.pick<UpdateOrder>(['stop-first', 'start-first']) ?? 'stop-first';
      this.apply({ op: 'service.update', at: this.tick(), id: s.id, version: s.version, taskIdSeed: this.seed(), spec: { ...spec(s.name, command, s.replicas, networks, order) } });
    } else if (r < 0.14 && s.previousSpec) {
      this.apply({ op: 'service.update', at: this.tick(), id: s.id, version: s.version, taskIdSeed: this.seed(), spec: s.previousSpec, rollback: 'test' });
    } else if (r < 0.2) {
      this.apply({ op: 'service.scale', at: this.tick(), id: s.id, version: 0, taskIdSeed: this.seed(), replicas: Math.floor(this.rnd() * 5) });
    } else if (r < 0.3) {
      // The rolling updater's plan, as the orchestrator would turn it into commands.
      const nodes = new Map<string, SchedNode>(listNodes(this.h.db).map((n) => [n.id, { id: n.id, hostname: n.hostname, role: n.role, status: n.status, availability: n.availability, labels: n.labels, platform: n.platform, capacity: n.resources }]));
      const plan = planUpdate(s, tasksOfService(this.h.db, s.id), nodes, this.at);
      if (plan.rollback !== undefined && s.previousSpec) this.apply({ op: 'service.update', at: this.tick(), id: s.id, version: s.version, taskIdSeed: this.seed(), spec: s.previousSpec, rollback: plan.rollback });
      if (plan.status && s.updateStatus) this.apply({ op: 'service.update-status', at: this.tick(), id: s.id, startedIndex: s.updateStatus.startedIndex, status: plan.status });
      if (plan.shutdown.length > 0) this.apply({ op: 'task.shutdown', at: this.tick(), tasks: plan.shutdown });
      if (plan.replace.length > 0) this.apply({ op: 'task.replace', at: this.tick(), replacements: plan.replace.map((x) => ({ oldTaskId: x.taskId, newTaskId: this.id(), reason: 'rolling', startFirst: x.startFirst })) });
    } else if (r < 0.38) {
      const t = this.pick(this.live());
      if (t) this.apply({ op: 'task.replace', at: this.tick(), replacements: [{ oldTaskId: t.id, newTaskId: this.id(), reason: 'random', startFirst: this.rnd() < 0.5 }] });
    } else if (r < 0.42) {
      const t = this.pick(this.live());
      if (t) this.apply({ op: 'task.shutdown', at: this.tick(), tasks: [{ taskId: t.id, reason: 'random', ...(this.rnd() < 0.5 ? { ifReplaces: t.replaces } : {}) }] });
    } else if (r < 0.6) {
      const t = this.pick(this.live().filter((x) => x.status.state === 'pending'));
      const node = this.pick([NODE_ID, OTHER]) ?? NODE_ID;
      if (t) this.apply({ op: 'task.place', at: this.tick(), placements: [{ taskId: t.id, nodeId: t.nodeId || node }], pending: [] });
    } else if (r < 0.9) {
      // A worker report: the next lifecycle state, a failure, or (for an unwanted task) that it stopped.
      const t = this.pick(this.tasks().filter((x) => ON_NODE_STATES.has(x.status.state)));
      if (!t) return;
      const node = listNodes(this.h.db).find((n) => n.id === t.nodeId);
      if (node?.status !== 'ready') return; // a node that is down does not report
      const next: TaskState | undefined = t.desiredState !== 'running' ? 'shutdown' : this.rnd() < 0.1 ? 'failed' : NEXT_STATE[t.status.state];
      if (next) this.apply({ op: 'task.status', at: this.tick(), updates: [{ taskId: t.id, nodeId: t.nodeId, state: next, message: next, err: '', exitCode: 0, at: this.at }] });
    } else if (r < 0.95) {
      const id = this.pick([NODE_ID, OTHER]) ?? NODE_ID;
      const status = this.rnd() < 0.5 ? 'down' : 'ready';
      this.apply({ op: 'node.status', at: this.tick(), updates: [{ id, status, message: '' }] });
    } else {
      // The orchestrator's sweep of stopping tasks stranded on a node that is down.
      const down = new Set(listNodes(this.h.db).filter((n) => n.status === 'down').map((n) => n.id));
      const stranded = this.tasks().filter((t) => t.desiredState !== 'running' && ON_NODE_STATES.has(t.status.state) && down.has(t.nodeId));
      if (stranded.length > 0) this.apply({ op: 'task.orphan', at: this.tick(), tasks: stranded.map((t) => ({ taskId: t.id, reason: 'node down' })) });
    }
  }

  checkInvariants(): void {
    for (const c of checkNetworks(this.h.db)) assert.deepEqual(c.problems, [], `IPAM check of network ${c.name}`);
    const leaked = this.h.db
      .prepare(
        `SELECT a.owner_id AS id, t.state AS state FROM attachments a JOIN tasks t ON t.id = a.owner_id
         WHERE a.owner_kind = 'task' AND t.desired_state != 'running' AND t.state IN (${[...TERMINAL_TASK_STATES].map((x) => `'${x}'`).join(',')})`,
      )
      .all() as { id: string; state: string }[];
    assert.deepEqual(leaked, [], 'an ended, unwanted task holds no address');
    const dangling = this.h.db
      .prepare(
        `SELECT r.id FROM tasks r LEFT JOIN tasks o ON o.id = r.replaces
         WHERE r.replaces != '' AND r.desired_state = 'running' AND (o.id IS NULL OR o.desired_state != 'running')`,
      )
      .all();
    assert.deepEqual(dangling, [], 'a start-first replacement replaces a live task');
    const primaries = this.h.db
      .prepare(`SELECT service_id, slot, COUNT(*) AS n FROM tasks WHERE desired_state = 'running' AND replaces = '' GROUP BY service_id, slot HAVING n > 1`)
      .all();
    assert.deepEqual(primaries, [], 'at most one primary per slot');
  }

  /** Every task stops, the services go: every address must be free again. */
  drain(): void {
    this.must({ op: 'node.status', at: this.tick(), updates: [{ id: NODE_ID, status: 'ready', message: '' }, { id: OTHER, status: 'ready', message: '' }] });
    for (const id of SERVICES) if (serviceById(this.h.db, id)) this.must({ op: 'service.remove', at: this.tick(), id });
    this.checkInvariants();
    const left = this.h.db.prepare('SELECT COUNT(*) AS n FROM attachments').get() as { n: number };
    assert.equal(left.n, 0, 'every address is back in the pool');
    assert.equal(listServices(this.h.db).length, 0);
  }
}

// Proves the invariants above over PROP_SEEDS random runs (see the header).
test('random interleavings of rollouts, scaling, replacements, reports and node failures keep the store consistent', () => {
  for (let seed = FROM; seed < FROM + SEEDS; seed++) {
    const run = new Run(prng(seed));
    let step = 0;
    try {
      for (step = 1; step <= STEPS; step++) {
        run.step();
        run.checkInvariants();
      }
      run.drain();
    } catch (e) {
      const tail = run.log.slice(-8).join('\n  ');
      throw new Error(`seed ${seed}, step ${step} (replay: PROP_FROM=${seed} PROP_SEEDS=1):\n${e instanceof Error ? e.message : String(e)}\nlast commands:\n  ${tail}`, { cause: e });
    } finally {
      run.h.close();
    }
  }
});
