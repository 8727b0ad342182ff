// The store's side of rolling updates, applied command by command on a real
// state database: update status, start-first replacements beside the old task,
// the stop-first address hand-over and its placement gate, rollback.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { StoreHarness, NODE_ID } from '../network/store-harness.js';
import type { ServiceSpecRecord, TaskState } from '../../src/manager/store/service-commands.js';
import { listTasks, serviceById, taskById, type TaskRecord } from '../../src/manager/store/service-queries.js';
import { attachmentsOfOwner } from '../../src/manager/store/network-queries.js';
import { predecessorStillRunning } from '../../src/manager/store/task-queries.js';
import { migrateState } from '../../src/manager/store/schema.js';

const SVC = 'svc00000000000000000000001';
const NET_A = 'net0000000000000000000000a';
const NET_B = 'net0000000000000000000000b';

const spec = (command: string, networks: string[], replicas = 2): ServiceSpecRecord => ({
  name: 'web',
  labels: {},
  mode: 'replicated',
  replicas,
  template: {
    command,
    args: [],
    env: [],
    reservations: { nanoCpus: 0, memoryBytes: 0 },
    restartPolicy: { condition: 'any', delayMs: 0, maxAttempts: 0, windowMs: 0 },
  },
  networks,
  placement: { constraints: [], preferences: [], maxReplicasPerNode: 0 },
  updateConfig: { parallelism: 1, delayMs: 0, order: 'stop-first', failureAction: 'pause', monitorMs: 0 },
  stack: '',
});

