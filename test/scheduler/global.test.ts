// Proves the global-service diff: a task for each ready, active node that satisfies the
// constraints; removal on drain, node gone, constraint no longer met, or a duplicate; and
// keeping (without adding) tasks on paused or down nodes. Checked on exact expected diffs.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { globalServiceTasks } from '../../src/scheduler/global.js';
import { node } from './fixtures.js';

void test('a new global service gets one task per eligible node', () => {
  const nodes = [node('n2'), node('n1'), node('n3', { status: 'down' }), node('n4', { availability: 'pause' }), node('n5', { role: 'manager' })];
  const r = globalServiceTasks({ serviceId: 'g', constraints: ['node.role==worker'] }, nodes, []);
  assert.deepEqual(r, { ok: true, value: { createOn: ['n1', 'n2'], remove: [] } });
});

void test('existing tasks are kept, moved off drained, gone or no-longer-matching nodes, and de-duplicated', () => {
  const nodes = [
    node('n1'), node('n2', { availability: 'drain', hostname: 'drained' }), node('n3', { labels: { zone: 'b' }, hostname: 'zb' }),
    node('n4', { status: 'down' }), node('n5', { availability: 'pause' }), node('n6'),
  ];
  const existing = [
    { id: 't1', nodeId: 'n1' }, { id: 't1b', nodeId: 'n1' }, { id: 't2', nodeId: 'n2' }, { id: 't3', nodeId: 'n3' },
    { id: 't4', nodeId: 'n4' }, { id: 't5', nodeId: 'n5' }, { id: 't9', nodeId: 'n9' },
  ];
  const r = globalServiceTasks({ serviceId: 'g', constraints: ['node.labels.zone!=b'] }, nodes, existing);
  assert.deepEqual(r, {
    ok: true,
    value: {
      createOn: ['n6'],
      remove: [
        { taskId: 't1b', reason: 'node n1 already runs a task of this global service' },
        { taskId: 't2', reason: 'node drained is drained' },
        { taskId: 't3', reason: 'node zb no longer satisfies constraint node.labels.zone!=b' },
        { taskId: 't9', reason: 'node n9 is no longer in the cluster' },
      ],
    },
  });
});

void test('a bad constraint is an INVALID_ARGUMENT value', () => {
  const r = globalServiceTasks({ serviceId: 'g', constraints: ['node.zone==a'] }, [node('n1')], []);
  assert.equal(r.ok, false);
  if (!r.ok) assert.equal(r.error.code, 'INVALID_ARGUMENT');
});
