import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { startCluster, type TestCluster } from '../helpers/in-process-cluster.js';
import { ServiceApi } from '../../bin/service-api.js';
import { isShoalError, type ErrorCode } from '../../src/errors.js';
import type { ServiceSpec } from '../../src/generated/shoal/v1/ServiceSpec.js';
import type { Service__Output } from '../../src/generated/shoal/v1/Service.js';
import type { Task__Output } from '../../src/generated/shoal/v1/Task.js';

// Proves the service/task Control API end to end on a real 3-manager cluster:
// every RPC, through leader and followers, and each error code it promises.

let c: TestCluster;
let apis: ServiceApi[];
/** A client of a follower: writes there are forwarded to the leader. */
let follower: ServiceApi;

before(async () => {
  c = await startCluster(3);
  apis = c.apis.map((a) => new ServiceApi(a));
  follower = apis[c.managers.findIndex((m) => !m.shell.isLeader)]!;
});
after(async () => {
  await c.close();
});

function spec(name: string, over: Partial<ServiceSpec> = {}): ServiceSpec {
  return { name, replicas: 3, taskTemplate: { command: 'sleep', args: ['100'], env: ['A=1'] }, ...over };
}

async function rejects(p: Promise<unknown>, code: ErrorCode, message: RegExp): Promise<void> {
  await assert.rejects(p, (e: unknown) => {
    assert.ok(isShoalError(e), `expected a ShoalError, got ${String(e)}`);
    assert.equal(e.code, code, e.message);
    assert.match(e.message, message);
    return true;
  });
}

const slots = (tasks: readonly Task__Output[]): number[] => tasks.map((t) => Number(t.slot)).sort((a, b) => a - b);