describe('rolling updates in the store', () => {
  let h: StoreHarness;
  let at = 100;
  const live = (): TaskRecord[] => listTasks(h.db).filter((t) => t.desiredState === 'running');
  const status = (t: TaskRecord, state: TaskState): void => {
    h.applyOk({ op: 'task.status', at: ++at, updates: [{ taskId: t.id, nodeId: NODE_ID, state, message: state, err: '', exitCode: 0, at }] });
  };
  const placeAndRun = (t: TaskRecord): void => {
    h.applyOk({ op: 'task.place', at: ++at, placements: [{ taskId: t.id, nodeId: NODE_ID }], pending: [] });
    status(t, 'running');
  };
  const addressOn = (taskId: string, net: string): number | undefined => attachmentsOfOwner(h.db, 'task', taskId).find((a) => a.networkId === net)?.address;

  before(() => {
    h = StoreHarness.open();
    h.applyOk({ op: 'node.status', at: 2, updates: [{ id: NODE_ID, status: 'ready', message: '' }] });
    h.applyOk({ op: 'network.create', at: 3, id: NET_A, name: 'a', driver: 'overlay', attachable: false, labels: {} });
    h.applyOk({ op: 'network.create', at: 4, id: NET_B, name: 'b', driver: 'overlay', attachable: false, labels: {} });
    h.applyOk({ op: 'service.create', at: 5, id: SVC, taskIdSeed: 'seed-0123456789abcdef', spec: spec('v1', [NET_A, NET_B]) });
    for (const t of live()) placeAndRun(t);
  });
  after(() => h.close());

  // Proves an update that changes started tasks starts a rollout (they are not touched by the apply),
  // and a change that concerns no task leaves the status alone.
  test('a spec change over running tasks starts a rollout and keeps the tasks', () => {
    const s = serviceById(h.db, SVC)!;
    assert.equal(s.updateStatus, null, 'never updated');
    const ids = live().map((t) => t.id);
    h.applyOk({ op: 'service.update', at: ++at, id: SVC, version: s.version, taskIdSeed: 'seed-update-0000000001', spec: spec('v2', [NET_A]) });
    const u = serviceById(h.db, SVC)!;
    assert.deepEqual({ state: u.updateStatus?.state, startedAt: u.updateStatus?.startedAt }, { state: 'updating', startedAt: at });
    assert.deepEqual(live().map((t) => t.id), ids, 'running tasks wait for the updater');
    h.applyOk({ op: 'service.update', at: ++at, id: SVC, version: u.version, taskIdSeed: 'seed-update-0000000002', spec: { ...spec('v2', [NET_A]), labels: { x: 'y' } } });
    assert.equal(serviceById(h.db, SVC)!.updateStatus?.startedAt, u.updateStatus?.startedAt, 'a label change is no new rollout');
  });

  // Proves stop-first keeps the address on the network that stays: the old task holds it until it stops, then
  // the new one takes it over (never free in between); the dropped network's address goes back to the pool;
  // and the new task cannot be placed while the old one still runs on its ready node.
  test('stop-first hands the address over when the old task stops; the new task waits for it', () => {
    const old = live().find((t) => t.slot === 1)!;
    const keptAddress = addressOn(old.id, NET_A);
    assert.ok(keptAddress);
    h.applyOk({ op: 'task.replace', at: ++at, replacements: [{ oldTaskId: old.id, newTaskId: 'new00000000000000000000001', reason: 'rolling update' }] });
    const n = taskById(h.db, 'new00000000000000000000001')!;
    assert.equal(attachmentsOfOwner(h.db, 'task', n.id).length, 0, 'nothing allocated for the new task yet: it waits for the old one\'s address');
    assert.equal(addressOn(old.id, NET_A), keptAddress, 'the old task keeps its addresses while it runs');
    assert.equal(predecessorStillRunning(h.db, n), old.id);
    const refused = h.applyOk({ op: 'task.place', at: ++at, placements: [{ taskId: n.id, nodeId: NODE_ID }], pending: [] }) as { skipped: number };
    assert.equal(refused.skipped, 1, 'placement refused while the old task runs');
    status(old, 'shutdown');
    assert.equal(attachmentsOfOwner(h.db, 'task', old.id).length, 0, 'the stopped task holds nothing');
    assert.equal(addressOn(n.id, NET_A), keptAddress, 'same address on the network that stays');
    assert.equal(addressOn(n.id, NET_B), undefined, 'the dropped network\'s address went back to the pool');
    assert.equal(predecessorStillRunning(h.db, n), null);
    placeAndRun(n);
    assert.equal(taskById(h.db, n.id)!.status.state, 'running');
    assert.equal(addressOn(n.id, NET_A), keptAddress);
  });

  // Proves start-first: the new task runs beside the old one (the uniqueness rule allows exactly one such
  // replacement per task), and when it runs the old one is shut down and the new one owns the slot.
  test('start-first runs the new task beside the old one, then retires the old', () => {
    const old = live().find((t) => t.slot === 2)!;
    h.applyOk({ op: 'task.replace', at: ++at, replacements: [{ oldTaskId: old.id, newTaskId: 'new00000000000000000000002', reason: 'rolling update', startFirst: true }] });
    const again = h.applyOk({ op: 'task.replace', at: ++at, replacements: [{ oldTaskId: old.id, newTaskId: 'new00000000000000000000003', reason: 'again', startFirst: true }] }) as { skipped: number };
    assert.equal(again.skipped, 1, 'one start-first replacement per task');
    const n = taskById(h.db, 'new00000000000000000000002')!;
    assert.equal(n.replaces, old.id);
    assert.equal(live().filter((t) => t.slot === 2).length, 2, 'both wanted running in the slot');
    assert.notEqual(addressOn(n.id, NET_A), addressOn(old.id, NET_A), 'running side by side, they hold different addresses');
    placeAndRun(n);
    const o = taskById(h.db, old.id)!;
    assert.equal(o.desiredState, 'shutdown');
    assert.match(o.status.message, /./);
    assert.equal(taskById(h.db, n.id)!.replaces, '', 'the new task owns the slot');
    assert.equal(live().filter((t) => t.slot === 2).length, 1);
    // A second live task in the slot without the replacement mark breaks the store's rule.
    assert.throws(() => h.db.prepare("UPDATE tasks SET desired_state = 'running' WHERE id = ?").run(old.id), /UNIQUE/);
  });

  // Proves a replacement of a task that has a start-first replacement hands the slot to that replacement.
  test('replacing a task whose start-first replacement exists promotes the replacement', () => {
    const s = serviceById(h.db, SVC)!;
    h.applyOk({ op: 'service.update', at: ++at, id: SVC, version: s.version, taskIdSeed: 'seed-update-0000000003', spec: spec('v3', [NET_A]) });
    const old = live().find((t) => t.slot === 1)!;
    h.applyOk({ op: 'task.replace', at: ++at, replacements: [{ oldTaskId: old.id, newTaskId: 'new00000000000000000000004', reason: 'rolling update', startFirst: true }] });
    h.applyOk({ op: 'task.replace', at: ++at, replacements: [{ oldTaskId: old.id, newTaskId: 'new00000000000000000000005', reason: 'node is down' }] });
    assert.equal(taskById(h.db, 'new00000000000000000000005'), null, 'no third task');
    assert.equal(taskById(h.db, 'new00000000000000000000004')!.replaces, '');
    assert.deepEqual(live().filter((t) => t.slot === 1).map((t) => t.id), ['new00000000000000000000004']);
  });

  // Proves rollback swaps the spec with the previous one and records why; the updater's status writes
  // apply only to the rollout they were decided for.
  test('rollback restores the previous spec; status writes for an older rollout are ignored', () => {
    const s = serviceById(h.db, SVC)!;
    h.applyOk({ op: 'service.update', at: ++at, id: SVC, version: s.version, taskIdSeed: 'seed-update-0000000004', spec: s.previousSpec!, rollback: 'update failed: task x failed' });
    const r = serviceById(h.db, SVC)!;
    assert.equal(r.spec.template.command, 'v2');
    assert.equal(r.previousSpec?.template.command, 'v3');
    assert.equal(r.updateStatus?.state, 'rollback-started');
    assert.match(r.updateStatus?.message ?? '', /update failed: task x failed/);
    const old = s.updateStatus!;
    const stale = h.applyOk({ op: 'service.update-status', at: ++at, id: SVC, startedIndex: old.startedIndex, status: { ...old, state: 'paused', message: 'old' } });
    assert.equal(stale, false);
    h.applyOk({ op: 'service.update-status', at: ++at, id: SVC, startedIndex: r.updateStatus.startedIndex, status: { ...r.updateStatus, state: 'rollback-completed', completedAt: at } });
    const done = serviceById(h.db, SVC)!;
    assert.equal(done.updateStatus?.state, 'rollback-completed');
    assert.equal(done.version, r.version, 'progress is not a spec change');
  });
});

