// Adversarial review of how the leader's orchestrator combines its decisions each round (global,
// replace, update, place). Each test drives `new Orchestrator(manager).roundOnce(now)` on a real
// state database (StoreHarness: the managers' apply path without Raft), with worker reports applied
// as `task.status` commands, and names a sequence that broke a promise of
// docs/design/rolling-updates.md before it was fixed: each test is a regression test for a bug an
// adversarial review found (refused rollbacks retried forever, rolling-update replacements counted as
// restart attempts, a never-started predecessor holding its successor, a down node stalling a global
// rollout, a rollback to a removed network).
import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { StoreHarness, NODE_ID } from '../network/store-harness.js';
import type { Command } from '../../src/manager/store/commands.js';
import type { Manager } from '../../src/manager/manager.js';
import { Orchestrator } from '../../src/manager/orchestrator.js';
import type { ServiceSpecRecord, TaskState, UpdateConfigSpec } from '../../src/manager/store/service-commands.js';
import { serviceById, tasksOfService, type TaskRecord } from '../../src/manager/store/service-queries.js';
import { AgentStore } from '../../src/worker/agent-store.js';
import type { ExecStatus } from '../../src/worker/executor.js';
import { ProcessExecutor } from '../../src/worker/process-executor.js';
import { Reconciler } from '../../src/worker/reconciler.js';

const SVC = 'svc00000000000000000000001';
const OTHER = 'svc00000000000000000000002';
const NET_A = 'net0000000000000000000000a';
const NET_B = 'net0000000000000000000000b';
/** Sorts before NODE_ID, so a global rollout (slot order = node ID order) comes to it first. */
const WORKER_ID = 'node000000000000000000000';

interface SpecOptions {
  readonly name?: string;
  readonly replicas?: number;
  readonly networks?: string[];
  readonly mode?: 'replicated' | 'global';
  readonly maxAttempts?: number;
  readonly update?: Partial<UpdateConfigSpec>;
}

function spec(command: string, o: SpecOptions = {}): ServiceSpecRecord {
  return {
    name: o.name ?? 'web',
    labels: {},
    mode: o.mode ?? 'replicated',
    replicas: o.mode === 'global' ? 0 : (o.replicas ?? 1),
    template: {
      command,
      args: [],
      env: [],
      reservations: { nanoCpus: 0, memoryBytes: 0 },
      restartPolicy: { condition: 'any', delayMs: 0, maxAttempts: o.maxAttempts ?? 0, windowMs: 0 },
    },
    networks: o.networks ?? [],
    placement: { constraints: [], preferences: [], maxReplicasPerNode: 0 },
    updateConfig: { parallelism: 1, delayMs: 0, order: 'stop-first', failureAction: 'pause', monitorMs: 0, ...o.update },
    stack: '',
  };
}

/** One ready manager node, networks A and B, and an orchestrator whose writes apply to the harness. */
class Rig {
  readonly h = StoreHarness.open();
  readonly orch: Orchestrator;
  at = 100;
  private seeds = 0;
  /** Errors the rounds threw (the real loop logs them and tries again 100 ms later). */
  readonly roundErrors: string[] = [];
  /** Warnings the orchestrator logged (e.g. a command the apply refused). */
  readonly warnings: string[] = [];
  /** Whether each round said it proposed something (the real loop then runs the next round at once). */
  readonly busy: boolean[] = [];

  constructor() {
    this.h.applyOk({ op: 'node.status', at: 2, updates: [{ id: NODE_ID, status: 'ready', message: '' }] });
    this.h.applyOk({ op: 'network.create', at: 3, id: NET_A, name: 'a', driver: 'overlay', attachable: false, labels: {} });
    this.h.applyOk({ op: 'network.create', at: 4, id: NET_B, name: 'b', driver: 'overlay', attachable: false, labels: {} });
    // Only what roundOnce touches: the state database, write (a rejected proposal rejects with the
    // apply's error), the not-leader test (never, here) and the log.
    const manager = {
      store: this.h.store,
      isNotLeader: (): boolean => false,
      log: { warn: (event: string, fields: Record<string, unknown>): void => void this.warnings.push(`${event} ${JSON.stringify(fields)}`) },
      write: (c: Command): Promise<unknown> => {
        const o = this.h.apply(c);
        return o.ok ? Promise.resolve(o.value) : Promise.reject(o.error);
      },
    };
    this.orch = new Orchestrator(manager as unknown as Manager); // a stand-in: roundOnce uses store and write only
  }