describe('services and tasks', () => {
  // Creates through a follower, then reads on every manager: same service, 3 pending tasks in slots 1..3.
  test('create through a follower makes a service with pending tasks visible on every manager', async () => {
    const created = (await follower.createService({ spec: spec('web', { labels: { tier: 'front' }, placement: { constraints: ['node.labels.zone==a'] } }) })).service!;
    assert.equal(created.name, 'web');
    assert.equal(created.mode, 'SERVICE_MODE_REPLICATED');
    assert.equal(Number(created.replicas), 3);
    assert.equal(Number(created.running), 0);
    assert.ok(Number(created.version) > 0);
    for (const api of apis) {
      const byName = (await api.getService({ ref: 'web' })).service!;
      assert.equal(byName.id, created.id);
      assert.deepEqual(byName.taskTemplate?.args, ['100']);
      assert.deepEqual(byName.placement?.constraints, ['node.labels.zone==a']);
      assert.equal((await api.getService({ ref: created.id.slice(0, 20) })).service?.id, created.id);
      const tasks = (await api.listTasks({ serviceIds: [created.id] })).tasks;
      assert.deepEqual(slots(tasks), [1, 2, 3]);
      for (const t of tasks) {
        assert.equal(t.desiredState, 'TASK_STATE_RUNNING');
        assert.equal(t.status?.state, 'TASK_STATE_PENDING');
        assert.notEqual(t.status?.message ?? '', '', 'a pending task says what it waits for');
        assert.equal(t.nodeId, '');
        assert.equal(t.name, `web.${t.slot}`);
        assert.deepEqual(t.labels, { tier: 'front' });
      }
    }
    const one = (await follower.listTasks({ serviceIds: [created.id] })).tasks[0]!;
    assert.equal((await follower.getTask({ ref: one.id.slice(0, 12) })).task?.id, one.id);
  });

  // Each invalid field is INVALID_ARGUMENT naming it; nothing is created.
  test('invalid specs are rejected naming the field', async () => {
    await rejects(follower.createService({ spec: spec('') }), 'INVALID_ARGUMENT', /^name:/);
    await rejects(follower.createService({ spec: spec('bad name') }), 'INVALID_ARGUMENT', /^name:/);
    // -1 as another language's client puts it on the wire for a uint64 (the JS client would send 0).
    await rejects(follower.createService({ spec: spec('neg', { replicas: '18446744073709551615' }) }), 'INVALID_ARGUMENT', /^replicas:/);
    await rejects(follower.createService({ spec: spec('huge', { replicas: 1_000_000 }) }), 'INVALID_ARGUMENT', /replicas/);
    await rejects(follower.createService({ spec: spec('nocmd', { taskTemplate: { command: '' } }) }), 'INVALID_ARGUMENT', /command/);
    await rejects(follower.createService({ spec: spec('mode', { mode: 7 as unknown as 'SERVICE_MODE_GLOBAL' }) }), 'INVALID_ARGUMENT', /^mode: unknown value/);
    await rejects(follower.createService({ spec: spec('glob', { mode: 'SERVICE_MODE_GLOBAL', replicas: 2 }) }), 'INVALID_ARGUMENT', /replicas/);
    await rejects(follower.createService({ spec: spec('env', { taskTemplate: { command: 'x', env: ['NOEQUALS'] } }) }), 'INVALID_ARGUMENT', /env/);
    await rejects(
      follower.createService({ spec: spec('rc', { taskTemplate: { command: 'x', restartPolicy: { condition: 9 as unknown as 'RESTART_CONDITION_ANY' } } }) }),
      'INVALID_ARGUMENT',
      /restartPolicy.condition/,
    );
    for (const bad of ['node.labels.zone', 'node.labels.==a', 'node.colour==red', 'node.role==boss', 'node.hostname!=', 'node.id==a==b']) {
      await rejects(follower.createService({ spec: spec('cons', { placement: { constraints: [bad] } }) }), 'INVALID_ARGUMENT', /^constraint "/);
    }
    await rejects(follower.createService({ spec: spec('net', { networks: ['no-such-net'] }) }), 'NOT_FOUND', /network "no-such-net" not found/);
    await rejects(follower.getService({ ref: 'cons' }), 'NOT_FOUND', /service "cons" not found/);
  });

  // Name uniqueness is checked at apply: a second "web" is ALREADY_EXISTS.
  test('a duplicate name is ALREADY_EXISTS', async () => {
    await rejects(follower.createService({ spec: spec('web', { replicas: 1 }) }), 'ALREADY_EXISTS', /"web" already exists/);
  });

  // Scale up adds the next slots, scale down removes the highest; versions move forward.
  test('scaling through UpdateService adds and removes slots', async () => {
    const s = (await follower.getService({ ref: 'web' })).service!;
    const up = (await follower.updateService({ ref: 'web', version: s.version, spec: { ...specOf(s), replicas: 5 } })).service!;
    assert.ok(Number(up.version) > Number(s.version));
    assert.deepEqual(slots((await apis[0]!.listTasks({ serviceIds: [s.id] })).tasks), [1, 2, 3, 4, 5]);
    const before2 = (await apis[0]!.listTasks({ serviceIds: [s.id] })).tasks.filter((t) => Number(t.slot) <= 2).map((t) => t.id).sort();
    await follower.updateService({ ref: s.id, version: up.version, spec: { ...specOf(up), replicas: 2 } });
    const left = (await apis[2]!.listTasks({ serviceIds: [s.id] })).tasks;
    assert.deepEqual(slots(left), [1, 2]);
    assert.deepEqual(left.map((t) => t.id).sort(), before2, 'scale down keeps the lowest slots');
  });

  // Two clients read the same version and update: exactly one wins, the other gets ABORTED.
  test('concurrent updates with the same read version: one wins, one is ABORTED', async () => {
    const s = (await apis[0]!.getService({ ref: 'web' })).service!;
    const results = await Promise.allSettled([
      apis[1]!.updateService({ ref: 'web', version: s.version, spec: { ...specOf(s), labels: { who: 'one' } } }),
      apis[2]!.updateService({ ref: 'web', version: s.version, spec: { ...specOf(s), labels: { who: 'two' } } }),
    ]);
    const won = results.filter((r) => r.status === 'fulfilled');
    const lost = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
    assert.equal(won.length, 1);
    assert.equal(lost.length, 1);
    assert.ok(isShoalError(lost[0]!.reason) && lost[0]!.reason.code === 'ABORTED');
    assert.match((lost[0]!.reason as Error).message, /changed since it was read/);
    const winner = won[0]!.status === 'fulfilled' ? won[0]!.value.service?.labels['who'] : '';
    assert.equal((await apis[0]!.getService({ ref: 'web' })).service?.labels['who'], winner);
    await rejects(apis[0]!.updateService({ ref: 'web', version: 0, spec: specOf(s) }), 'INVALID_ARGUMENT', /^version:/);
  });

  // Changing the template replaces tasks that have not started; rollback restores the previous spec.
  test('update replaces unstarted tasks and rollback restores the previous spec', async () => {
    const s = (await follower.getService({ ref: 'web' })).service!;
    const oldIds = (await follower.listTasks({ serviceIds: [s.id] })).tasks.map((t) => t.id);
    const up = (await follower.updateService({ ref: 'web', version: s.version, spec: { ...specOf(s), taskTemplate: { command: 'sleep', args: ['200'] } } })).service!;
    const tasks = (await follower.listTasks({ serviceIds: [s.id] })).tasks;
    assert.equal(tasks.length, 2);
    assert.ok(tasks.every((t) => !oldIds.includes(t.id) && t.spec?.args[0] === '200'));
    const back = (await follower.updateService({ ref: 'web', version: up.version, rollback: true })).service!;
    assert.deepEqual(back.taskTemplate?.args, ['100']);
  });

  // A global service gets one task per active node that satisfies its constraints.
  test('a global service has one task per eligible node', async () => {
    const g = (await follower.createService({ spec: spec('agent', { mode: 'SERVICE_MODE_GLOBAL', replicas: 0, placement: { constraints: ['node.hostname!=m1'] } }) })).service!;
    const tasks = (await follower.listTasks({ serviceIds: [g.id] })).tasks;
    const nodes = (await c.apis[0]!.listNodes()).nodes.filter((n) => n.hostname !== 'm1').map((n) => n.id).sort();
    assert.deepEqual(tasks.map((t) => t.nodeId).sort(), nodes);
    assert.ok(tasks.every((t) => Number(t.slot) === 0 && t.name === `agent.${t.nodeId}`));
    assert.deepEqual((await follower.listTasks({ nodeIds: [nodes[0]!] })).tasks.map((t) => t.serviceId), [g.id]);
    await rejects(follower.updateService({ ref: 'agent', version: g.version, spec: { ...specOf(g), replicas: 3 } }), 'INVALID_ARGUMENT', /replicas/);
  });

  // List filters: by name, label and desired state; unknown desired state is INVALID_ARGUMENT.
  test('list filters', async () => {
    const names = (await follower.listServices({})).services.map((s) => s.name);
    assert.deepEqual(names, ['agent', 'web']);
    assert.deepEqual((await follower.listServices({ filter: { names: ['web'] } })).services.map((s) => s.name), ['web']);
    assert.equal((await follower.listTasks({ desiredStates: ['TASK_STATE_SHUTDOWN'] })).tasks.length, 0);
    assert.equal((await follower.listTasks({ desiredStates: ['TASK_STATE_RUNNING'] })).tasks.length, 4);
    await rejects(follower.listTasks({ desiredStates: [99 as unknown as 'TASK_STATE_RUNNING'] }), 'INVALID_ARGUMENT', /desiredStates/);
  });

  // A prefix shared by two services is INVALID_ARGUMENT listing both; an unknown ref is NOT_FOUND.
  test('ambiguous prefixes and unknown refs', async () => {
    const byFirst = new Map<string, string>();
    let shared = '';
    for (let i = 0; i < 40 && shared === ''; i++) {
      const id = (await follower.createService({ spec: spec(`amb${i}`, { replicas: 0 }) })).service!.id;
      const first = id.slice(0, 1);
      if (byFirst.has(first)) shared = first;
      byFirst.set(first, id);
    }
    assert.notEqual(shared, '', 'pigeonhole: 37 IDs share a first character');
    await rejects(follower.getService({ ref: shared }), 'INVALID_ARGUMENT', /ambiguous; it matches: .*,/);
    await rejects(follower.removeService({ ref: 'nope' }), 'NOT_FOUND', /service "nope" not found/);
    await rejects(follower.getTask({ ref: 'zzzzzzzzzz' }), 'NOT_FOUND', /task "zzzzzzzzzz" not found/);
    for (const s of (await follower.listServices({})).services) if (s.name.startsWith('amb')) await follower.removeService({ ref: s.id });
  });

  // Remove deletes the service and its tasks everywhere.
  test('remove deletes the service and its tasks', async () => {
    const s = (await follower.getService({ ref: 'web' })).service!;
    await follower.removeService({ ref: 'web' });
    for (const api of apis) {
      await rejects(api.getService({ ref: s.id }), 'NOT_FOUND', /not found/);
      assert.equal((await api.listTasks({ serviceIds: [s.id] })).tasks.length, 0);
    }
  });
});

function specOf(s: Service__Output): ServiceSpec {
  const { name, labels, mode, replicas, taskTemplate, networks, placement, updateConfig, stack } = s;
  return { name, labels, mode, replicas, taskTemplate, networks, placement, updateConfig, stack };
}
