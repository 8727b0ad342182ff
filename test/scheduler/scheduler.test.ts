// Proves scheduleBatch's placement rules on small clusters with exact expected layouts: even
// spread, spread around existing load, preferences level by level, per-node limit, resources
// exhausted then recovered, failed nodes last, pinned (global) tasks and invalid specs.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { scheduleBatch } from '../../src/scheduler/scheduler.js';
import { AssignmentState } from '../../src/scheduler/state.js';
import { CPU, GiB, MiB, countByNode, node, task, tasks } from './fixtures.js';

const none = { nanoCpus: 0, memoryBytes: 0 };

void test('30 tasks on 3 empty nodes go 10/10/10, in node-ID order for ties', () => {
  const nodes = [node('n3'), node('n1'), node('n2')];
  const r = scheduleBatch(tasks(30, 's'), nodes, new AssignmentState());
  assert.equal(r.pending.size, 0);
  assert.deepEqual([...countByNode(r.placements)].sort(), [['n1', 10], ['n2', 10], ['n3', 10]]);
  assert.deepEqual([...r.placements.values()].slice(0, 4), ['n1', 'n2', 'n3', 'n1']);
  assert.deepEqual([...r.placements.keys()].slice(0, 2), ['s-t0000', 's-t0001'], 'placements keep input order');
});

void test('existing tasks of the service are evened out first, then total load decides', () => {
  const state = AssignmentState.build([
    ...Array.from({ length: 4 }, () => ({ serviceId: 's', nodeId: 'n1', reservations: none })),
    ...Array.from({ length: 6 }, () => ({ serviceId: 'other', nodeId: 'n2', reservations: none })),
  ]);
  const r = scheduleBatch(tasks(5, 's'), [node('n1'), node('n2'), node('n3')], state);
  // n2 and n3 catch up to n1's 4 of this service; n3 (less total load) goes first at each tie.
  assert.deepEqual([...r.placements.values()], ['n3', 'n2', 'n3', 'n2', 'n3']);
  assert.equal(state.serviceTasksOn('s', 'n1'), 4);
  assert.equal(state.serviceTasksOn('s', 'n3'), 3);
  assert.equal(state.tasksOn('n2'), 8);
});

void test('a second service in the same batch prefers the nodes the first left emptier', () => {
  const r = scheduleBatch([...tasks(2, 'a'), ...tasks(1, 'b')], [node('n1'), node('n2'), node('n3')], new AssignmentState());
  assert.equal(r.placements.get('b-t0000'), 'n3');
});

void test('placement preferences spread across zones first, then within a zone', () => {
  // Zone a has 1 node, zone b has 3: each zone gets half, whatever its size (as in swarm mode).
  const nodes = [node('a1', { labels: { zone: 'a' } }), node('b1', { labels: { zone: 'b' } }), node('b2', { labels: { zone: 'b' } }), node('b3', { labels: { zone: 'b' } })];
  const r = scheduleBatch(tasks(12, 's', { placementPrefs: ['spread=node.labels.zone'] }), nodes, new AssignmentState());
  assert.deepEqual([...countByNode(r.placements)].sort(), [['a1', 6], ['b1', 2], ['b2', 2], ['b3', 2]]);
});

void test('preferences apply level by level, and nodes without the label form their own group', () => {
  const nodes = [
    node('n1', { labels: { zone: 'a', rack: 'r1' } }), node('n2', { labels: { zone: 'a', rack: 'r1' } }), node('n3', { labels: { zone: 'a', rack: 'r2' } }),
    node('n4', { labels: { zone: 'b', rack: 'r1' } }), node('n5'),
  ];
  const r = scheduleBatch(tasks(12, 's', { placementPrefs: ['node.labels.zone', 'node.labels.rack'] }), nodes, new AssignmentState());
  // 4 per zone group (a, b, unlabelled); in zone a, 2 per rack; rack r1 splits over n1 and n2.
  assert.deepEqual([...countByNode(r.placements)].sort(), [['n1', 1], ['n2', 1], ['n3', 2], ['n4', 4], ['n5', 4]]);
});

void test('preferences count existing tasks of the service per zone', () => {
  const nodes = [node('a1', { labels: { zone: 'a' } }), node('b1', { labels: { zone: 'b' } })];
  const state = AssignmentState.build(Array.from({ length: 3 }, () => ({ serviceId: 's', nodeId: 'a1', reservations: none })));
  const r = scheduleBatch(tasks(5, 's', { placementPrefs: ['node.labels.zone'] }), nodes, state);
  assert.deepEqual([...countByNode(r.placements)].sort(), [['a1', 1], ['b1', 4]]);
});

void test('max replicas per node caps each node and leaves the rest pending with the reason', () => {
  const state = AssignmentState.build([{ serviceId: 's', nodeId: 'n1', reservations: none }]);
  const r = scheduleBatch(tasks(6, 's', { maxReplicasPerNode: 2 }), [node('n1'), node('n2'), node('n3')], state);
  assert.deepEqual([...countByNode(r.placements)].sort(), [['n1', 1], ['n2', 2], ['n3', 2]]);
  assert.deepEqual([...r.pending.keys()], ['s-t0005']);
  assert.equal(r.pending.get('s-t0005'), 'no suitable node (3 nodes already running the maximum of 2 tasks of this service per node)');
});

