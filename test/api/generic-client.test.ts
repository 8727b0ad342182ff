/* eslint-disable @typescript-eslint/no-explicit-any, @typescript-eslint/no-unsafe-member-access, @typescript-eslint/no-unsafe-call, @typescript-eslint/no-unsafe-assignment, @typescript-eslint/no-unsafe-argument, @typescript-eslint/no-unsafe-return -- a generic client knows message shapes only from the .proto files, not from types */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import * as grpc from '@grpc/grpc-js';
import * as protoLoader from '@grpc/proto-loader';
import { startCluster, type TestCluster } from '../helpers/in-process-cluster.js';

// Proves that the .proto files alone are a usable contract: a client built only
// from proto/ (its own loader options: snake_case fields, 64-bit numbers as
// strings, no generated types, nothing imported from src/ or bin/) checks
// health, creates and lists a service and its tasks, gets the documented error
// codes, and follows the change through Watch. The cluster is the only import.

const PROTO_DIR = fileURLToPath(new URL('../../../proto', import.meta.url));

type Dynamic = any;

let c: TestCluster;
let control: Dynamic;
let watch: Dynamic;
let health: Dynamic;

before(async () => {
  c = await startCluster(3);
  const def = protoLoader.loadSync(['shoal/v1/control.proto', 'shoal/v1/watch.proto', 'grpc/health/v1/health.proto'], {
    includeDirs: [PROTO_DIR],
    keepCase: true,
    longs: String,
    enums: String,
    defaults: true,
    oneofs: true,
  });
  const pkg = grpc.loadPackageDefinition(def) as Dynamic;
  // A follower: reads are served there, writes forwarded.
  const target = c.apis[c.managers.findIndex((m) => !m.shell.isLeader)]!.target;
  control = new pkg.shoal.v1.Control(target, grpc.credentials.createInsecure());
  watch = new pkg.shoal.v1.Watch(target, grpc.credentials.createInsecure());
  health = new pkg.grpc.health.v1.Health(target, grpc.credentials.createInsecure());
});
after(async () => {
  for (const client of [control, watch, health]) (client as grpc.Client | undefined)?.close();
  await c.close();
});

function call(client: Dynamic, method: string, req: object): Promise<Dynamic> {
  return new Promise((resolve, reject) => {
    client[method](req, { deadline: Date.now() + 10_000 }, (err: grpc.ServiceError | null, res: Dynamic) => (err ? reject(err) : resolve(res)));
  });
}

async function status(p: Promise<unknown>): Promise<{ code: number; details: string }> {
  try {
    await p;
  } catch (e) {
    const err = e as grpc.ServiceError;
    return { code: err.code, details: err.details };
  }
  throw new Error('expected the call to fail');
}

test('a client built only from the .proto files drives services, tasks and Watch', async () => {
  assert.equal((await call(health, 'Check', { service: 'shoal.v1.Control' })).status, 'SERVING');

  const events: Dynamic[] = [];
  const stream = watch.Watch({ kinds: ['OBJECT_KIND_SERVICE', 'OBJECT_KIND_TASK'] });
  const ended = new Promise<void>((resolve) => {
    stream.on('error', () => resolve());
    stream.on('end', () => resolve());
  });
  stream.on('data', (e: Dynamic) => events.push(e));
  await new Promise((r) => setTimeout(r, 150));

  const created = await call(control, 'CreateService', {
    spec: { name: 'api', mode: 'SERVICE_MODE_REPLICATED', replicas: '2', task_template: { command: 'sleep', args: ['5'], restart_policy: { condition: 'RESTART_CONDITION_ON_FAILURE' } } },
  });
  assert.equal(created.service.name, 'api');
  assert.equal(created.service.replicas, '2');
  assert.equal(created.service.task_template.restart_policy.condition, 'RESTART_CONDITION_ON_FAILURE');

  const listed = await call(control, 'ListServices', { filter: { names: ['api'] } });
  assert.deepEqual(listed.services.map((s: Dynamic) => s.id), [created.service.id]);
  const tasks = await call(control, 'ListTasks', { service_ids: [created.service.id] });
  assert.deepEqual(tasks.tasks.map((t: Dynamic) => t.slot).sort(), ['1', '2']);
  assert.equal(tasks.tasks[0].desired_state, 'TASK_STATE_RUNNING');

  const stale = await status(call(control, 'UpdateService', { ref: 'api', version: '1', spec: { name: 'api', replicas: '3', task_template: { command: 'sleep' } } }));
  assert.equal(stale.code, grpc.status.ABORTED);
  assert.match(stale.details, /changed since it was read/);
  const scaled = await call(control, 'UpdateService', { ref: 'api', version: created.service.version, spec: { name: 'api', replicas: '3', task_template: { command: 'sleep' } } });
  assert.equal(scaled.service.replicas, '3');

  assert.equal((await status(call(control, 'GetService', { ref: 'nothing' }))).code, grpc.status.NOT_FOUND);
  assert.equal((await status(call(control, 'CreateService', { spec: { name: 'api', replicas: '1', task_template: { command: 'x' } } }))).code, grpc.status.ALREADY_EXISTS);
  const bad = await status(call(control, 'CreateService', { spec: { name: 'b', placement: { constraints: ['zone=a'] }, task_template: { command: 'x' } } }));
  assert.equal(bad.code, grpc.status.INVALID_ARGUMENT);
  assert.match(bad.details, /constraint "zone=a"/);

  await call(control, 'RemoveService', { ref: created.service.id });
  const deadline = Date.now() + 5_000;
  while (!events.some((e) => e.action === 'WATCH_ACTION_DELETE' && e.kind === 'OBJECT_KIND_SERVICE') && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
  stream.cancel();
  await ended;

  const ours = events.filter((e) => e.service?.id === created.service.id || e.task?.service_id === created.service.id);
  assert.equal(ours[0].action, 'WATCH_ACTION_CREATE');
  assert.equal(ours[0].object, 'service');
  assert.ok(events.every((e, i) => i === 0 || BigInt(e.sequence) > BigInt(events[i - 1].sequence)), 'sequences increase');
  assert.ok(events.some((e) => e.action === 'WATCH_ACTION_DELETE' && e.object === 'service' && e.service.id === created.service.id));
  assert.equal(events.filter((e) => e.kind === 'OBJECT_KIND_TASK' && e.action === 'WATCH_ACTION_CREATE').length >= 3, true);
});
