// Regressions from an adversarial review of the rolling updates (issue #7): command interleavings
// applied to a real state database (StoreHarness) and to the pure planner, each test naming an
// invariant the design note (docs/design/rolling-updates.md) promises and a sequence that broke it
// before the fix (conditional shutdown of replacements, address hand-over when the predecessor
// stops, rollouts identified by Raft index instead of clocks).
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { StoreHarness, NODE_ID } from '../network/store-harness.js';
import type { ServiceSpecRecord, TaskState, UpdateConfigSpec } from '../../src/manager/store/service-commands.js';
import { serviceById, taskById, tasksOfService, type ServiceRecord, type TaskRecord } from '../../src/manager/store/service-queries.js';
import { attachmentsOfNetwork, attachmentsOfOwner } from '../../src/manager/store/network-queries.js';
import { planUpdate } from '../../src/manager/update-plan.js';
import type { SchedNode } from '../../src/scheduler/types.js';

const SVC = 'svc00000000000000000000001';
const NET_A = 'net0000000000000000000000a';
const NO_NODES: ReadonlyMap<string, SchedNode> = new Map();

function spec(command: string, replicas: number, over: Partial<UpdateConfigSpec> = {}, networks: string[] = [NET_A], name = 'web'): ServiceSpecRecord {
  return {
    name,
    labels: {},
    mode: 'replicated',
    replicas,
    template: {
      command,
      args: [],
      env: [],
      reservations: { nanoCpus: 0, memoryBytes: 0 },
      restartPolicy: { condition: 'any', delayMs: 0, maxAttempts: 0, windowMs: 0 },
    },
    networks,
    placement: { constraints: [], preferences: [], maxReplicasPerNode: 0 },
    updateConfig: { parallelism: 1, delayMs: 0, order: 'stop-first', failureAction: 'pause', monitorMs: 0, ...over },
    stack: '',
  };
}

/** A harness with one ready node, network A, and service SVC at `s` with every task running. */
class Cluster {
  readonly h: StoreHarness;
  at = 100;
  private seeds = 0;

  constructor(s: ServiceSpecRecord, maskLength = 24) {
    this.h = StoreHarness.open(['10.0.0.0/8'], maskLength);
    this.h.applyOk({ op: 'node.status', at: 2, updates: [{ id: NODE_ID, status: 'ready', message: '' }] });
    this.h.applyOk({ op: 'network.create', at: 3, id: NET_A, name: 'a', driver: 'overlay', attachable: false, labels: {} });
    this.h.applyOk({ op: 'service.create', at: 5, id: SVC, taskIdSeed: 'seed-create-000000000', spec: s });
    for (const t of this.live()) this.placeAndRun(t);
  }

  seed(): string {
    return `seed-review-${String(++this.seeds).padStart(10, '0')}`;
  }

  live(serviceId = SVC): TaskRecord[] {
    return tasksOfService(this.h.db, serviceId).filter((t) => t.desiredState === 'running');
  }

  status(taskId: string, state: TaskState): void {
    const at = ++this.at;
    this.h.applyOk({ op: 'task.status', at, updates: [{ taskId, nodeId: NODE_ID, state, message: state, err: '', exitCode: 0, at }] });
  }

  place(taskId: string): void {
    this.h.applyOk({ op: 'task.place', at: ++this.at, placements: [{ taskId, nodeId: NODE_ID }], pending: [] });
  }

  placeAndRun(t: TaskRecord): void {
    this.place(t.id);
    this.status(t.id, 'running');
  }

  update(s: ServiceSpecRecord, rollback?: string): ServiceRecord {
    const cur = serviceById(this.h.db, SVC)!;
    const cmd = { op: 'service.update' as const, at: ++this.at, id: SVC, version: cur.version, taskIdSeed: this.seed(), spec: s };
    this.h.applyOk(rollback === undefined ? cmd : { ...cmd, rollback });
    return serviceById(this.h.db, SVC)!;
  }

  addressOn(taskId: string, net: string): number | undefined {
    return attachmentsOfOwner(this.h.db, 'task', taskId).find((a) => a.networkId === net)?.address;
  }
}

