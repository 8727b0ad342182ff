// Proves that one service's running count (Create/Get/UpdateService answers, watch events) equals
// the cluster-wide count per service, and that SQLite answers it through the tasks_by_service
// index, not by scanning every task of the cluster (which made each such answer grow with the
// cluster). Real store, replicated apply code.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { ServiceSpecRecord } from '../../src/manager/store/service-commands.js';
import { listTasks, RUNNING_COUNT_OF_SQL, runningCountOf, runningCounts } from '../../src/manager/store/service-queries.js';
import { StoreHarness, NODE_ID } from '../network/store-harness.js';

const spec = (name: string, replicas: number): ServiceSpecRecord => ({
  name,
  labels: {},
  mode: 'replicated',
  replicas,
  template: { command: 'sleep', args: [], env: [], reservations: { nanoCpus: 0, memoryBytes: 0 }, restartPolicy: { condition: 'none', delayMs: 0, maxAttempts: 0, windowMs: 0 } },
  networks: [],
  placement: { constraints: [], preferences: [], maxReplicasPerNode: 0 },
  updateConfig: { parallelism: 1, delayMs: 0, order: 'stop-first', failureAction: 'pause', monitorMs: 0 },
  stack: '',
});

test("one service's running count equals the per-service counts, read through its index", () => {
  const h = StoreHarness.open();
  try {
    h.applyOk({ op: 'service.create', at: 1, id: 'svc-0000000000000000000001', taskIdSeed: 'seed-000000000000001', spec: spec('web', 3) });
    h.applyOk({ op: 'service.create', at: 2, id: 'svc-0000000000000000000002', taskIdSeed: 'seed-000000000000002', spec: spec('db', 2) });
    h.applyOk({ op: 'service.create', at: 3, id: 'svc-0000000000000000000003', taskIdSeed: 'seed-000000000000003', spec: spec('idle', 0) });
    const tasks = listTasks(h.db);
    h.applyOk({ op: 'task.place', at: 4, placements: tasks.map((t) => ({ taskId: t.id, nodeId: NODE_ID })), pending: [] });
    // Two of web's tasks and one of db's run; the rest stay assigned.
    const running = [...tasks.filter((t) => t.serviceId.endsWith('1')).slice(0, 2), ...tasks.filter((t) => t.serviceId.endsWith('2')).slice(0, 1)];
    h.applyOk({ op: 'task.status', at: 5, updates: running.map((t) => ({ taskId: t.id, nodeId: NODE_ID, state: 'running', message: 'running', err: '', exitCode: 0, at: 5 })) });

    const all = runningCounts(h.db);
    for (const id of ['svc-0000000000000000000001', 'svc-0000000000000000000002', 'svc-0000000000000000000003']) {
      assert.equal(runningCountOf(h.db, id), all.get(id) ?? 0, id);
    }
    assert.equal(runningCountOf(h.db, 'svc-0000000000000000000001'), 2);
    assert.equal(runningCountOf(h.db, 'svc-0000000000000000000002'), 1);
    assert.equal(runningCountOf(h.db, 'no-such-service'), 0);

    const plan = (h.db.prepare(`EXPLAIN QUERY PLAN ${RUNNING_COUNT_OF_SQL}`).all('x') as { detail: string }[]).map((r) => r.detail).join('; ');
    assert.match(plan, /USING (COVERING )?INDEX tasks_by_service/, `the count must use tasks_by_service, not scan the tasks: ${plan}`);
  } finally {
    h.close();
  }
});
