// Proves the assignment state's bookkeeping: counts and reservations add up on assign, come
// back on unassign, a clone is independent, and impossible changes throw instead of drifting.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { AssignmentState } from '../../src/scheduler/state.js';
import { CPU, MiB } from './fixtures.js';

const r = { nanoCpus: CPU / 4, memoryBytes: 64 * MiB };

void test('assign and unassign keep per-node and per-service counts and reservations', () => {
  const s = AssignmentState.build([{ serviceId: 'a', nodeId: 'n1', reservations: r }, { serviceId: 'b', nodeId: 'n1', reservations: r }], [{ serviceId: 'a', nodeId: 'n2', count: 2 }]);
  assert.equal(s.tasksOn('n1'), 2);
  assert.equal(s.serviceTasksOn('a', 'n1'), 1);
  assert.deepEqual(s.reservedOn('n1'), { nanoCpus: CPU / 2, memoryBytes: 128 * MiB });
  assert.equal(s.recentFailures('a', 'n2'), 2);
  assert.equal(s.recentFailures('b', 'n2'), 0);
  const c = s.clone();
  s.unassign('a', 'n1', r);
  assert.equal(s.serviceTasksOn('a', 'n1'), 0);
  assert.deepEqual([...s.serviceNodes('a')], []);
  assert.equal(c.serviceTasksOn('a', 'n1'), 1, 'the clone is unaffected');
  assert.deepEqual(s.reservedOn('n1'), r);
});

void test('impossible changes throw', () => {
  const s = new AssignmentState();
  assert.throws(() => s.unassign('a', 'n1', r), /not on node n1/);
  assert.throws(() => s.assign('a', 'n1', { nanoCpus: -1, memoryBytes: 0 }), /non-negative/);
  assert.throws(() => s.recordFailures('a', 'n1', 1.5), /bad failure count/);
  s.assign('a', 'n1', { nanoCpus: 0, memoryBytes: 0 });
  assert.throws(() => s.unassign('a', 'n1', r), /negative reservation/);
});

void test('a rejected unassign leaves the state unchanged', () => {
  const s = AssignmentState.build([{ serviceId: 'a', nodeId: 'n1', reservations: { nanoCpus: 0, memoryBytes: 0 } }]);
  assert.throws(() => s.unassign('a', 'n1', r));
  assert.equal(s.tasksOn('n1'), 1);
  assert.equal(s.serviceTasksOn('a', 'n1'), 1);
});