describe('start-first: a stale shutdown of a replacement that was promoted meanwhile', () => {
  let c: Cluster;
  before(() => {
    c = new Cluster(spec('v1', 1, { order: 'start-first' }));
  });
  after(() => c.h.close());

  // Proves a slot cannot lose its only live task: the updater decides to shut down a start-first
  // replacement that became outdated (the update was rolled back), but before that `task.shutdown` commits,
  // the worker's `running` report promotes the replacement and retires the original. The shutdown carries
  // `ifReplaces`, so it no longer applies to what is now the slot's only task (before the fix it did, and
  // nothing recreated the slot).
  test('rollback mid start-first: the replacement runs before the stale shutdown applies; the slot must keep a task', () => {
    const p = c.live()[0]!;
    const s1 = c.update(spec('v2', 1, { order: 'start-first' }));
    assert.equal(s1.updateStatus?.state, 'updating');
    c.h.applyOk({ op: 'task.replace', at: ++c.at, replacements: [{ oldTaskId: p.id, newTaskId: 'rep00000000000000000000001', reason: 'rolling update', startFirst: true }] });
    c.place('rep00000000000000000000001');
    c.status('rep00000000000000000000001', 'starting');
    const s2 = c.update(s1.previousSpec!, 'requested by the user');
    assert.equal(s2.updateStatus?.state, 'rollback-started');
    assert.ok(taskById(c.h.db, 'rep00000000000000000000001'), 'the replacement had started: the apply of the rollback keeps it');
    // The leader's round: the replacement is outdated (v2 ≠ v1) and must go.
    const plan = planUpdate(s2, tasksOfService(c.h.db, SVC), NO_NODES, c.at + 1);
    assert.deepEqual(plan.shutdown.map((x) => x.taskId), ['rep00000000000000000000001']);
    // Before that command commits, the worker reports the replacement running: it takes the slot.
    c.status('rep00000000000000000000001', 'running');
    assert.equal(taskById(c.h.db, p.id)!.desiredState, 'shutdown');
    assert.equal(taskById(c.h.db, 'rep00000000000000000000001')!.replaces, '');
    // Now the stale decision commits.
    c.h.applyOk({ op: 'task.shutdown', at: ++c.at, tasks: plan.shutdown });
    assert.equal(c.live().filter((t) => t.slot === 1).length, 1, 'slot 1 of a 1-replica service has no live task left: a replica is lost');
  });
});

