// Proves, over random clusters and batches (fast-check, seeds reproducible), that scheduleBatch
// never places on a node failing a filter, never exceeds capacity or the per-node limit, is
// deterministic (also under a shuffled node list), accounts for every task, leaves a task
// pending only when no node fits it at the end, and spreads a lone service evenly.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { scheduleBatch } from '../../src/scheduler/scheduler.js';
import { AssignmentState } from '../../src/scheduler/state.js';
import { parseConstraint, subjectOf } from '../../src/scheduler/constraints.js';
import { availabilityFilter, constraintFilter, freeResources, maxPerNodeFilter, resourceFilter } from '../../src/scheduler/filters.js';
import type { AssignedTask, RecentFailure, SchedNode, SchedTask } from '../../src/scheduler/types.js';
import { CPU, MiB, countByNode, node, tasks } from './fixtures.js';

const constraintPool = ['node.labels.zone==a', 'node.labels.zone!=b', 'node.role==worker', 'node.platform.arch==amd64'];
const prefPool = ['node.labels.zone', 'node.labels.rack'];

const nodeArb = fc.record({
  status: fc.constantFrom('ready', 'ready', 'ready', 'down', 'unknown'),
  availability: fc.constantFrom('active', 'active', 'active', 'pause', 'drain'),
  role: fc.constantFrom('worker', 'worker', 'manager'),
  zone: fc.constantFrom('a', 'b', 'c', undefined),
  rack: fc.constantFrom('r1', 'r2', undefined),
  arch: fc.constantFrom('x64', 'arm64'),
  cpuHalves: fc.integer({ min: 0, max: 8 }),
  memQuarters: fc.integer({ min: 0, max: 16 }),
});

const serviceArb = fc.record({
  constraints: fc.subarray(constraintPool, { maxLength: 2 }),
  prefs: fc.subarray(prefPool),
  cpuHalves: fc.integer({ min: 0, max: 4 }),
  memQuarters: fc.integer({ min: 0, max: 4 }),
  max: fc.integer({ min: 0, max: 3 }),
  count: fc.integer({ min: 0, max: 15 }),
});

const scenarioArb = fc.record({
  nodes: fc.array(nodeArb, { minLength: 0, maxLength: 8 }),
  services: fc.array(serviceArb, { minLength: 1, maxLength: 3 }),
  existing: fc.array(fc.record({ service: fc.nat(), node: fc.nat() }), { maxLength: 12 }),
  failures: fc.array(fc.record({ service: fc.nat(), node: fc.nat(), count: fc.integer({ min: 1, max: 3 }) }), { maxLength: 4 }),
});

type Scenario = typeof scenarioArb extends fc.Arbitrary<infer T> ? T : never;

interface Built {
  nodes: SchedNode[];
  tasks: SchedTask[];
  assigned: AssignedTask[];
  failures: RecentFailure[];
}

function build(s: Scenario): Built {
  const nodes = s.nodes.map((n, i) => node(`n${i}`, {
    status: n.status, availability: n.availability, role: n.role, platform: { os: 'linux', arch: n.arch },
    labels: { ...(n.zone === undefined ? {} : { zone: n.zone }), ...(n.rack === undefined ? {} : { rack: n.rack }) },
    capacity: { nanoCpus: n.cpuHalves * CPU / 2, memoryBytes: n.memQuarters * 256 * MiB },
  }));
  const reservationsOf = (k: number): { nanoCpus: number; memoryBytes: number } => {
    const svc = s.services[k % s.services.length]!;
    return { nanoCpus: svc.cpuHalves * CPU / 2, memoryBytes: svc.memQuarters * 256 * MiB };
  };
  const all = s.services.flatMap((svc, k) => tasks(svc.count, `s${k}`, {
    constraints: svc.constraints, placementPrefs: svc.prefs, maxReplicasPerNode: svc.max, reservations: reservationsOf(k),
  }));
  const assigned = nodes.length === 0 ? [] : s.existing.map((e) => ({ serviceId: `s${e.service % s.services.length}`, nodeId: `n${e.node % nodes.length}`, reservations: reservationsOf(e.service) }));
  const failures = nodes.length === 0 ? [] : s.failures.map((f) => ({ serviceId: `s${f.service % s.services.length}`, nodeId: `n${f.node % nodes.length}`, count: f.count }));
  return { nodes, tasks: all, assigned, failures };
}