// Proves a task being shut down whose node goes down before it reports is orphaned by task.orphan and its
// addresses go back to the pool (not to a successor: it may still run behind a partition); while its node
// is ready, task.orphan leaves it alone.
test('task.orphan releases a stopping task stranded on a down node', () => {
  const h = StoreHarness.open();
  try {
    let at = 10;
    h.applyOk({ op: 'node.status', at: ++at, updates: [{ id: NODE_ID, status: 'ready', message: '' }] });
    h.applyOk({ op: 'network.create', at: ++at, id: NET_A, name: 'a', driver: 'overlay', attachable: false, labels: {} });
    h.applyOk({ op: 'service.create', at: ++at, id: SVC, taskIdSeed: 'seed-0123456789abcdef', spec: spec('v1', [NET_A], 1) });
    const t = listTasks(h.db)[0]!;
    h.applyOk({ op: 'task.place', at: ++at, placements: [{ taskId: t.id, nodeId: NODE_ID }], pending: [] });
    h.applyOk({ op: 'task.shutdown', at: ++at, tasks: [{ taskId: t.id, reason: 'scaled' }] });
    const skipped = h.applyOk({ op: 'task.orphan', at: ++at, tasks: [{ taskId: t.id, reason: 'x' }] }) as { skipped: number };
    assert.equal(skipped.skipped, 1, 'its node is ready: it will report');
    assert.equal(attachmentsOfOwner(h.db, 'task', t.id).length, 1);
    h.applyOk({ op: 'node.status', at: ++at, updates: [{ id: NODE_ID, status: 'down', message: '' }] });
    h.applyOk({ op: 'task.orphan', at: ++at, tasks: [{ taskId: t.id, reason: 'node m1 went down before the task reported stopping' }] });
    assert.equal(taskById(h.db, t.id)!.status.state, 'orphaned');
    assert.equal(attachmentsOfOwner(h.db, 'task', t.id).length, 0, 'its address is free again');
  } finally {
    h.close();
  }
});