describe('stop-first: an unstarted successor that holds its predecessor\'s addresses is deleted', () => {
  // Proves the hand-over promise "the address is never free in between": a stop-first
  // successor N took over O's address while O still runs (stopping). A `service.update` before N started
  // deletes N (applyUpdate removes unstarted tasks) and releasing N's attachments frees O's address while
  // O's process still uses it; another service's task can then be given the same address.
  test('service.update while the successor waits: the still-running predecessor\'s address must not be handed out', () => {
    // A /28 network so the allocator's rotation wraps around within a few allocations.
    const c = new Cluster(spec('v1', 1), 28);
    try {
      const o = c.live()[0]!;
      const addr = c.addressOn(o.id, NET_A);
      assert.ok(addr !== undefined);
      c.update(spec('v2', 1));
      c.h.applyOk({ op: 'task.replace', at: ++c.at, replacements: [{ oldTaskId: o.id, newTaskId: 'new00000000000000000000001', reason: 'rolling update' }] });
      assert.equal(c.addressOn('new00000000000000000000001', NET_A), undefined, 'N gets O\'s address only when O stops');
      assert.equal(c.addressOn(o.id, NET_A), addr, 'O keeps it while it runs');
      c.update(spec('v3', 1)); // N had not started: the apply deletes it
      assert.equal(taskById(c.h.db, 'new00000000000000000000001'), null);
      assert.equal(taskById(c.h.db, o.id)!.status.state, 'running', 'O still runs with that address');
      const holder = attachmentsOfNetwork(c.h.db, NET_A).find((a) => a.address === addr);
      // Other services come and take addresses until the pool wraps (bounded: a /28 has 16 addresses).
      let taken: string | undefined;
      for (let i = 0; i < 16 && taken === undefined; i++) {
        const id = `oth${String(i).padStart(23, '0')}`;
        const r = c.h.apply({ op: 'service.create', at: ++c.at, id, taskIdSeed: c.seed(), spec: spec('x', 1, {}, [NET_A], `other${i}`) });
        if (!r.ok) break;
        const t = c.live(id)[0]!;
        if (c.addressOn(t.id, NET_A) === addr) taken = t.id;
      }
      assert.equal(taken, undefined, `task ${taken ?? ''} of another service got the address O still uses`);
      assert.ok(holder, 'the address O still uses is free in the pool');
    } finally {
      c.h.close();
    }
  });

  // Proves the same through scale-down: reconcileTasks deletes the slot's unstarted successor
  // (it is the slot's live task), freeing the address that the stopping predecessor still holds.
  test('scale down while the successor waits: the predecessor\'s address must stay held until it stops', () => {
    const c = new Cluster(spec('v1', 2));
    try {
      const o = c.live().find((t) => t.slot === 2)!;
      const addr = c.addressOn(o.id, NET_A);
      c.update(spec('v2', 2));
      c.h.applyOk({ op: 'task.replace', at: ++c.at, replacements: [{ oldTaskId: o.id, newTaskId: 'new00000000000000000000002', reason: 'rolling update' }] });
      c.h.applyOk({ op: 'service.scale', at: ++c.at, id: SVC, version: 0, taskIdSeed: c.seed(), replicas: 1 });
      assert.equal(taskById(c.h.db, o.id)!.status.state, 'running', 'O is still stopping on its node');
      const holder = attachmentsOfNetwork(c.h.db, NET_A).find((a) => a.address === addr);
      assert.ok(holder, 'the address O still uses is free in the pool');
    } finally {
      c.h.close();
    }
  });
});

describe('planner: "created since the rollout started" compares two managers\' clocks', () => {
  const STARTED = 1_000;
  const svc = (s: ServiceSpecRecord): ServiceRecord => ({
    id: 'svc',
    name: s.name,
    mode: s.mode,
    replicas: s.replicas,
    spec: s,
    previousSpec: spec('v1', s.replicas),
    updateStatus: { state: 'updating', startedIndex: 50, startedAt: STARTED, completedAt: 0, message: 'update in progress' },
    createdAt: 0,
    updatedAt: STARTED,
    version: 7,
  });
  const t = (id: string, slot: number, command: string, state: TaskState, createdAt: number): TaskRecord => ({
    id,
    serviceId: 'svc',
    slot,
    nodeId: 'a',
    desiredState: 'running',
    status: { state, message: '', err: '', exitCode: 0, at: 5_000 },
    history: [],
    spec: spec(command, 4).template,
    networks: [NET_A],
    replaces: '',
    // Created by a later entry (index 60 > 50) than the update, though stamped earlier by a clock.
    createdIndex: createdAt === 0 ? 0 : 60,
    createdAt,
    updatedAt: createdAt,
    version: 1,
  });

  // Proves parallelism does not depend on clock agreement: a task created by a later Raft entry than the
  // update is the rollout's new task even when its timestamp is earlier than the update's (a leader whose
  // clock is behind). Comparing times, it was not counted in flight and the next slot was replaced at once.
  test('a new task stamped 1 ms before startedAt (leader clock behind) must still be in flight', () => {
    const s = spec('v2', 4, { parallelism: 1 });
    const tasks = [t('new1', 1, 'v2', 'pending', STARTED - 1), t('old2', 2, 'v1', 'running', 0), t('old3', 3, 'v1', 'running', 0), t('old4', 4, 'v1', 'running', 0)];
    assert.deepEqual(planUpdate(svc(s), tasks, NO_NODES, 10_000).replace, [], 'slot 1 has not run yet: no second slot with parallelism 1');
  });
});
