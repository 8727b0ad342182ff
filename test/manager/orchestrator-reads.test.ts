// Proves that the orchestrator's per-round reads are kept while the store says nothing changed,
// and are never stale: the node list is read again only after a node row changed (a task status
// flush alone does not), and a service is parsed again only when its version moved, while its
// update status (which leaves the version alone) is still seen at once. After every step the
// cached answers equal a fresh read (listNodes / listServices). Real store, replicated apply code.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { NodeReadCache, ServiceReadCache } from '../../src/manager/orchestrator-reads.js';
import type { ServiceSpecRecord } from '../../src/manager/store/service-commands.js';
import { listServices, listTasks, serviceById } from '../../src/manager/store/service-queries.js';
import { listNodes } from '../../src/manager/store/queries.js';
import { StoreHarness, NODE_ID } from '../network/store-harness.js';

const spec = (name: string, replicas: number, command = 'sleep'): ServiceSpecRecord => ({
  name,
  labels: {},
  mode: 'replicated',
  replicas,
  template: { command, args: [], env: [], reservations: { nanoCpus: 0, memoryBytes: 0 }, restartPolicy: { condition: 'none', delayMs: 0, maxAttempts: 0, windowMs: 0 } },
  networks: [],
  placement: { constraints: [], preferences: [], maxReplicasPerNode: 0 },
  updateConfig: { parallelism: 1, delayMs: 0, order: 'stop-first', failureAction: 'pause', monitorMs: 0 },
  stack: '',
});

test('nodes are read again only when a node row changed', () => {
  const h = StoreHarness.open();
  try {
    const cache = new NodeReadCache();
    const statuses = (): string[] => cache.get(h.db).map((n) => `${n.id}:${n.status}:${n.availability}`);
    const fresh = (): string[] => listNodes(h.db).map((n) => `${n.id}:${n.status}:${n.availability}`);
    assert.deepEqual(statuses(), fresh());
    assert.deepEqual(statuses(), fresh());
    assert.equal(cache.reads, 1, 'the second round reused the first read');

    h.applyOk({ op: 'service.create', at: 2, id: 'svc-0000000000000000000001', taskIdSeed: 'seed-000000000000001', spec: spec('web', 1) });
    const [t] = listTasks(h.db);
    h.applyOk({ op: 'task.place', at: 3, placements: [{ taskId: t!.id, nodeId: NODE_ID }], pending: [] });
    h.applyOk({ op: 'task.status', at: 4, updates: [{ taskId: t!.id, nodeId: NODE_ID, state: 'running', message: 'running', err: '', exitCode: 0, at: 4 }] });
    assert.deepEqual(statuses(), fresh());
    assert.equal(cache.reads, 1, 'task changes alone do not read the nodes again');

    h.applyOk({ op: 'node.status', at: 5, updates: [{ id: NODE_ID, status: 'down', message: 'gone' }] });
    assert.deepEqual(statuses(), fresh());
    assert.equal(cache.reads, 2);
    assert.match(statuses()[0]!, /:down:/);

    h.applyOk({ op: 'node.update', at: 6, id: NODE_ID, version: 0, availability: 'drain' });
    assert.deepEqual(statuses(), fresh());
    assert.match(statuses()[0]!, /:drain$/);
    assert.equal(cache.reads, 3);
  } finally {
    h.close();
  }
});

test('services are parsed again only when their version moved; update status is always current', () => {
  const h = StoreHarness.open();
  try {
    const cache = new ServiceReadCache();
    const same = (): void => assert.deepEqual(cache.list(h.db), listServices(h.db));
    h.applyOk({ op: 'service.create', at: 2, id: 'svc-0000000000000000000001', taskIdSeed: 'seed-000000000000001', spec: spec('web', 1) });
    h.applyOk({ op: 'service.create', at: 3, id: 'svc-0000000000000000000002', taskIdSeed: 'seed-000000000000002', spec: spec('api', 1) });
    same();
    same();
    assert.equal(cache.parses, 2, 'each service parsed once over two rounds');

    h.applyOk({ op: 'service.scale', at: 4, id: 'svc-0000000000000000000001', version: 0, taskIdSeed: 'seed-000000000000003', replicas: 3 });
    same();
    assert.equal(cache.parses, 3, 'only the scaled service was parsed again');

    const web = serviceById(h.db, 'svc-0000000000000000000001')!;
    h.applyOk({ op: 'service.update', at: 5, id: web.id, version: web.version, taskIdSeed: 'seed-000000000000004', spec: spec('web', 3, 'true') });
    same();
    assert.equal(cache.parses, 4);
    const started = serviceById(h.db, web.id)!.updateStatus!;
    h.applyOk({ op: 'service.update-status', at: 6, id: web.id, startedIndex: started.startedIndex, status: { ...started, state: 'paused', message: 'paused by test' } });
    same();
    assert.equal(cache.list(h.db).find((s) => s.id === web.id)!.updateStatus!.state, 'paused', 'the progress record is seen without a version change');
    assert.equal(cache.parses, 4, 'and without parsing the spec again');

    h.applyOk({ op: 'service.remove', at: 7, id: 'svc-0000000000000000000002' });
    same();
  } finally {
    h.close();
  }
});
