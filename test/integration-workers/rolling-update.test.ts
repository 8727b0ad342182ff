import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { ServiceSpecRecord, UpdateConfigSpec } from '../../src/manager/store/service-commands.js';
import { serviceByName, type TaskRecord } from '../../src/manager/store/service-queries.js';
import { attachmentsOfOwner } from '../../src/manager/store/network-queries.js';
import { newObjectId } from '../../src/manager/tokens.js';
import { waitFor } from '../helpers/in-process-cluster.js';
import { WorkerCluster } from './harness.js';

// Rolling updates end-to-end: one manager (drained) and three in-process
// worker agents running real task processes. The store is read directly to
// observe every task; the CLI is run as a child process against the manager.

const CLI = fileURLToPath(new URL('../../bin/cli.js', import.meta.url));

interface Run {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

describe('rolling updates with real workers', () => {
  let c: WorkerCluster;
  before(async () => {
    c = await WorkerCluster.start(3, 500);
  });
  after(async () => {
    await c.close();
  });

  const shoal = (...args: string[]): Promise<Run> =>
    new Promise((resolve) => {
      execFile(process.execPath, [CLI, '-H', `unix://${c.manager.socketPath}`, ...args], { env: { ...process.env, SHOAL_ROLLOUT_WAIT_MS: '40000' }, timeout: 60_000 }, (err, stdout, stderr) => {
        resolve({ code: err ? (typeof err.code === 'number' ? err.code : 1) : 0, stdout, stderr });
      });
    });

  const spec = (name: string, replicas: number, env: string[], update: Partial<UpdateConfigSpec>, networks: string[] = [], command = '/bin/sh'): ServiceSpecRecord => ({
    name,
    labels: {},
    mode: 'replicated',
    replicas,
    template: {
      command,
      args: command === '/bin/sh' ? ['-c', 'exec sleep 60'] : [],
      env,
      reservations: { nanoCpus: 0, memoryBytes: 0 },
      restartPolicy: { condition: 'any', delayMs: 100, maxAttempts: 0, windowMs: 0 },
    },
    networks,
    placement: { constraints: [], preferences: [], maxReplicasPerNode: 0 },
    updateConfig: { parallelism: 1, delayMs: 0, order: 'stop-first', failureAction: 'pause', monitorMs: 300, ...update },
    stack: '',
  });

  const create = async (s: ServiceSpecRecord): Promise<string> => {
    const id = newObjectId();
    await c.manager.write({ op: 'service.create', at: Date.now(), id, taskIdSeed: newObjectId() + newObjectId(), spec: s });
    return id;
  };

  const update = async (name: string, change: (s: ServiceSpecRecord) => ServiceSpecRecord): Promise<void> => {
    const s = serviceByName(c.manager.store.db, name)!;
    await c.manager.write({ op: 'service.update', at: Date.now(), id: s.id, version: s.version, taskIdSeed: newObjectId() + newObjectId(), spec: change(s.spec) });
  };

  const updateState = (name: string): string => serviceByName(c.manager.store.db, name)?.updateStatus?.state ?? '';
  const live = (name: string): TaskRecord[] => c.tasks(name).filter((t) => t.desiredState === 'running');
  const remove = async (name: string): Promise<void> => {
    const s = serviceByName(c.manager.store.db, name)!;
    await c.manager.write({ op: 'service.remove', at: Date.now(), id: s.id });
  };

  // Proves start-first with parallelism 1: throughout the update at least 3 tasks run (the new one starts
  // before the old one stops) and at most 4 (one slot at a time); it ends with every slot on the new spec,
  // the update completed, and each old task shut down.
  test('start-first: never fewer running tasks than replicas, one slot at a time', async () => {
    await create(spec('sf', 3, ['V=1'], { order: 'start-first' }));
    await c.waitRunning('sf', 3);
    const oldIds = new Set(live('sf').map((t) => t.id));
    let fewest = Infinity;
    let most = 0;
    // Fewest counts every running process (start-first's promise: never fewer than the replicas serving).
    // Most counts the tasks the orchestrator still wants running: an old task already told to shut down
    // may go on reporting running for a while on a loaded machine, and is not part of the rollout's
    // parallelism (swarm's updater does not wait for it either).
    const sample = setInterval(() => {
      const running = c.tasks('sf').filter((t) => t.status.state === 'running');
      fewest = Math.min(fewest, running.length);
      most = Math.max(most, running.filter((t) => t.desiredState === 'running').length);
    }, 10);
    try {
      await update('sf', (s) => ({ ...s, template: { ...s.template, env: ['V=2'] } }));
      assert.equal(updateState('sf'), 'updating');
      await waitFor(() => updateState('sf') === 'completed', 30_000, 'the update to complete');
    } finally {
      clearInterval(sample);
    }
    const now = live('sf');
    assert.equal(now.length, 3);
    assert.ok(now.every((t) => t.status.state === 'running' && t.spec.env.includes('V=2') && !oldIds.has(t.id) && t.replaces === ''), 'every slot runs the new spec');
    assert.ok(fewest >= 3, `start-first never dropped below 3 running tasks (fewest ${fewest})`);
    assert.ok(most <= 4, `parallelism 1: at most one extra task (most ${most})`);
    await waitFor(() => c.tasks('sf').filter((t) => oldIds.has(t.id)).every((t) => t.status.state === 'shutdown'), 10_000, 'old tasks stopped');
    await remove('sf');
  });

  // Proves a failing new version is rolled back (failure action rollback) through the CLI: `service update`
  // exits 1 naming the failure, the service is back on its old command, and only the first slot was touched
  // (parallelism 1 stops the damage at one slot).
  // The 3 s delay holds slot 2 back until slot 1's new task has run that long: a task that exits at once
  // fails well inside it, so the failure, not the timing of the worker's reports, decides what slot 2 runs.
  test('a failing new version rolls back; the CLI reports it', async () => {
    await create(spec('rb', 2, ['V=1'], { failureAction: 'rollback', monitorMs: 2_000, delayMs: 3_000 }));
    await c.waitRunning('rb', 2);
    const slot2 = live('rb').find((t) => t.slot === 2)!.id;
    const r = await shoal('service', 'update', 'rb', '--', '/bin/sh', '-c', 'exit 1');
    assert.equal(r.code, 1, `stdout: ${r.stdout}\nstderr: ${r.stderr}`);
    assert.match(r.stderr, /update failed: task \S+ \(slot 1\) failed: exit status 1/);
    assert.equal(updateState('rb'), 'rollback-completed');
    const s = serviceByName(c.manager.store.db, 'rb')!;
    assert.deepEqual(s.spec.template.args, ['-c', 'exec sleep 60'], 'the spec is the old one again');
    await c.waitRunning('rb', 2);
    assert.ok(live('rb').every((t) => t.spec.args.includes('exec sleep 60')));
    assert.ok(live('rb').some((t) => t.id === slot2), 'slot 2 kept its original task');
    const inspect = JSON.parse((await shoal('service', 'inspect', 'rb')).stdout) as { updateStatus: { state: string; message: string } }[];
    assert.equal(inspect[0]!.updateStatus.state, 'rollback-completed');
    await remove('rb');
  });

  // Proves pause: a failing update with the default failure action stops after the first slot; a new update
  // (the fix) resumes and completes. Then `service rollback` goes back to the previous spec — the failing
  // one — as a rolling operation, which pauses at its first failure (rollback-paused, CLI exit 1).
  // As above, a 3 s delay between slots keeps slot 2 out of the failing rollouts whatever the load; the fix
  // itself rolls without one.
  test('a failing update pauses; the next update completes it', async () => {
    await create(spec('pz', 2, ['V=1'], { failureAction: 'pause', monitorMs: 2_000, delayMs: 3_000 }));
    await c.waitRunning('pz', 2);
    await update('pz', (s) => ({ ...s, template: { ...s.template, args: ['-c', 'exit 2'] } }));
    await waitFor(() => updateState('pz') === 'paused', 20_000, 'the update to pause');
    assert.match(serviceByName(c.manager.store.db, 'pz')!.updateStatus!.message, /^update paused: task \S+ \(slot 1\) failed: exit status 2/);
    const fixed = await shoal('service', 'update', '--env-add', 'V=3', '--update-monitor', '200ms', '--update-delay', '0s', 'pz', '--', '/bin/sh', '-c', 'exec sleep 60');
    assert.equal(fixed.code, 0, fixed.stderr);
    assert.match(fixed.stdout, /completed/);
    assert.ok(live('pz').every((t) => t.spec.env.includes('V=3') && t.status.state === 'running'));
    const back = await shoal('service', 'rollback', 'pz');
    assert.equal(back.code, 1, back.stdout);
    assert.match(back.stderr, /rollback paused: task \S+ \(slot 1\) failed: exit status 2/);
    assert.equal(updateState('pz'), 'rollback-paused');
    assert.ok(live('pz').some((t) => t.slot === 2 && t.spec.env.includes('V=3') && t.status.state === 'running'), 'slot 2 still runs the fix');
    await remove('pz');
  });

  // Proves a global service rolls one node at a time with start-first: every node keeps a running task
  // throughout, ends with exactly one task of the new spec, and no node gets a second live task after it.
  test('global service: start-first, one node at a time', async () => {
    await create({ ...spec('gl', 0, ['V=1'], { order: 'start-first' }), mode: 'global' });
    await c.waitRunning('gl', 3);
    let worst = Infinity;
    const sample = setInterval(() => {
      const byNode = new Map<string, number>();
      for (const t of c.tasks('gl')) if (t.status.state === 'running') byNode.set(t.nodeId, (byNode.get(t.nodeId) ?? 0) + 1);
      worst = Math.min(worst, ...c.workers.map((w) => byNode.get(w.nodeId) ?? 0));
    }, 10);
    try {
      await update('gl', (s) => ({ ...s, template: { ...s.template, env: ['V=2'] } }));
      await waitFor(() => updateState('gl') === 'completed', 30_000, 'the update to complete');
    } finally {
      clearInterval(sample);
    }
    const now = live('gl');
    assert.equal(now.length, 3);
    assert.equal(new Set(now.map((t) => t.nodeId)).size, 3, 'one task per node');
    assert.ok(now.every((t) => t.spec.env.includes('V=2') && t.status.state === 'running' && t.slot === 0));
    assert.ok(worst >= 1, 'every node kept a running task throughout');
    await remove('gl');
  });

  // Proves a failing update whose previous spec cannot come back (its network was removed meanwhile) is
  // paused with a message saying so, instead of retrying a rollback that cannot apply; and the orchestrator
  // goes on placing other services' tasks.
  test('rollback impossible (network removed): the update pauses and says why', async () => {
    const gone = await c.createNetwork('gone');
    const stays = await c.createNetwork('stays');
    await create(spec('nr', 1, ['V=1'], { failureAction: 'rollback', monitorMs: 5_000 }, [stays, gone]));
    await c.waitRunning('nr', 1);
    await update('nr', (s) => ({ ...s, networks: [stays], template: { ...s.template, args: ['-c', 'sleep 1; exit 1'] } }));
    // Once the old task stopped, nothing uses "gone" any more: remove it before the new task fails.
    await waitFor(() => c.running('nr').some((t) => t.spec.args.includes('sleep 1; exit 1')), 15_000, 'the new task to run');
    await c.manager.write({ op: 'network.remove', at: Date.now(), id: gone });
    await waitFor(() => updateState('nr') === 'paused', 20_000, 'the update to pause');
    assert.match(serviceByName(c.manager.store.db, 'nr')!.updateStatus!.message, /cannot be rolled back: network \S+ of the previous spec was removed/);
    await create(spec('after', 1, ['V=1'], {}));
    await c.waitRunning('after', 1);
    await remove('nr');
    await remove('after');
  });

  // Proves `service update --force` is a rolling restart: every task is replaced though nothing else changed,
  // and `service inspect` shows the update config and the completed status.
  test('--force restarts every task, rolling', async () => {
    await create(spec('fr', 2, ['V=1'], {}));
    await c.waitRunning('fr', 2);
    const before = new Set(live('fr').map((t) => t.id));
    const r = await shoal('service', 'update', '--force', '--update-parallelism', '0', '--update-max-failure-ratio', '0.5', 'fr');
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /^completed: 2 task\(s\) of the new spec running/m);
    assert.ok(live('fr').every((t) => !before.has(t.id) && t.status.state === 'running'));
    const inspect = JSON.parse((await shoal('service', 'inspect', 'fr')).stdout) as { updateConfig: Record<string, unknown>; updateStatus: { state: string } }[];
    assert.deepEqual(inspect[0]!.updateConfig, { parallelism: 0, delayMs: 0, order: 'stop-first', failureAction: 'pause', monitorMs: 300, maxFailureRatio: 0.5 });
    assert.equal(inspect[0]!.updateStatus.state, 'completed');
    const bad = await shoal('service', 'update', '--update-max-failure-ratio', '2', 'fr');
    assert.equal(bad.code, 1);
    assert.match(bad.stderr, /^Error: --update-max-failure-ratio must be a number from 0 to 1/);
    await remove('fr');
  });

  // Proves a network change on update keeps each task's address on the network that stays (stop-first hands
  // it to the new task), gives back the dropped network's addresses and allocates on the added one.
  test('a network change keeps addresses on the networks that stay', async () => {
    const keep = await c.createNetwork('keep');
    const drop = await c.createNetwork('drop');
    const add = await c.createNetwork('add');
    await create(spec('net', 3, ['V=1'], { parallelism: 2 }, [keep, drop]));
    await c.waitRunning('net', 3);
    const addressBySlot = new Map(live('net').map((t) => [t.slot, attachmentsOfOwner(c.manager.store.db, 'task', t.id).find((a) => a.networkId === keep)!.address]));
    const oldIds = live('net').map((t) => t.id);
    await update('net', (s) => ({ ...s, networks: [keep, add] }));
    await waitFor(() => updateState('net') === 'completed', 30_000, 'the update to complete');
    for (const t of live('net')) {
      const held = attachmentsOfOwner(c.manager.store.db, 'task', t.id);
      assert.equal(held.find((a) => a.networkId === keep)?.address, addressBySlot.get(t.slot), `slot ${t.slot} kept its address`);
      assert.ok(held.some((a) => a.networkId === add), `slot ${t.slot} got an address on the new network`);
      assert.ok(!held.some((a) => a.networkId === drop));
    }
    await waitFor(() => oldIds.every((id) => attachmentsOfOwner(c.manager.store.db, 'task', id).length === 0), 10_000, 'old tasks to release the dropped network');
    await remove('net');
  });
});
