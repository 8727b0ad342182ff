// The rolling updater's decisions (planUpdate) as a pure function: batches of
// `parallelism`, the delay between batches, start-first vs stop-first, the
// failure actions and the monitor window, completion, constraint-driven
// replacement and outdated start-first replacements.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { planUpdate } from '../../src/manager/update-plan.js';
import type { ServiceSpecRecord, TaskState, UpdateConfigSpec, UpdateStatusRecord } from '../../src/manager/store/service-commands.js';
import type { ServiceRecord, TaskRecord } from '../../src/manager/store/service-queries.js';
import type { SchedNode } from '../../src/scheduler/types.js';
import { node } from '../scheduler/fixtures.js';

const STARTED = 1_000;
const NOW = 10_000;

function spec(command: string, over: Partial<UpdateConfigSpec> = {}, constraints: string[] = []): ServiceSpecRecord {
  return {
    name: 'web',
    labels: {},
    mode: 'replicated',
    replicas: 4,
    template: {
      command,
      args: [],
      env: [],
      reservations: { nanoCpus: 0, memoryBytes: 0 },
      restartPolicy: { condition: 'any', delayMs: 0, maxAttempts: 0, windowMs: 0 },
    },
    networks: ['n1'],
    placement: { constraints, preferences: [], maxReplicasPerNode: 0 },
    updateConfig: { parallelism: 1, delayMs: 0, order: 'stop-first', failureAction: 'pause', monitorMs: 0, ...over },
    stack: '',
  };
}

function service(s: ServiceSpecRecord, status: Partial<UpdateStatusRecord> = {}): ServiceRecord {
  return {
    id: 'svc',
    name: s.name,
    mode: s.mode,
    replicas: s.replicas,
    spec: s,
    previousSpec: spec('v1'),
    updateStatus: { state: 'updating', startedIndex: STARTED, startedAt: STARTED, completedAt: 0, message: 'update in progress', ...status },
    createdAt: 0,
    updatedAt: STARTED,
    version: 7,
  };
}

interface TaskOpts {
  readonly command?: string;
  readonly state?: TaskState;
  readonly desired?: TaskState;
  readonly createdAt?: number;
  /** When the task reached running (kept in history if it moved on). */
  readonly ranAt?: number;
  readonly statusAt?: number;
  readonly nodeId?: string;
  readonly replaces?: string;
}

function task(id: string, slot: number, o: TaskOpts = {}): TaskRecord {
  const state = o.state ?? 'running';
  const ranAt = o.ranAt ?? 500;
  const history = state === 'running' ? [] : o.ranAt !== undefined ? [{ state: 'running' as const, message: '', err: '', exitCode: 0, at: ranAt }] : [];
  return {
    id,
    serviceId: 'svc',
    slot,
    nodeId: o.nodeId ?? 'a',
    desiredState: o.desired ?? 'running',
    status: { state, message: state === 'failed' ? 'exit status 1' : '', err: '', exitCode: 0, at: state === 'running' ? ranAt : (o.statusAt ?? NOW - 1) },
    history,
    spec: spec(o.command ?? 'v1').template,
    networks: ['n1'],
    replaces: o.replaces ?? '',
    // These tests use one number for a task's creation: as its Raft index and its time (the planner reads the index).
    createdIndex: o.createdAt ?? 0,
    createdAt: o.createdAt ?? 0,
    updatedAt: 0,
    version: 1,
  };
}

const nodes = new Map<string, SchedNode>([
  ['a', node('a', { labels: { zone: 'east' } })],
  ['b', node('b', { labels: { zone: 'west' } })],
]);
const old4 = (): TaskRecord[] => [1, 2, 3, 4].map((i) => task(`old${i}`, i));

