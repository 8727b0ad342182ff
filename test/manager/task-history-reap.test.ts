import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { StoreHarness, NODE_ID } from '../network/store-harness.js';
import type { ServiceSpecRecord } from '../../src/manager/store/service-commands.js';
import { listTasks } from '../../src/manager/store/service-queries.js';

const SERVICE_ID = 'svc00000000000000000000001';

const spec: ServiceSpecRecord = {
  name: 'web',
  labels: {},
  mode: 'replicated',
  replicas: 1,
  template: {
    command: '/bin/false',
    args: [],
    env: [],
    reservations: { nanoCpus: 0, memoryBytes: 0 },
    restartPolicy: { condition: 'any', delayMs: 0, maxAttempts: 0, windowMs: 0 },
  },
  networks: [],
  placement: { constraints: [], preferences: [], maxReplicasPerNode: 0 },
  updateConfig: { parallelism: 1, delayMs: 0, order: 'stop-first', failureAction: 'pause', monitorMs: 0 },
  stack: '',
};

/** Places the slot's live task, fails it, and replaces it `times` times; returns the slot's task count. */
function failAndReplace(h: StoreHarness, times: number, at: number): number {
  for (let i = 0; i < times; i++) {
    const live = listTasks(h.db).find((t) => t.desiredState === 'running');
    assert.ok(live, 'the slot has a live task');
    h.applyOk({ op: 'task.place', at, placements: [{ taskId: live.id, nodeId: NODE_ID }], pending: [] });
    h.applyOk({ op: 'task.status', at, updates: [{ taskId: live.id, nodeId: NODE_ID, state: 'failed', message: 'exit 1', err: 'exit status 1', exitCode: 1, at }] });
    h.applyOk({ op: 'task.replace', at, replacements: [{ oldTaskId: live.id, newTaskId: `task-${at}-${i}`.padEnd(25, '0'), reason: 'restart' }] });
  }
  return listTasks(h.db).length;
}

// The reaper keeps as many ended tasks per slot as the cluster's limit says, beside the live task:
// one replicated slot fails and is replaced more often than the limit, then the limit changes.
describe('task history retention limit drives the reaper', () => {
  test('ended tasks kept per slot follow cluster.update (default 5, then 2, then 0)', () => {
    const h = StoreHarness.open();
    try {
      h.applyOk({ op: 'service.create', at: 2, id: SERVICE_ID, taskIdSeed: 'seed-0123456789abcdef', spec });
      assert.equal(failAndReplace(h, 8, 10), 5 + 1, 'default: 5 ended + the live one');
      h.applyOk({ op: 'cluster.update', at: 20, version: 0, taskHistoryLimit: 2 });
      // A lower limit takes effect at the slot's next reap (its next replacement).
      assert.equal(failAndReplace(h, 1, 30), 2 + 1);
      h.applyOk({ op: 'cluster.update', at: 40, version: 0, taskHistoryLimit: 0 });
      assert.equal(failAndReplace(h, 3, 50), 0 + 1, '0 keeps no history');
      const [only] = listTasks(h.db);
      assert.equal(only?.desiredState, 'running');
    } finally {
      h.close();
    }
  });
});