  seed(): string {
    return `seed-orch-review-${String(++this.seeds).padStart(8, '0')}`;
  }

  create(id: string, s: ServiceSpecRecord): void {
    this.h.applyOk({ op: 'service.create', at: ++this.at, id, taskIdSeed: this.seed(), spec: s });
  }

  update(id: string, s: ServiceSpecRecord): void {
    const cur = serviceById(this.h.db, id)!;
    this.h.applyOk({ op: 'service.update', at: ++this.at, id, version: cur.version, taskIdSeed: this.seed(), spec: s });
  }

  /** One orchestrator round; an error is recorded, as the real loop logs it. */
  async round(): Promise<void> {
    try {
      this.busy.push(await this.orch.roundOnce(++this.at));
    } catch (e) {
      this.roundErrors.push(e instanceof Error ? e.message : String(e));
    }
  }

  live(serviceId = SVC): TaskRecord[] {
    return tasksOfService(this.h.db, serviceId).filter((t) => t.desiredState === 'running');
  }

  all(serviceId = SVC): TaskRecord[] {
    return tasksOfService(this.h.db, serviceId);
  }

  report(t: TaskRecord, state: TaskState, message: string = state): void {
    const at = ++this.at;
    this.h.applyOk({ op: 'task.status', at, updates: [{ taskId: t.id, nodeId: t.nodeId, state, message, err: '', exitCode: state === 'failed' ? 1 : 0, at }] });
  }

  /** A worker that does what it is told at once: assigned tasks wanted running run; running tasks not wanted stop. */
  obey(serviceId = SVC): void {
    for (const t of this.all(serviceId)) {
      if (t.desiredState === 'running' && t.status.state === 'assigned') this.report(t, 'running');
      else if (t.desiredState !== 'running' && t.status.state === 'running') this.report(t, 'shutdown');
    }
  }

  close(): void {
    this.h.close();
  }
}

