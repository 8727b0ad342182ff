// Proves that the leader's Names hub sends a change when it is kicked (the dispatcher kicks it on
// every applied Raft entry), without waiting for its periodic poll: with the poll set to a minute,
// a task that completes reaches the node's stream as an INCREMENTAL message within seconds of the
// kick, and nothing is sent without one. Real store (SQLite, the replicated apply code).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { NamesHub, NamesStream } from '../../src/manager/names-stream.js';
import type { NamesMessage } from '../../src/generated/shoal/v1/NamesMessage.js';
import type { ServiceSpecRecord } from '../../src/manager/store/service-commands.js';
import { listTasks } from '../../src/manager/store/service-queries.js';
import { StoreHarness, NODE_ID } from '../network/store-harness.js';

test('a kick sends the change at once; the periodic poll is only a backstop', async () => {
  const h = StoreHarness.open(['10.0.0.0/8'], 16);
  const hub = new NamesHub(() => h.db, 60_000);
  try {
    h.applyOk({ op: 'network.create', at: 2, id: 'net-front', name: 'front', driver: 'overlay', attachable: true, labels: {} });
    const spec: ServiceSpecRecord = {
      name: 'web',
      labels: {},
      mode: 'replicated',
      replicas: 2,
      template: { command: 'sleep', args: [], env: [], reservations: { nanoCpus: 0, memoryBytes: 0 }, restartPolicy: { condition: 'none', delayMs: 0, maxAttempts: 0, windowMs: 0 } },
      networks: ['net-front'],
      placement: { constraints: [], preferences: [], maxReplicasPerNode: 0 },
      updateConfig: { parallelism: 1, delayMs: 0, order: 'stop-first', failureAction: 'pause', monitorMs: 0 },
      stack: '',
    };
    h.applyOk({ op: 'service.create', at: 3, id: 'svc-0000000000000000000001', taskIdSeed: 'seed-000000000000001', spec });
    const tasks = listTasks(h.db);
    h.applyOk({ op: 'task.place', at: 4, placements: tasks.map((t) => ({ taskId: t.id, nodeId: NODE_ID })), pending: [] });
    const status = (taskIds: readonly string[], state: 'running' | 'complete', at: number): void => {
      h.applyOk({ op: 'task.status', at, updates: taskIds.map((taskId) => ({ taskId, nodeId: NODE_ID, state, message: state, err: '', exitCode: 0, at })) });
    };
    status(tasks.map((t) => t.id), 'running', 5);

    const got: NamesMessage[] = [];
    hub.add(new NamesStream(NODE_ID, (m) => got.push(m)));
    assert.equal(got.length, 1);
    assert.equal(got[0]!.type, 'ASSIGNMENTS_TYPE_COMPLETE');
    assert.equal(got[0]!.networks?.[0]?.endpoints?.length, 2, 'both running tasks are named');

    status([tasks[0]!.id], 'complete', 6);
    await new Promise((r) => setTimeout(r, 300));
    assert.equal(got.length, 1, 'nothing is sent before a kick (the poll is a minute away)');

    const kickedAt = Date.now();
    hub.kick();
    hub.kick(); // coalesced
    while (got.length < 2 && Date.now() - kickedAt < 10_000) await new Promise((r) => setTimeout(r, 2));
    assert.equal(got.length, 2, 'the kick sent the change');
    assert.equal(got[1]!.type, 'ASSIGNMENTS_TYPE_INCREMENTAL');
    assert.equal(got[1]!.networks?.[0]?.endpoints?.length, 1, 'the completed task left');
    await new Promise((r) => setTimeout(r, 100));
    assert.equal(got.length, 2, 'one message for the coalesced kicks');
  } finally {
    hub.close();
    h.close();
  }
});