// Proves a state database written by schema 1 (before rolling updates) is migrated: the new columns
// exist with their defaults and the uniqueness rules are rebuilt to allow start-first replacements.
test('a schema-1 state database gains the rolling-update columns', () => {
  const dir = mkdtempSync(join(tmpdir(), 'shoal-migrate-'));
  try {
    const db = new Database(join(dir, 'state.db'));
    db.exec(`
      CREATE TABLE services (id TEXT PRIMARY KEY, name TEXT NOT NULL UNIQUE, mode TEXT NOT NULL, replicas INTEGER NOT NULL, spec TEXT NOT NULL,
        previous_spec TEXT, created_at INTEGER NOT NULL, updated_at INTEGER NOT NULL, version INTEGER NOT NULL);
      CREATE TABLE tasks (id TEXT PRIMARY KEY, service_id TEXT NOT NULL, slot INTEGER NOT NULL, node_id TEXT NOT NULL DEFAULT '',
        desired_state TEXT NOT NULL, state TEXT NOT NULL, status_message TEXT NOT NULL DEFAULT '', status_err TEXT NOT NULL DEFAULT '',
        exit_code INTEGER NOT NULL DEFAULT 0, status_at INTEGER NOT NULL, history TEXT NOT NULL DEFAULT '[]', spec TEXT NOT NULL,
        networks TEXT NOT NULL DEFAULT '[]', created_at INTEGER NOT NULL, updated_at INTEGER NOT NULL, version INTEGER NOT NULL);
      CREATE UNIQUE INDEX tasks_live_slot ON tasks (service_id, slot) WHERE slot > 0 AND desired_state = 'running';
      INSERT INTO tasks VALUES ('t1', 's1', 1, '', 'running', 'running', '', '', 0, 1, '[]', '{}', '[]', 1, 1, 1);
    `);
    migrateState(db, 1);
    const cols = (table: string): string[] => (db.prepare(`PRAGMA table_info(${table})`).all() as { name: string }[]).map((c) => c.name);
    assert.ok(cols('services').includes('update_status'));
    assert.ok(cols('tasks').includes('replaces'));
    assert.equal((db.prepare("SELECT replaces FROM tasks WHERE id = 't1'").get() as { replaces: string }).replaces, '');
    const insert = db.prepare(
      `INSERT INTO tasks (id, service_id, slot, desired_state, state, status_at, spec, replaces, created_at, updated_at, version)
       VALUES (?, 's1', 1, 'running', 'pending', 1, '{}', ?, 1, 1, 1)`,
    );
    insert.run('t2', 't1'); // a start-first replacement beside t1
    assert.throws(() => insert.run('t3', ''), /UNIQUE/, 'a second task of the slot');
    assert.throws(() => insert.run('t4', 't1'), /UNIQUE/, 'a second replacement of t1');
    db.close();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

// Proves how a scale-down chooses: tasks that do not run yet go first, then running ones on the node with
// the most tasks of the service (the spread stays even); a scale-up fills the lowest free slot numbers.
test('scale-down removes what does not run yet, then from the most crowded node; scale-up fills free slots', () => {
  const h = StoreHarness.open();
  try {
    let at = 10;
    const OTHER = 'node000000000000000000002';
    const hash = (h.db.prepare('SELECT worker_token_hash AS w FROM cluster').get() as { w: string }).w;
    h.applyOk({ op: 'node.join', at: ++at, id: OTHER, hostname: 'w2', role: 'worker', addr: '127.0.0.1:2', tokenHash: hash });
    h.applyOk({ op: 'node.status', at: ++at, updates: [{ id: NODE_ID, status: 'ready', message: '' }, { id: OTHER, status: 'ready', message: '' }] });
    h.applyOk({ op: 'service.create', at: ++at, id: SVC, taskIdSeed: 'seed-0123456789abcdef', spec: spec('v1', [], 5) });
    const bySlot = (): Map<number, TaskRecord> => new Map(listTasks(h.db).filter((t) => t.desiredState === 'running').map((t) => [t.slot, t]));
    const run = (slot: number, nodeId: string): void => {
      const t = bySlot().get(slot)!;
      h.applyOk({ op: 'task.place', at: ++at, placements: [{ taskId: t.id, nodeId }], pending: [] });
      h.applyOk({ op: 'task.status', at: ++at, updates: [{ taskId: t.id, nodeId, state: 'running', message: '', err: '', exitCode: 0, at }] });
    };
    // Slots 1, 2 and 4 run on m1, 5 on w2; slot 3 is still pending.
    run(1, NODE_ID);
    run(2, NODE_ID);
    run(4, NODE_ID);
    run(5, OTHER);
    const scale = (replicas: number): void => {
      h.applyOk({ op: 'service.scale', at: ++at, id: SVC, version: 0, taskIdSeed: `seed-scale-${String(replicas).padStart(10, '0')}`, replicas });
    };
    scale(4);
    assert.deepEqual([...bySlot().keys()].sort(), [1, 2, 4, 5], 'the pending slot 3 went first');
    scale(3);
    assert.deepEqual([...bySlot().keys()].sort(), [1, 2, 5], 'then the highest slot on the crowded node (m1 had 3, w2 1)');
    scale(2);
    assert.deepEqual([...bySlot().keys()].sort(), [1, 5], 'm1 still had 2: one more from there, leaving 1 and 1');
    scale(4);
    assert.deepEqual([...bySlot().keys()].sort(), [1, 2, 3, 5], 'new slots take the lowest free numbers');
  } finally {
    h.close();
  }
});

// Proves the reaper keeps a few ended tasks of a rollout in progress even with a task history limit of
// 0 (the updater counts their failures for --update-max-failure-ratio), at most 5 per slot, and lets
// them go once the rollout is over.
test('a rollout in progress keeps a bounded number of its ended tasks', () => {
  const h = StoreHarness.open();
  try {
    let at = 10;
    h.applyOk({ op: 'node.status', at: ++at, updates: [{ id: NODE_ID, status: 'ready', message: '' }] });
    h.applyOk({ op: 'cluster.update', at: ++at, version: 0, taskHistoryLimit: 0 });
    h.applyOk({ op: 'service.create', at: ++at, id: SVC, taskIdSeed: 'seed-0123456789abcdef', spec: spec('v1', [], 1) });
    const cycle = (n: number): void => {
      const t = listTasks(h.db).find((x) => x.desiredState === 'running')!;
      h.applyOk({ op: 'task.place', at: ++at, placements: [{ taskId: t.id, nodeId: NODE_ID }], pending: [] });
      h.applyOk({ op: 'task.status', at: ++at, updates: [{ taskId: t.id, nodeId: NODE_ID, state: 'failed', message: 'exit 1', err: '', exitCode: 1, at }] });
      h.applyOk({ op: 'task.replace', at: ++at, replacements: [{ oldTaskId: t.id, newTaskId: `r${String(n).padStart(24, '0')}`, reason: 'restart', restart: true }] });
    };
    const dead = (): number => listTasks(h.db).filter((x) => x.desiredState !== 'running').length;
    cycle(0);
    assert.equal(dead(), 0, 'limit 0: no history without a rollout');
    const running = listTasks(h.db).find((x) => x.desiredState === 'running')!;
    h.applyOk({ op: 'task.place', at: ++at, placements: [{ taskId: running.id, nodeId: NODE_ID }], pending: [] });
    h.applyOk({ op: 'task.status', at: ++at, updates: [{ taskId: running.id, nodeId: NODE_ID, state: 'running', message: '', err: '', exitCode: 0, at }] });
    const s = serviceById(h.db, SVC)!;
    h.applyOk({ op: 'service.update', at: ++at, id: SVC, version: s.version, taskIdSeed: 'seed-update-0000000009', spec: spec('v2', [], 1) });
    assert.equal(serviceById(h.db, SVC)!.updateStatus?.state, 'updating');
    h.applyOk({ op: 'task.replace', at: ++at, replacements: [{ oldTaskId: running.id, newTaskId: 'rolled0000000000000000001', reason: 'rolling update' }] });
    h.applyOk({ op: 'task.status', at: ++at, updates: [{ taskId: running.id, nodeId: NODE_ID, state: 'shutdown', message: '', err: '', exitCode: 0, at }] });
    for (let i = 1; i <= 8; i++) cycle(i);
    assert.equal(dead(), 5, 'the rollout keeps 5 of its 8 ended tasks');
    const st = serviceById(h.db, SVC)!.updateStatus!;
    h.applyOk({ op: 'service.update-status', at: ++at, id: SVC, startedIndex: st.startedIndex, status: { ...st, state: 'completed', completedAt: at } });
    cycle(9);
    assert.equal(dead(), 0, 'once it is over, the limit applies again');
  } finally {
    h.close();
  }
});