describe('orchestrator review: decisions combined in one round', () => {
  const rigs: Rig[] = [];
  const rig = (): Rig => {
    const r = new Rig();
    rigs.push(r);
    return r;
  };
  after(() => {
    for (const r of rigs) r.close();
  });

  // Proves an automatic rollback whose target spec no longer applies (a network of the previous
  // spec was removed, which `network rm` allows: only the current spec is checked) must not wedge the
  // orchestrator. (Failed on 53b1963; passes since c1ceb46, which pauses such a rollout: kept as the
  // orchestrator-level regression test.) How: v1 on [A,B] → v2 on [A] (failure action rollback, monitor 60 s); once v1 has
  // stopped, B is removed; a second service is created; the v2 task fails inside the monitor window.
  // Each round then proposes service.update(previousSpec) → NOT_FOUND, which roundOnce rethrows, so the
  // place command computed in that round is never written — for ANY service — and the rollout stays
  // `updating` forever. Expected: the other service's task is placed, and the rollout leaves `updating`.
  test('rollback to a spec whose network was removed: the rollout pauses and the round still places other tasks', async () => {
    const r = rig();
    const update = { failureAction: 'rollback' as const, monitorMs: 60_000 };
    r.create(SVC, spec('v1', { networks: [NET_A, NET_B], update }));
    await r.round();
    r.obey();
    r.update(SVC, spec('v2', { networks: [NET_A], update }));
    for (let i = 0; i < 4; i++) {
      await r.round();
      r.obey();
    }
    const v2 = r.live().find((t) => t.spec.command === 'v2' && t.status.state === 'running');
    assert.ok(v2, 'setup: the v2 task runs');
    r.h.applyOk({ op: 'network.remove', at: ++r.at, id: NET_B }); // allowed: no endpoint and no current spec uses B
    r.create(OTHER, spec('other', { name: 'other' }));
    r.report(v2, 'failed', 'exit status 1');
    for (let i = 0; i < 3; i++) await r.round();
    const other = r.live(OTHER);
    assert.deepEqual(r.roundErrors, [], 'no round should fail');
    assert.equal(other[0]?.status.state, 'assigned', `the other service's task must be placed (it is ${other[0]?.status.state}: ${other[0]?.status.message})`);
    assert.notEqual(serviceById(r.h.db, SVC)!.updateStatus?.state, 'updating', 'the failed rollout must pause or roll back, not stay updating');
  });

  // Proves a rollback the apply refuses for a reason other than a removed network loops forever.
  // How: v1 "web" → v2 renamed "web2" (failure action rollback), then a new service takes the name
  // "web"; the v2 task fails. Every round proposes service.update(previousSpec), the apply refuses it
  // (ALREADY_EXISTS), the orchestrator logs a warning and — since c1ceb46 — goes on with the round, but
  // the rollout stays `updating` and roundOnce reports the refused proposal as work done, so the real
  // loop runs the next round at once: a Raft entry (and a warning) per round, back to back, forever.
  // Expected: the rollout pauses with the reason, and the rounds go idle.
  test('rollback to a name another service took: refused every round, the rollout stays updating and the loop never idles', async () => {
    const r = rig();
    const update = { failureAction: 'rollback' as const, monitorMs: 60_000 };
    r.create(SVC, spec('v1', { update }));
    await r.round();
    r.obey();
    r.update(SVC, spec('v2', { name: 'web2', update }));
    for (let i = 0; i < 4; i++) {
      await r.round();
      r.obey();
    }
    const v2 = r.live().find((t) => t.spec.command === 'v2' && t.status.state === 'running');
    assert.ok(v2, 'setup: the v2 task runs');
    r.create(OTHER, spec('other', { name: 'web' }));
    r.report(v2, 'failed', 'exit status 1');
    r.busy.length = 0;
    r.warnings.length = 0;
    for (let i = 0; i < 6; i++) await r.round();
    const other = r.live(OTHER);
    assert.deepEqual(r.roundErrors, [], 'no round should fail');
    assert.equal(other[0]?.status.state, 'assigned', `the other service's task must be placed (it is ${other[0]?.status.state}: ${other[0]?.status.message})`);
    const refused = r.warnings.filter((w) => w.includes('ALREADY_EXISTS')).length;
    assert.notEqual(serviceById(r.h.db, SVC)!.updateStatus?.state, 'updating', `the rollout must pause, not retry a refused rollback every round (refused ${refused} times in 6 rounds; busy: ${r.busy.join(',')})`);
    assert.equal(r.busy.at(-1), false, 'the rounds must go idle');
  });

  // Proves the restart policy's max attempts counts the rolling update's replacement as a restart.
  // How: restart any, max attempts 1, window 0; v1 → v2 completes (slot 1's v1 task retired by the
  // updater); the v2 task, never restarted, then fails once. recentRestarts counts every retired task
  // of the slot (the v1 one), so the policy "gave up after 1 attempts" and the slot stays empty for
  // good: the service runs 0 of 1 replicas. Expected: one restart.
  test('restart max-attempts: a task retired by the rolling update counts as a restart attempt', async () => {
    const r = rig();
    r.create(SVC, spec('v1', { maxAttempts: 1 }));
    await r.round();
    r.obey();
    r.update(SVC, spec('v2', { maxAttempts: 1 }));
    for (let i = 0; i < 4; i++) {
      await r.round();
      r.obey();
    }
    assert.equal(serviceById(r.h.db, SVC)!.updateStatus?.state, 'completed', 'setup: the rollout completed');
    const v2 = r.live().find((t) => t.spec.command === 'v2')!;
    r.report(v2, 'failed', 'exit status 1');
    await r.round();
    const gaveUp = r.all().find((t) => t.id === v2.id)!;
    assert.equal(r.live().length, 1, `its first failure must be restarted; got: ${gaveUp.status.message}`);
  });

  // Proves a stop-first successor can wait forever for a predecessor that no worker will ever report.
  // How: v1's task is placed (assigned); the update comes before the worker took it, so the updater
  // retires it while still `assigned`. The worker's first sight of it says desired shutdown: the
  // Reconciler does nothing for a task it never started and reports nothing. The task stays `assigned`
  // on a ready node, predecessorStillRunning holds the v2 task back every round, and the slot (and the
  // rollout) never move again. Expected: the worker reports it ended and the successor is placed.
  test('stop-first: a predecessor retired while assigned, never started by the worker, holds its successor forever', async () => {
    const r = rig();
    r.create(SVC, spec('v1'));
    await r.round();
    const t1 = r.live()[0]!;
    assert.equal(t1.status.state, 'assigned', 'setup: placed, the worker has not started it');
    r.update(SVC, spec('v2'));
    await r.round(); // the updater replaces the assigned task stop-first
    const retired = r.all().find((t) => t.id === t1.id)!;
    assert.equal(retired.desiredState, 'shutdown', 'setup: retired while assigned');

    const dir = mkdtempSync(join(tmpdir(), 'shoal-orch-review-'));
    const store = new AgentStore(join(dir, 'agent.db'));
    const ex = new ProcessExecutor(join(dir, 'tasks'));
    const reports: ExecStatus[] = [];
    const rec = new Reconciler(store, ex, (s) => reports.push(s), 500);
    try {
      await rec.applyIncremental([{ spec: { id: t1.id, command: '/bin/true', args: [], env: {}, attachments: [] }, desired: 'shutdown' }], []);
    } finally {
      rec.close();
      ex.close();
      store.close();
      rmSync(dir, { recursive: true, force: true });
    }
    for (const s of reports) {
      const state: TaskState = s.state === 'running' ? 'running' : s.state === 'failed' ? 'failed' : s.state === 'complete' ? 'complete' : 'shutdown';
      r.report(retired, state, s.message);
    }
    for (let i = 0; i < 3; i++) await r.round();
    const v2 = r.live().find((t) => t.spec.command === 'v2')!;
    assert.equal(v2.status.state, 'assigned', `the successor must not wait forever (worker reports: ${reports.length}; it says: ${v2.status.message})`);
  });

  // Proves a global rolling update never completes while a node is down (not removed). How: a global
  // service on two ready nodes; the worker (first in slot order) goes down; v1 → v2 stop-first,
  // parallelism 1. The updater retires the down node's task (orphaned) and its successor, pinned to
  // that node, stays pending; it counts as in flight forever, so the ready node is never updated and
  // the rollout stays `updating` until the node comes back or is removed. (Replicated services move
  // such tasks; a global one cannot.) Expected: the ready node gets v2.
  test('global rollout: a down node blocks the update of every other node', async () => {
    const r = rig();
    const hash = (r.h.db.prepare('SELECT worker_token_hash AS h FROM cluster').get() as { h: string }).h;
    r.h.applyOk({ op: 'node.join', at: ++r.at, id: WORKER_ID, hostname: 'w1', role: 'worker', addr: '127.0.0.1:2', tokenHash: hash });
    r.h.applyOk({ op: 'node.status', at: ++r.at, updates: [{ id: WORKER_ID, status: 'ready', message: '' }] });
    r.create(SVC, spec('v1', { mode: 'global' }));
    await r.round();
    r.obey();
    assert.equal(r.live().filter((t) => t.status.state === 'running').length, 2, 'setup: one running task per node');
    r.h.applyOk({ op: 'node.status', at: ++r.at, updates: [{ id: WORKER_ID, status: 'down', message: 'heartbeat missed' }] });
    r.update(SVC, spec('v2', { mode: 'global' }));
    for (let i = 0; i < 6; i++) {
      await r.round();
      r.obey();
    }
    const onReady = r.live().filter((t) => t.nodeId === NODE_ID);
    assert.deepEqual(onReady.map((t) => t.spec.command), ['v2'], `the ready node must be updated (rollout: ${serviceById(r.h.db, SVC)!.updateStatus?.state})`);
  });
});