describe('planUpdate', () => {
  // Proves nothing happens unless a rollout is under way.
  test('no rollout in progress: nothing to do', () => {
    for (const state of ['completed', 'paused', 'rollback-completed', 'rollback-paused'] as const) {
      assert.deepEqual(planUpdate(service(spec('v2'), { state }), old4(), nodes, NOW), { replace: [], shutdown: [] });
    }
  });

  // Proves the first batch is `parallelism` outdated tasks in slot order, with the configured order.
  test('the first batch takes `parallelism` outdated slots, in slot order', () => {
    const p = planUpdate(service(spec('v2', { parallelism: 2, order: 'start-first' })), old4().reverse(), nodes, NOW);
    assert.deepEqual(p.replace, [{ taskId: 'old1', startFirst: true }, { taskId: 'old2', startFirst: true }]);
    const all = planUpdate(service(spec('v2', { parallelism: 0 })), old4(), nodes, NOW);
    assert.equal(all.replace.length, 4, 'parallelism 0 replaces every slot at once');
    assert.ok(all.replace.every((r) => !r.startFirst));
  });

  // Proves a slot is in flight until its new task runs, and for `delayMs` after: no new batch before that.
  test('the next batch waits for the new tasks to run, then for the delay', () => {
    const cfg = { parallelism: 1, delayMs: 2_000 };
    const pending = [task('new1', 1, { command: 'v2', state: 'pending', createdAt: 2_000 }), ...old4().slice(1)];
    assert.deepEqual(planUpdate(service(spec('v2', cfg)), pending, nodes, NOW).replace, [], 'new task not running yet');
    const justRan = [task('new1', 1, { command: 'v2', createdAt: 2_000, ranAt: NOW - 500 }), ...old4().slice(1)];
    assert.deepEqual(planUpdate(service(spec('v2', cfg)), justRan, nodes, NOW).replace, [], 'within the delay');
    const settled = [task('new1', 1, { command: 'v2', createdAt: 2_000, ranAt: NOW - 2_500 }), ...old4().slice(1)];
    assert.deepEqual(planUpdate(service(spec('v2', cfg)), settled, nodes, NOW).replace, [{ taskId: 'old2', startFirst: false }]);
    const startFirst = [task('new1', 1, { command: 'v2', state: 'pending', createdAt: 2_000, replaces: 'old1' }), ...old4()];
    assert.deepEqual(planUpdate(service(spec('v2', cfg)), startFirst, nodes, NOW).replace, [], 'a start-first replacement is in flight too');
  });

  // Proves a monitored failure pauses the update, rolls it back, or is ignored, as the failure action says;
  // a failure after the monitor window or of an outdated task does not count.
  test('failure actions and the monitor window', () => {
    const failedNew = (ranAt: number, statusAt: number): TaskRecord => task('new1', 1, { command: 'v2', state: 'failed', createdAt: 2_000, ranAt, statusAt, desired: 'shutdown' });
    const tasks = [failedNew(3_000, 4_000), task('new1b', 1, { command: 'v2', state: 'pending', createdAt: 4_100 }), ...old4().slice(1)];
    const paused = planUpdate(service(spec('v2', { monitorMs: 5_000 })), tasks, nodes, NOW);
    assert.equal(paused.status?.state, 'paused');
    assert.match(paused.status?.message ?? '', /^update paused: task new1 \(slot 1\) failed: exit status 1/);
    const back = planUpdate(service(spec('v2', { monitorMs: 5_000, failureAction: 'rollback' })), tasks, nodes, NOW);
    assert.match(back.rollback ?? '', /^update failed: task new1/);
    const cont = planUpdate(service(spec('v2', { monitorMs: 5_000, failureAction: 'continue' })), tasks, nodes, NOW);
    assert.equal(cont.status, undefined);
    assert.equal(cont.rollback, undefined);
    const late = [failedNew(3_000, 9_000), ...tasks.slice(1)];
    assert.equal(planUpdate(service(spec('v2', { monitorMs: 5_000 })), late, nodes, NOW).status, undefined, 'failed after the monitor window');
    const neverRan = [task('new1', 1, { command: 'v2', state: 'rejected', createdAt: 2_000, desired: 'shutdown' }), ...tasks.slice(1)];
    assert.equal(planUpdate(service(spec('v2')), neverRan, nodes, NOW).status?.state, 'paused', 'a task that never ran counts even with monitor 0');
    const oldFailed = [task('old1', 1, { state: 'failed', ranAt: 3_000, statusAt: 3_500, createdAt: 0 }), ...old4().slice(1)];
    assert.equal(planUpdate(service(spec('v2', { monitorMs: 5_000 })), oldFailed, nodes, NOW).status, undefined, 'a task of the old spec failing is not the update failing');
    const rollbackFails = planUpdate(service(spec('v2', { monitorMs: 5_000, failureAction: 'rollback' }), { state: 'rollback-started' }), tasks, nodes, NOW);
    assert.equal(rollbackFails.status?.state, 'rollback-paused', 'a failing rollback pauses');
  });

  // Proves a rollback follows the rollback settings of the spec it returns to (batch size, order,
  // failure action continue or pause, failure ratio) instead of the update settings, and that without
  // them the update settings apply and the first failure pauses it.
  test('a rollback follows the rollback config', () => {
    const back = (rollbackConfig?: UpdateConfigSpec): ServiceRecord => ({
      ...service({ ...spec('v1', { monitorMs: 5_000 }), ...(rollbackConfig ? { rollbackConfig } : {}) }, { state: 'rollback-started', message: 'rollback started: update failed: x' }),
      previousSpec: spec('v2'),
    });
    const v2 = (): TaskRecord[] => [1, 2, 3, 4].map((i) => task(`new${i}`, i, { command: 'v2', createdAt: 500 }));
    const cfg = (over: Partial<UpdateConfigSpec>): UpdateConfigSpec => ({ parallelism: 3, delayMs: 0, order: 'start-first', failureAction: 'pause', monitorMs: 5_000, ...over });
    const p = planUpdate(back(cfg({})), v2(), nodes, NOW);
    assert.deepEqual(p.replace, [1, 2, 3].map((i) => ({ taskId: `new${i}`, startFirst: true })), 'three at a time, start-first, as the rollback config says');
    assert.deepEqual(planUpdate(back(), v2(), nodes, NOW).replace, [{ taskId: 'new1', startFirst: false }], 'without one: the update config (1, stop-first)');

    // Slot 1 rolled back and runs; slot 2's rolled-back task failed within the monitor window.
    const failing = [
      task('old1', 1, { command: 'v1', createdAt: 2_000, ranAt: 3_000 }),
      task('old2', 2, { command: 'v1', state: 'failed', createdAt: 2_000, ranAt: 3_000, statusAt: 3_500, desired: 'shutdown' }),
      ...v2().slice(1),
    ];
    assert.equal(planUpdate(back(cfg({ failureAction: 'continue' })), failing, nodes, NOW).status, undefined, 'continue: the rollback goes on');
    assert.equal(planUpdate(back(cfg({ maxFailureRatio: 0.5 })), failing, nodes, NOW).status, undefined, '1 failure of 2 slots is within a ratio of 0.5');
    const paused = planUpdate(back(cfg({})), failing, nodes, NOW);
    assert.equal(paused.status?.state, 'rollback-paused');
    assert.match(paused.status?.message ?? '', /^rollback paused: task old2 \(slot 2\) failed/);
    assert.equal(planUpdate(back(), failing, nodes, NOW).status?.state, 'rollback-paused', 'without a rollback config the first failure pauses');
  });

  // Proves --update-max-failure-ratio: failures up to that share of the slots updated so far are tolerated.
  test('max failure ratio tolerates some failures', () => {
    const tasks = [
      task('new1', 1, { command: 'v2', state: 'failed', createdAt: 2_000, ranAt: 3_000, statusAt: 3_100, desired: 'shutdown' }),
      task('new1b', 1, { command: 'v2', createdAt: 3_200, ranAt: 3_300 }),
      task('new2', 2, { command: 'v2', createdAt: 2_000, ranAt: 3_000 }),
      ...old4().slice(2),
    ];
    assert.equal(planUpdate(service(spec('v2', { monitorMs: 5_000, maxFailureRatio: 0.5 })), tasks, nodes, NOW).status, undefined, '1 failure in 2 slots is within 0.5');
    assert.equal(planUpdate(service(spec('v2', { monitorMs: 5_000, maxFailureRatio: 0.4 })), tasks, nodes, NOW).status?.state, 'paused', '1 in 2 exceeds 0.4');
  });

  // Proves a raised force-update counter makes every task outdated (a rolling restart).
  test('force update makes every task outdated', () => {
    const forced = spec('v1');
    const s = { ...forced, template: { ...forced.template, forceUpdate: 1 } };
    assert.deepEqual(planUpdate(service(s), old4(), nodes, NOW).replace, [{ taskId: 'old1', startFirst: false }]);
    assert.equal(planUpdate(service(spec('v1')), old4(), nodes, NOW).status?.state, 'completed', 'without it, nothing is outdated');
  });

  // Proves completion: no outdated or in-flight slot and every new task watched for the monitor period.
  test('completes once every slot runs the new spec and was watched long enough', () => {
    const done = [1, 2, 3, 4].map((i) => task(`new${i}`, i, { command: 'v2', createdAt: 2_000, ranAt: NOW - 3_000 }));
    const watching = planUpdate(service(spec('v2', { monitorMs: 5_000 })), done, nodes, NOW);
    assert.equal(watching.status, undefined, 'still within the monitor period');
    const complete = planUpdate(service(spec('v2', { monitorMs: 1_000 })), done, nodes, NOW);
    assert.deepEqual(complete.status, { state: 'completed', startedIndex: STARTED, startedAt: STARTED, completedAt: NOW, message: 'update completed' });
    const rolledBack = planUpdate(service(spec('v2'), { state: 'rollback-started', message: 'rollback started: update failed: x' }), done, nodes, NOW);
    assert.equal(rolledBack.status?.state, 'rollback-completed');
    assert.match(rolledBack.status?.message ?? '', /update failed: x/, 'the reason stays visible');
  });

  // Proves a constraint change replaces only the tasks whose node no longer satisfies it.
  test('a constraint change replaces only tasks on nodes that no longer qualify', () => {
    const sameTemplate = [task('t1', 1, { command: 'v2', nodeId: 'a' }), task('t2', 2, { command: 'v2', nodeId: 'b' })];
    const p = planUpdate(service(spec('v2', { parallelism: 0 }, ['node.labels.zone==east'])), sameTemplate, nodes, NOW);
    assert.deepEqual(p.replace, [{ taskId: 't2', startFirst: false }]);
  });

  // Proves a start-first replacement of an outdated spec (e.g. after a rollback) is shut down, keeping the original.
  test('an outdated start-first replacement is shut down; the slot keeps its task', () => {
    const tasks = [task('old1', 1), task('new1', 1, { command: 'v2', state: 'starting', createdAt: 2_000, replaces: 'old1' })];
    const p = planUpdate(service({ ...spec('v1'), replicas: 1 }, { state: 'rollback-started' }), tasks, nodes, NOW);
    assert.deepEqual(p.shutdown.map((s) => s.taskId), ['new1']);
    assert.deepEqual(p.replace, [], 'old1 already runs the spec rolled back to');
  });

  // Proves global services are grouped per node (slot 0 on each).
  test('global service: one slot per node', () => {
    const g = { ...spec('v2', { parallelism: 1 }), mode: 'global' as const, replicas: 0 };
    const tasks = [task('ga', 0, { nodeId: 'a' }), task('gb', 0, { nodeId: 'b' })];
    assert.deepEqual(planUpdate(service(g), tasks, nodes, NOW).replace, [{ taskId: 'ga', startFirst: false }]);
  });
});
