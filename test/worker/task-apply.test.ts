import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { StoreHarness, NODE_ID } from '../network/store-harness.js';
import type { ServiceSpecRecord } from '../../src/manager/store/service-commands.js';
import { listTasks, taskById } from '../../src/manager/store/service-queries.js';
import { attachmentsOfOwner } from '../../src/manager/store/network-queries.js';
import { isForward } from '../../src/manager/store/task-apply.js';
import { restartDecision } from '../../src/manager/orchestrator.js';
import { eventBounds, eventsAfter } from '../../src/manager/store/events.js';

const spec = (name: string, replicas: number, networks: string[]): ServiceSpecRecord => ({
  name,
  labels: {},
  mode: 'replicated',
  replicas,
  template: {
    command: '/bin/true',
    args: [],
    env: [],
    reservations: { nanoCpus: 0, memoryBytes: 0 },
    restartPolicy: { condition: 'any', delayMs: 5_000, maxAttempts: 0, windowMs: 0 },
  },
  networks,
  placement: { constraints: [], preferences: [], maxReplicasPerNode: 0 },
  updateConfig: { parallelism: 1, delayMs: 0, order: 'stop-first', failureAction: 'pause', monitorMs: 0 },
  stack: '',
});

describe('task lifecycle commands (apply)', () => {
  let h: StoreHarness;
  const OTHER = 'node000000000000000000002';
  before(() => {
    h = StoreHarness.open();
    h.applyOk({ op: 'node.join', at: 2, id: OTHER, hostname: 'w2', role: 'worker', addr: '127.0.0.1:2', tokenHash: workerHash(h) });
    h.applyOk({ op: 'network.create', at: 3, id: 'net00000000000000000000001', name: 'front', driver: 'overlay', attachable: false, labels: {} });
    h.applyOk({ op: 'service.create', at: 4, id: 'svc00000000000000000000001', taskIdSeed: 'seed-0123456789abcdef', spec: spec('web', 2, ['net00000000000000000000001']) });
  });
  after(() => h.close());

  // Proves placement moves a pending task to assigned on the node, with its address following it, and records an event.
  test('task.place assigns pending tasks and moves their attachments', () => {
    const [t1, t2] = listTasks(h.db);
    const before = eventBounds(h.db).newest;
    const r = h.applyOk({ op: 'task.place', at: 10, placements: [{ taskId: t1!.id, nodeId: NODE_ID }, { taskId: t2!.id, nodeId: 'no-such-node' }], pending: [{ taskId: t2!.id, message: 'no node fits' }] }) as { applied: number; skipped: number };
    assert.deepEqual(r, { applied: 2, skipped: 1 });
    const p1 = taskById(h.db, t1!.id)!;
    assert.equal(p1.status.state, 'assigned');
    assert.equal(p1.nodeId, NODE_ID);
    assert.equal(attachmentsOfOwner(h.db, 'task', t1!.id)[0]?.nodeId, NODE_ID);
    assert.equal(taskById(h.db, t2!.id)!.status.message, 'no node fits');
    assert.ok(eventsAfter(h.db, before, 10).some((e) => e.kind === 'task' && e.objectId === t1!.id));
  });

  // Proves status updates apply only forward, only from the task's node, and never after a terminal state.
  test('task.status takes forward transitions from the owning node only', () => {
    const t = listTasks(h.db).find((x) => x.nodeId === NODE_ID)!;
    const upd = (nodeId: string, state: 'running' | 'starting' | 'failed' | 'complete', at: number) => ({ taskId: t.id, nodeId, state, message: state, err: '', exitCode: state === 'failed' ? 3 : 0, at });
    h.applyOk({ op: 'task.status', at: 11, updates: [upd(OTHER, 'running', 11)] });
    assert.equal(taskById(h.db, t.id)!.status.state, 'assigned', 'an update from another node is ignored');
    h.applyOk({ op: 'task.status', at: 12, updates: [upd(NODE_ID, 'running', 12), upd(NODE_ID, 'starting', 13)] });
    assert.equal(taskById(h.db, t.id)!.status.state, 'running', 'a backward transition is ignored');
    h.applyOk({ op: 'task.status', at: 14, updates: [upd(NODE_ID, 'failed', 14), upd(NODE_ID, 'complete', 15)] });
    const after = taskById(h.db, t.id)!;
    assert.equal(after.status.state, 'failed');
    assert.equal(after.status.exitCode, 3);
    assert.deepEqual(after.history.map((s) => s.state), ['new', 'pending', 'assigned', 'running']);
    assert.equal(isForward('failed', 'running'), false);
    assert.equal(isForward('assigned', 'running'), true);
  });

  // Proves the restart policy waits for its delay, and replacement keeps the slot, shuts the old task and frees its address.
  test('task.replace puts a new pending task in the same slot', () => {
    const old = listTasks(h.db).find((x) => x.status.state === 'failed')!;
    assert.deepEqual(restartDecision(old, old.status.at + 1_000, () => 0), { kind: 'wait' });
    assert.equal(restartDecision(old, old.status.at + 5_000, () => 0).kind, 'replace');
    h.applyOk({ op: 'task.replace', at: 20, replacements: [{ oldTaskId: old.id, newTaskId: 'new00000000000000000000001', reason: 'restart' }] });
    const o = taskById(h.db, old.id)!;
    const n = taskById(h.db, 'new00000000000000000000001')!;
    assert.equal(o.desiredState, 'shutdown');
    assert.equal(n.slot, old.slot);
    assert.equal(n.status.state, 'pending');
    assert.equal(attachmentsOfOwner(h.db, 'task', old.id).length, 0, 'the ended task gave its address back');
    assert.equal(attachmentsOfOwner(h.db, 'task', n.id).length, 1, 'the new task has an address');
    // Replacing the same task again is skipped (it is no longer desired running).
    const again = h.applyOk({ op: 'task.replace', at: 21, replacements: [{ oldTaskId: old.id, newTaskId: 'new00000000000000000000002', reason: 'x' }] }) as { skipped: number };
    assert.equal(again.skipped, 1);
  });
});

function workerHash(h: StoreHarness): string {
  const r = h.db.prepare('SELECT worker_token_hash AS w FROM cluster').get() as { w: string };
  return r.w;
}
