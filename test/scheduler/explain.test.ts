// Proves the pending explanation: each node counted once under its first failing filter, the
// exact message format (counts, singular/plural, "need X, most free Y" in MiB/GiB and CPUs),
// and the unit formatting, by calling the pure functions on hand-built clusters.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { countReasons, explainPending } from '../../src/scheduler/explain.js';
import type { Requirement } from '../../src/scheduler/explain.js';
import { parseConstraint } from '../../src/scheduler/constraints.js';
import { AssignmentState } from '../../src/scheduler/state.js';
import { formatBytes, formatCpus } from '../../src/scheduler/units.js';
import { CPU, GiB, MiB, node } from './fixtures.js';

function req(over: Partial<Requirement> = {}): Requirement {
  return { serviceId: 's', constraints: [], reservations: { nanoCpus: 0, memoryBytes: 0 }, maxReplicasPerNode: 0, ...over };
}

void test('the issue example: unavailable nodes and nodes short of memory', () => {
  const nodes = [
    node('a', { status: 'down' }), node('b', { availability: 'drain' }), node('c', { availability: 'pause' }),
    node('d', { capacity: { nanoCpus: 4 * CPU, memoryBytes: 256 * MiB } }), node('e', { capacity: { nanoCpus: 4 * CPU, memoryBytes: GiB } }),
  ];
  const state = AssignmentState.build([{ serviceId: 'other', nodeId: 'e', reservations: { nanoCpus: 0, memoryBytes: 1000 * MiB } }]);
  assert.equal(explainPending(req({ reservations: { nanoCpus: 0, memoryBytes: 512 * MiB } }), nodes, state),
    'no suitable node (3 nodes not available for new tasks; 2 nodes with insufficient memory: need 512MiB, most free 256MiB)');
});

void test('constraints, CPU and the per-node limit each get their count', () => {
  const nodes = [
    node('a', { labels: { zone: 'x' } }), node('b', { labels: { zone: 'y' } }), node('c', { role: 'manager' }),
    node('d', { capacity: { nanoCpus: CPU / 2, memoryBytes: GiB } }), node('e'), node('f'),
  ];
  const state = AssignmentState.build([
    { serviceId: 's', nodeId: 'e', reservations: { nanoCpus: 0, memoryBytes: 0 } },
    { serviceId: 's', nodeId: 'f', reservations: { nanoCpus: 0, memoryBytes: 0 } },
  ]);
  const r = req({ constraints: [parseConstraint('node.role==worker'), parseConstraint('node.labels.zone!=x')], reservations: { nanoCpus: CPU, memoryBytes: 0 }, maxReplicasPerNode: 1 });
  assert.equal(explainPending(r, nodes, state),
    'no suitable node (1 node not matching constraint node.role==worker; 1 node not matching constraint node.labels.zone!=x; '
    + '1 node with insufficient CPU: need 1 CPU, most free 0.5 CPUs; 2 nodes already running the maximum of 1 task of this service per node)');
  const counts = countReasons(r, nodes, state);
  assert.equal(counts.nodes, 6);
  // b passes everything: countReasons is also usable when some node fits, and then counts it nowhere.
  assert.equal(counts.unavailable + [...counts.constraints.values()].reduce((a, b) => a + b, 0) + counts.cpu + counts.memory + counts.maxPerNode, 5);
});

void test('an empty cluster says so, and asking about a fitting task is a bug', () => {
  assert.equal(explainPending(req(), [], new AssignmentState()), 'no suitable node (no nodes in the cluster)');
  assert.throws(() => explainPending(req(), [node('a')], new AssignmentState()), /a node fits/);
});

void test('units: binary memory sizes and CPUs', () => {
  assert.equal(formatBytes(0), '0B');
  assert.equal(formatBytes(512 * MiB), '512MiB');
  assert.equal(formatBytes(1536 * MiB), '1.5GiB');
  assert.equal(formatBytes(1023), '1023B');
  assert.equal(formatBytes(4 * 1024 ** 4), '4TiB');
  assert.equal(formatCpus(CPU), '1 CPU');
  assert.equal(formatCpus(2.5 * CPU), '2.5 CPUs');
  assert.equal(formatCpus(0), '0 CPUs');
  assert.equal(formatCpus(CPU / 3), '0.33 CPUs');
});