/** Every filter, from scratch, against a state: null if the node would take the task. */
function rejects(t: SchedTask, n: SchedNode, state: AssignmentState): boolean {
  const cs = t.constraints.map(parseConstraint);
  return availabilityFilter(n) !== null || constraintFilter(cs, subjectOf(n)) !== null
    || resourceFilter(t.reservations, freeResources(n.capacity, state.reservedOn(n.id))) !== null
    || maxPerNodeFilter(t.maxReplicasPerNode, state.serviceTasksOn(t.serviceId, n.id)) !== null;
}

void test('placements respect every filter, capacity and the per-node limit; pending means nothing fits', () => {
  fc.assert(fc.property(scenarioArb, (s) => {
    const b = build(s);
    const initial = AssignmentState.build(b.assigned, b.failures);
    const state = initial.clone();
    const r = scheduleBatch(b.tasks, b.nodes, state);
    assert.equal(r.placements.size + r.pending.size, b.tasks.length);
    const byId = new Map(b.nodes.map((n) => [n.id, n]));
    const placedCpu = new Map<string, number>();
    const placedMem = new Map<string, number>();
    for (const t of b.tasks) {
      const nodeId = r.placements.get(t.id);
      if (nodeId === undefined) continue;
      const n = byId.get(nodeId)!;
      assert.equal(availabilityFilter(n), null, `${t.id} on unavailable ${nodeId}`);
      assert.equal(constraintFilter(t.constraints.map(parseConstraint), subjectOf(n)), null, `${t.id} on ${nodeId} breaks a constraint`);
      placedCpu.set(nodeId, (placedCpu.get(nodeId) ?? 0) + t.reservations.nanoCpus);
      placedMem.set(nodeId, (placedMem.get(nodeId) ?? 0) + t.reservations.memoryBytes);
      if (t.maxReplicasPerNode > 0) assert.ok(state.serviceTasksOn(t.serviceId, nodeId) <= Math.max(t.maxReplicasPerNode, initial.serviceTasksOn(t.serviceId, nodeId)));
    }
    for (const [nodeId, cpu] of placedCpu) {
      const n = byId.get(nodeId)!;
      const before = initial.reservedOn(nodeId);
      assert.ok(cpu === 0 || before.nanoCpus + cpu <= n.capacity.nanoCpus, `CPU over capacity on ${nodeId}`);
      const mem = placedMem.get(nodeId) ?? 0;
      assert.ok(mem === 0 || before.memoryBytes + mem <= n.capacity.memoryBytes, `memory over capacity on ${nodeId}`);
    }
    for (const t of b.tasks) {
      if (!r.pending.has(t.id)) continue;
      assert.match(r.pending.get(t.id)!, /^no suitable node \(/);
      for (const n of b.nodes) assert.ok(rejects(t, n, state), `${t.id} waits although ${n.id} fits it`);
    }
  }), { numRuns: 300 });
});

void test('the same input gives the same placements, whatever the order of the node list', () => {
  fc.assert(fc.property(scenarioArb, fc.integer(), (s, seed) => {
    const b = build(s);
    const a = scheduleBatch(b.tasks, b.nodes, AssignmentState.build(b.assigned, b.failures));
    const shuffled = [...b.nodes].sort((x, y) => ((hash(x.id, seed) - hash(y.id, seed)) || (x.id < y.id ? -1 : 1)));
    const c = scheduleBatch(b.tasks, shuffled, AssignmentState.build(b.assigned, b.failures));
    assert.deepEqual([...a.placements], [...c.placements]);
    assert.deepEqual([...a.pending], [...c.pending]);
  }), { numRuns: 150 });
});

void test('a lone unconstrained service spreads evenly: counts differ by at most one', () => {
  fc.assert(fc.property(fc.integer({ min: 1, max: 20 }), fc.integer({ min: 0, max: 200 }), (nodeCount, taskCount) => {
    const nodes = Array.from({ length: nodeCount }, (_, i) => node(`n${i}`));
    const r = scheduleBatch(tasks(taskCount, 's'), nodes, new AssignmentState());
    const counts = nodes.map((n) => countByNode(r.placements).get(n.id) ?? 0);
    assert.ok(Math.max(...counts) - Math.min(...counts) <= 1, counts.join(','));
    assert.equal(r.placements.size, taskCount);
  }), { numRuns: 100 });
});

function hash(s: string, seed: number): number {
  let h = seed | 0;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x9e3779b1);
  return h;
}