void test('resources: exhausted tasks wait with the reason, and are placed once a node frees up', () => {
  const cap = { nanoCpus: 2 * CPU, memoryBytes: GiB };
  const nodes = [node('n1', { capacity: cap }), node('n2', { capacity: cap })];
  const state = new AssignmentState();
  const reservations = { nanoCpus: CPU / 2, memoryBytes: 512 * MiB };
  const first = scheduleBatch(tasks(5, 's', { reservations }), nodes, state);
  assert.equal(first.placements.size, 4);
  assert.equal(first.pending.get('s-t0004'), 'no suitable node (2 nodes with insufficient memory: need 512MiB, most free 0B)');
  // A task of the service ends on n2: its reservation returns, and the next pass places the waiting task there.
  state.unassign('s', 'n2', reservations);
  const second = scheduleBatch([...first.pending.keys()].map((id) => task(id, 's', { reservations })), nodes, state);
  assert.deepEqual([...second.placements], [['s-t0004', 'n2']]);
  assert.equal(second.pending.size, 0);
  assert.deepEqual(state.reservedOn('n2'), { nanoCpus: CPU, memoryBytes: GiB });
});

void test('nodes with capacity not reported yet take only tasks that reserve nothing', () => {
  const nodes = [node('n1', { capacity: none })];
  const r = scheduleBatch([task('t1', 's'), task('t2', 's', { reservations: { nanoCpus: CPU / 2, memoryBytes: 0 } })], nodes, new AssignmentState());
  assert.equal(r.placements.get('t1'), 'n1');
  assert.equal(r.pending.get('t2'), 'no suitable node (1 node with insufficient CPU: need 0.5 CPUs, most free 0 CPUs)');
});

void test('nodes where the service failed recently are ranked last, the most failures last of all', () => {
  const state = AssignmentState.build([], [{ serviceId: 's', nodeId: 'n1', count: 2 }, { serviceId: 's', nodeId: 'n2', count: 1 }, { serviceId: 'x', nodeId: 'n3', count: 9 }]);
  const r = scheduleBatch(tasks(3, 's'), [node('n1'), node('n2'), node('n3')], state);
  assert.deepEqual([...r.placements.values()], ['n3', 'n3', 'n3']);
  const only = scheduleBatch(tasks(2, 's', {}, 'u'), [node('n1'), node('n2')], state);
  assert.deepEqual([...only.placements.values()], ['n2', 'n2'], 'a failed node is still used when it is all there is');
});

void test('constraints restrict the nodes and name themselves when nothing matches', () => {
  const nodes = [node('n1', { labels: { zone: 'a' } }), node('n2', { labels: { zone: 'b' } }), node('n3', { status: 'down', labels: { zone: 'a' } })];
  const r = scheduleBatch([...tasks(3, 's', { constraints: ['node.labels.zone==a'] }), task('z', 'z', { constraints: ['node.labels.zone==c'] })], nodes, new AssignmentState());
  assert.deepEqual([...countByNode(r.placements)], [['n1', 3]]);
  assert.equal(r.pending.get('z'), 'no suitable node (1 node not available for new tasks; 2 nodes not matching constraint node.labels.zone==c)');
});

void test('pinned (global) tasks go to their node or wait with that node\'s reason', () => {
  const nodes = [node('n1'), node('n2', { availability: 'drain' }), node('n3', { capacity: { nanoCpus: CPU, memoryBytes: GiB } })];
  const r = scheduleBatch([
    task('g1', 'g', { nodeId: 'n1' }), task('g2', 'g', { nodeId: 'n2' }), task('g3', 'g', { nodeId: 'n3', reservations: { nanoCpus: 2 * CPU, memoryBytes: 0 } }),
    task('g4', 'g', { nodeId: 'gone' }),
  ], nodes, new AssignmentState());
  assert.deepEqual([...r.placements], [['g1', 'n1']]);
  assert.equal(r.pending.get('g2'), 'no suitable node (1 node not available for new tasks)');
  assert.equal(r.pending.get('g3'), 'no suitable node (1 node with insufficient CPU: need 2 CPUs, most free 1 CPU)');
  assert.equal(r.pending.get('g4'), 'no suitable node (node gone is not in the cluster)');
});

void test('invalid stored constraints keep the task pending instead of crashing', () => {
  const r = scheduleBatch([task('t', 's', { constraints: ['node.labels.zone=a'] }), task('u', 'u', { placementPrefs: ['spread=zone'] })], [node('n1')], new AssignmentState());
  assert.equal(r.pending.get('t'), 'invalid placement: constraint "node.labels.zone=a" is malformed: expected KEY==VALUE or KEY!=VALUE');
  assert.equal(r.pending.get('u'), 'invalid placement: placement preference "spread=zone" is malformed: expected spread=node.labels.KEY');
});

void test('duplicate task or node IDs are caller bugs and throw', () => {
  assert.throws(() => scheduleBatch([task('t', 's'), task('t', 's')], [node('n1')], new AssignmentState()), /listed twice/);
  assert.throws(() => scheduleBatch([task('t', 's')], [node('n1'), node('n1')], new AssignmentState()), /listed twice/);
});
