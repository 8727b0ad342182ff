// Proves the deploy plan by direct calls: a first deploy creates the stack's networks and
// services (never an external one); a redeploy with the same files changes nothing, with one
// changed service updates only that one (keeping a forced-restart counter); --prune removes the
// stack's services the files dropped (and never another stack's); name clashes and a missing
// external network are conflicts, found before any write.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Network__Output } from '../../src/generated/shoal/v1/Network.js';
import type { Service__Output } from '../../src/generated/shoal/v1/Service.js';
import type { ServiceSpec, ServiceSpec__Output } from '../../src/generated/shoal/v1/ServiceSpec.js';
import { serviceToProto, specFromProto } from '../../src/manager/service-view.js';
import { loadCompose, type ComposeSource } from '../../src/stack/compose-load.js';
import { planDeploy, type ClusterState } from '../../src/stack/plan.js';
import { translateCompose, type StackDesired } from '../../src/stack/translate.js';

const FIXTURES = fileURLToPath(new URL('../../../test/fixtures/stack/', import.meta.url));
const fixture = (name: string): ComposeSource => ({ name, text: readFileSync(FIXTURES + name, 'utf8') });
const desiredOf = (...files: string[]): StackDesired =>
  translateCompose('app', loadCompose(files.map(fixture), {}), { env: {}, readText: (p) => readFileSync(FIXTURES + p, 'utf8') });

function network(name: string, labels: Record<string, string> = {}): Network__Output {
  return { id: `id-${name}`, name, labels, createdUnixMs: 0, updatedUnixMs: 0, version: 1, driver: 'overlay', subnet: '10.77.1.0/24', gateway: '10.77.1.1', ipRange: '', attachable: true, vxlanId: 4097, internal: false, options: {} };
}

/** The service as the API would return it after creating `spec` (through the server's own conversions). */
function live(spec: ServiceSpec, networks: readonly Network__Output[], extra: { forceUpdate?: number } = {}): Service__Output {
  const ids = (spec.networks ?? []).map((n) => networks.find((x) => x.name === n)!.id);
  const withForce = { ...spec, taskTemplate: { ...spec.taskTemplate, forceUpdate: extra.forceUpdate ?? 0 } };
  const record = specFromProto(withForce as ServiceSpec__Output, ids);
  const proto = serviceToProto({ id: `id-${spec.name}`, name: record.name, mode: record.mode, replicas: record.replicas, spec: record, previousSpec: null, updateStatus: null, createdAt: 0, updatedAt: 0, version: 7 }, 0);
  return { ...proto, virtualIps: [] } as unknown as Service__Output;
}

/** The cluster after a deploy of `desired`. */
function deployed(desired: StackDesired, external: Network__Output[]): ClusterState {
  const networks = [...external, ...desired.networks.filter((n) => !n.external).map((n) => network(n.name, n.labels))];
  return { networks, services: desired.services.map((s) => live(s.spec, networks)) };
}

const shared = network('shared');

void test('first deploy: the stack network and both services are created; the external one is only looked up', () => {
  const plan = planDeploy(desiredOf('compose.yml'), { networks: [shared], services: [] }, false);
  assert.deepEqual(plan.conflicts, []);
  assert.deepEqual(plan.createNetworks.map((n) => n.name), ['app_front']);
  assert.deepEqual(plan.createServices.map((s) => s.name), ['app_web', 'app_db']);
  assert.deepEqual([plan.updateServices, plan.unchangedServices, plan.removeServices], [[], [], []]);
});

void test('redeploy: the same files change nothing; one changed service is the only update', () => {
  const cluster = deployed(desiredOf('compose.yml'), [shared]);
  const same = planDeploy(desiredOf('compose.yml'), cluster, false);
  assert.deepEqual([same.createNetworks, same.createServices, same.updateServices, same.conflicts], [[], [], [], []]);
  assert.deepEqual(same.unchangedServices, ['app_web', 'app_db']);

  const changed = planDeploy(desiredOf('compose.yml', 'web-v2.yml'), cluster, false);
  assert.deepEqual(changed.updateServices.map((u) => [u.id, u.name, u.version]), [['id-app_web', 'app_web', 7]]);
  assert.deepEqual(changed.updateServices[0]!.spec.taskTemplate?.env, ['GREETING=bonjour', 'PORT=0']);
  assert.deepEqual(changed.unchangedServices, ['app_db']);
});

void test('a forced restart of a stack service is not a change the file undoes', () => {
  const desired = desiredOf('compose.yml');
  const cluster = deployed(desired, [shared]);
  const forced = { ...cluster, services: cluster.services.map((s) => (s.name === 'app_db' ? live(desired.services[1]!.spec, cluster.networks, { forceUpdate: 3 }) : s)) };
  assert.deepEqual(planDeploy(desired, forced, false).unchangedServices, ['app_web', 'app_db']);
  const changed = planDeploy(desiredOf('compose.yml', 'web-v2.yml'), forced, false);
  assert.equal(changed.updateServices.length, 1);
});

void test('prune removes the stack services the files dropped, and only with --prune', () => {
  const cluster = deployed(desiredOf('compose.yml'), [shared]);
  const other = live({ ...desiredOf('compose.yml').services[1]!.spec, name: 'other_db', stack: 'other' }, cluster.networks);
  const withOther = { ...cluster, services: [...cluster.services, other] };
  assert.deepEqual(planDeploy(desiredOf('web-only.yml'), withOther, false).removeServices, []);
  assert.deepEqual(planDeploy(desiredOf('web-only.yml'), withOther, true).removeServices, [{ id: 'id-app_db', name: 'app_db' }]);
});

void test('conflicts: a missing external network, a same-named network or service outside the stack, a changed subnet', () => {
  const missing = planDeploy(desiredOf('compose.yml'), { networks: [], services: [] }, false);
  assert.deepEqual(missing.conflicts, [{ path: 'networks.shared', message: 'network "shared" is declared external but does not exist (create it with `shoal network create --attachable shared`)' }]);

  const foreignNet = planDeploy(desiredOf('compose.yml'), { networks: [shared, network('app_front')], services: [] }, false);
  assert.deepEqual(foreignNet.conflicts, [{ path: 'networks.front', message: 'network "app_front" already exists and is not part of stack app (declare it `external: true` to use it)' }]);

  const own = { ...network('app_front', { 'com.docker.stack.namespace': 'app' }), subnet: '10.88.0.0/24' };
  const moved = planDeploy(desiredOf('compose.yml'), { networks: [shared, own], services: [] }, false);
  assert.deepEqual(moved.conflicts.map((c) => c.path), ['networks.front']);
  assert.match(moved.conflicts[0]!.message, /exists with subnet 10\.88\.0\.0\/24 .* cannot change/);

  const networks = [shared, network('app_front', { 'com.docker.stack.namespace': 'app' })];
  const foreignSvc = live({ ...desiredOf('compose.yml').services[0]!.spec, stack: '' }, networks);
  const clash = planDeploy(desiredOf('compose.yml'), { networks, services: [foreignSvc] }, false);
  assert.deepEqual(clash.conflicts, [{ path: 'services.web', message: 'service "app_web" already exists and is not part of stack app' }]);
});
