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

// Proves that the hub recomputes only the networks a change touched: with a service on network A
// and one on network B, a task of A's service completing recomputes A alone (and the stream gets
// A's change only); a new network C computes C alone; the node going down touches both A and B,
// where it has endpoints. The names sent stay what a full recomputation gives.
test('a change on one network recomputes that network only', () => {
  const h = StoreHarness.open(['10.0.0.0/8'], 16);
  const hub = new NamesHub(() => h.db, 60_000);
  try {
    const spec = (name: string, network: string): ServiceSpecRecord => ({
      name,
      labels: {},
      mode: 'replicated',
      replicas: 2,
      template: { command: 'sleep', args: [], env: [], reservations: { nanoCpus: 0, memoryBytes: 0 }, restartPolicy: { condition: 'none', delayMs: 0, maxAttempts: 0, windowMs: 0 } },
      networks: [network],
      placement: { constraints: [], preferences: [], maxReplicasPerNode: 0 },
      updateConfig: { parallelism: 1, delayMs: 0, order: 'stop-first', failureAction: 'pause', monitorMs: 0 },
      stack: '',
    });
    let at = 2;
    h.applyOk({ op: 'network.create', at: at++, id: 'net-a', name: 'a', driver: 'overlay', attachable: true, labels: {} });
    h.applyOk({ op: 'network.create', at: at++, id: 'net-b', name: 'b', driver: 'overlay', attachable: true, labels: {} });
    h.applyOk({ op: 'service.create', at: at++, id: 'svc-0000000000000000000001', taskIdSeed: 'seed-000000000000001', spec: spec('web', 'net-a') });
    h.applyOk({ op: 'service.create', at: at++, id: 'svc-0000000000000000000002', taskIdSeed: 'seed-000000000000002', spec: spec('api', 'net-b') });
    const tasks = listTasks(h.db);
    h.applyOk({ op: 'task.place', at: at++, placements: tasks.map((t) => ({ taskId: t.id, nodeId: NODE_ID })), pending: [] });
    const status = (taskIds: readonly string[], state: 'running' | 'complete'): void => {
      const now = at++;
      h.applyOk({ op: 'task.status', at: now, updates: taskIds.map((taskId) => ({ taskId, nodeId: NODE_ID, state, message: state, err: '', exitCode: 0, at: now })) });
    };
    status(tasks.map((t) => t.id), 'running');

    const got: NamesMessage[] = [];
    hub.add(new NamesStream(NODE_ID, (m) => got.push(m)));
    assert.deepEqual(hub.lastComputed, ['net-a', 'net-b'], 'the first look computes every network');
    assert.equal(got.length, 1);

    const onA = tasks.find((t) => t.serviceId === 'svc-0000000000000000000001')!;
    status([onA.id], 'complete');
    hub.poll();
    assert.deepEqual(hub.lastComputed, ['net-a'], 'a task on A changed: B is not recomputed');
    assert.equal(got.length, 2);
    assert.deepEqual(got[1]!.networks?.map((n) => n.networkId), ['net-a']);
    assert.equal(got[1]!.networks?.[0]?.endpoints?.length, 1, 'the completed task left A');

    h.applyOk({ op: 'network.create', at: at++, id: 'net-c', name: 'c', driver: 'overlay', attachable: true, labels: {} });
    hub.poll();
    assert.deepEqual(hub.lastComputed, ['net-c'], 'a new network is computed alone');
    assert.equal(got.length, 2, 'the node has no endpoint on C: nothing to send');

    h.applyOk({ op: 'node.status', at: at++, updates: [{ id: NODE_ID, status: 'down', message: 'test' }] });
    hub.poll();
    assert.deepEqual(hub.lastComputed, ['net-a', 'net-b'], "the node's networks");
    const last = got.at(-1)!;
    assert.deepEqual(last.networks?.map((n) => [n.networkId, n.endpoints?.length]), [['net-a', 0], ['net-b', 0]], "a down node's endpoints stop answering");

    // What was sent, network by network, equals a full recomputation from the store.
    const full = new NamesHub(() => h.db, 60_000);
    const fresh: NamesMessage[] = [];
    full.add(new NamesStream(NODE_ID, (m) => fresh.push(m)));
    full.close();
    assert.deepEqual(JSON.parse(JSON.stringify(fresh[0]!.networks)), JSON.parse(JSON.stringify(last.networks)));
  } finally {
    hub.close();
    h.close();
  }
});
