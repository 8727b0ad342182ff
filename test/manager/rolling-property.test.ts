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
// (default 150); a failure prints its seed and step and how to replay it. A second test runs the
// whole orchestrator round after round against simulated workers (SIM_ORCH_SEEDS, default 20; see
// ClusterSim) and also checks that everything converges once the cluster is healed.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { StoreHarness, NODE_ID } from '../network/store-harness.js';
// The storage tests' seeded PRNG (mulberry32): a failing seed replays exactly.
import { prng } from '../raft/storage/fixtures/workload.js';
import type { Command } from '../../src/manager/store/commands.js';
import type { ServiceSpecRecord, TaskState, UpdateOrder } from '../../src/manager/store/service-commands.js';
import { listServices, listTasks, serviceById, tasksOfService, type TaskRecord } from '../../src/manager/store/service-queries.js';
import { checkNetworks } from '../../src/manager/store/network-queries.js';
import { ON_NODE_STATES, TERMINAL_TASK_STATES } from '../../src/manager/store/task-commands.js';
import { planUpdate } from '../../src/manager/update-plan.js';
import { Orchestrator } from '../../src/manager/orchestrator.js';
import type { Manager } from '../../src/manager/manager.js';
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

/** The store's invariants (see the header), checked on any harness; `where` prefixes the messages. */
function checkStoreInvariants(h: StoreHarness, where: string): void {
  for (const c of checkNetworks(h.db)) assert.deepEqual(c.problems, [], `${where} IPAM check of network ${c.name}`);
  const leaked = h.db
    .prepare(
      `SELECT a.owner_id AS id, t.state AS state FROM attachments a JOIN tasks t ON t.id = a.owner_id
       WHERE a.owner_kind = 'task' AND t.desired_state != 'running' AND t.state IN (${[...TERMINAL_TASK_STATES].map((x) => `'${x}'`).join(',')})`,
    )
    .all() as { id: string; state: string }[];
  assert.deepEqual(leaked, [], `${where} an ended, unwanted task holds no address`);
  const dangling = h.db
    .prepare(
      `SELECT r.id FROM tasks r LEFT JOIN tasks o ON o.id = r.replaces
       WHERE r.replaces != '' AND r.desired_state = 'running' AND (o.id IS NULL OR o.desired_state != 'running')`,
    )
    .all();
  assert.deepEqual(dangling, [], `${where} a start-first replacement replaces a live task`);
  const primaries = h.db
    .prepare(`SELECT service_id, slot, node_id, COUNT(*) AS n FROM tasks WHERE desired_state = 'running' AND replaces = '' GROUP BY service_id, slot, CASE WHEN slot = 0 THEN node_id ELSE '' END HAVING n > 1`)
    .all();
  assert.deepEqual(primaries, [], `${where} at most one primary per slot (per node for a global service)`);
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
    checkStoreInvariants(this.h, '');
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

/**
 * The whole orchestrator, round after round, against simulated workers: three nodes whose agents
 * advance each task one lifecycle step per round (a task running the "bad" command fails), while
 * users update, roll back and scale services and nodes go down, come back, are drained and
 * relabelled. After every round the store invariants hold and no round throws; at the end, with the
 * cluster healed and a good spec rolled out, everything converges: no rollout left in progress,
 * every replicated service at its replica count and every global service on every node, all running.
 */
class ClusterSim {
  readonly h = StoreHarness.open(['10.0.0.0/8'], 26);
  readonly orch: Orchestrator;
  readonly nodes = [NODE_ID, OTHER, 'node000000000000000000003'];
  at = 1_000;
  private seeds = 0;
  readonly roundErrors: string[] = [];

  constructor(readonly rnd: () => number) {
    const hash = (this.h.db.prepare('SELECT worker_token_hash AS w FROM cluster').get() as { w: string }).w;
    for (const [i, id] of this.nodes.slice(1).entries()) {
      this.h.applyOk({ op: 'node.join', at: this.tick(), id, hostname: `w${i + 2}`, role: 'worker', addr: `127.0.0.1:${i + 2}`, tokenHash: hash });
    }
    this.h.applyOk({ op: 'node.status', at: this.tick(), updates: this.nodes.map((id) => ({ id, status: 'ready' as const, message: '' })) });
    this.h.applyOk({ op: 'network.create', at: this.tick(), id: NET_A, name: 'a', driver: 'overlay', attachable: false, labels: {} });
    const manager = {
      store: this.h.store,
      shell: { isLeader: true },
      isNotLeader: (): boolean => false,
      log: { warn: (): void => undefined, info: (): void => undefined, error: (): void => undefined },
      write: (c: Command): Promise<unknown> => {
        const o = this.h.apply(c);
        if (!o.ok && (/constraint failed/.test(o.error.message) || o.error.code === 'INTERNAL')) throw new Error(`${c.op} broke a store rule: ${o.error.message}`);
        return o.ok ? Promise.resolve(o.value) : Promise.reject(o.error);
      },
    };
    this.orch = new Orchestrator(manager as unknown as Manager); // a stand-in: roundOnce uses only these members
    this.h.applyOk({ op: 'service.create', at: this.tick(), id: SERVICES[0]!, taskIdSeed: this.seed(), spec: spec('r', 'v0', 3, [NET_A], 'stop-first') });
    const global: ServiceSpecRecord = { ...spec('g', 'v0', 0, [NET_A], 'start-first'), mode: 'global' };
    this.h.applyOk({ op: 'service.create', at: this.tick(), id: SERVICES[1]!, taskIdSeed: this.seed(), spec: global });
  }

  tick(): number {
    return (this.at += 100);
  }
  seed(): string {
    return `seed-sim-${String(++this.seeds).padStart(12, '0')}`;
  }
  pick<T>(xs: readonly T[]): T | undefined {
    return xs.length === 0 ? undefined : xs[Math.floor(this.rnd() * xs.length)];
  }

  /** A user or the environment does something. */
  event(): void {
    const r = this.rnd();
    const s = serviceById(this.h.db, this.pick(SERVICES) ?? '');
    const node = this.pick(this.nodes) ?? NODE_ID;
    const apply = (c: Command): void => void this.h.apply(c);
    if (!s) return;
    if (r < 0.25) {
      const command = this.pick(['v1', 'v2', 'bad']) ?? 'v1';
      const order = this.pick<UpdateOrder>(['stop-first', 'start-first']) ?? 'stop-first';
      const failureAction = this.pick(['pause', 'rollback', 'continue'] as const) ?? 'pause';
      const next: ServiceSpecRecord = {
        ...s.spec,
        template: { ...s.spec.template, command },
        updateConfig: { ...s.spec.updateConfig, order, failureAction, parallelism: Math.floor(this.rnd() * 3) },
      };
      apply({ op: 'service.update', at: this.tick(), id: s.id, version: s.version, taskIdSeed: this.seed(), spec: next });
    } else if (r < 0.3 && s.previousSpec) {
      apply({ op: 'service.update', at: this.tick(), id: s.id, version: s.version, taskIdSeed: this.seed(), spec: s.previousSpec, rollback: 'user' });
    } else if (r < 0.4 && s.mode === 'replicated') {
      apply({ op: 'service.scale', at: this.tick(), id: s.id, version: 0, taskIdSeed: this.seed(), replicas: 1 + Math.floor(this.rnd() * 4) });
    } else if (r < 0.55) {
      apply({ op: 'node.status', at: this.tick(), updates: [{ id: node, status: this.rnd() < 0.5 ? 'down' : 'ready', message: '' }] });
    } else if (r < 0.65) {
      apply({ op: 'node.update', at: this.tick(), id: node, version: 0, availability: this.pick(['active', 'active', 'pause', 'drain'] as const) ?? 'active' });
    }
  }

  /** Every agent on a ready node reports one step of each of its tasks. */
  workers(): void {
    const ready = new Set(listNodes(this.h.db).filter((n) => n.status === 'ready').map((n) => n.id));
    const updates = this.tasks()
      .filter((t) => ON_NODE_STATES.has(t.status.state) && ready.has(t.nodeId))
      .flatMap((t) => {
        const next: TaskState | undefined =
          t.desiredState !== 'running' ? 'shutdown' : t.spec.command === 'bad' && t.status.state === 'starting' ? 'failed' : NEXT_STATE[t.status.state];
        return next ? [{ taskId: t.id, nodeId: t.nodeId, state: next, message: next, err: '', exitCode: next === 'failed' ? 1 : 0, at: this.at }] : [];
      });
    if (updates.length > 0) this.h.applyOk({ op: 'task.status', at: this.tick(), updates });
  }

  tasks(): TaskRecord[] {
    return listTasks(this.h.db);
  }

  async round(): Promise<void> {
    try {
      await this.orch.roundOnce(this.tick());
    } catch (e) {
      this.roundErrors.push(e instanceof Error ? e.message : String(e));
    }
  }

  /** Heal the cluster, roll out a good spec everywhere, and let it converge. */
  async converge(): Promise<string[]> {
    this.h.applyOk({ op: 'node.status', at: this.tick(), updates: this.nodes.map((id) => ({ id, status: 'ready' as const, message: '' })) });
    for (const id of this.nodes) this.h.applyOk({ op: 'node.update', at: this.tick(), id, version: 0, availability: 'active' });
    for (const id of SERVICES) {
      const s = serviceById(this.h.db, id)!;
      const good: ServiceSpecRecord = { ...s.spec, template: { ...s.spec.template, command: 'final' }, updateConfig: { ...s.spec.updateConfig, parallelism: 2 } };
      this.h.applyOk({ op: 'service.update', at: this.tick(), id, version: s.version, taskIdSeed: this.seed(), spec: good });
    }
    const problems = (): string[] => {
      const out: string[] = [];
      for (const s of listServices(this.h.db)) {
        const live = tasksOfService(this.h.db, s.id).filter((t) => t.desiredState === 'running');
        const want = s.mode === 'global' ? this.nodes.length : s.replicas;
        const ok = live.filter((t) => t.status.state === 'running' && t.spec.command === 'final' && t.replaces === '').length;
        if (ok !== want || live.length !== want) out.push(`${s.name}: ${ok} of ${want} running the final spec, ${live.length} live`);
        if (s.updateStatus?.state !== 'completed') out.push(`${s.name}: update ${s.updateStatus?.state ?? 'none'} (${s.updateStatus?.message ?? ''})`);
      }
      return out;
    };
    for (let i = 0; i < 200 && problems().length > 0; i++) {
      await this.round();
      this.workers();
    }
    return problems();
  }
}

// Proves the invariants and the convergence described above over SIM_ORCH_SEEDS random runs (default 20).
test('orchestrator rounds with simulated workers keep the store consistent and converge once healed', async () => {
  const seeds = Number(process.env['SIM_ORCH_SEEDS'] ?? 20);
  const from = Number(process.env['SIM_ORCH_FROM'] ?? 1);
  for (let seed = from; seed < from + seeds; seed++) {
    const sim = new ClusterSim(prng(seed));
    try {
      for (let step = 1; step <= STEPS; step++) {
        if (sim.rnd() < 0.3) sim.event();
        await sim.round();
        sim.workers();
        assert.deepEqual(sim.roundErrors, [], `seed ${seed} step ${step}: rounds do not throw`);
        checkStoreInvariants(sim.h, `seed ${seed} step ${step}`);
      }
      const left = await sim.converge();
      assert.deepEqual(left, [], `seed ${seed}: converges once the cluster is healed (replay: SIM_ORCH_FROM=${seed} SIM_ORCH_SEEDS=1)`);
      checkStoreInvariants(sim.h, `seed ${seed} at the end`);
    } finally {
      sim.h.close();
    }
  }
});
