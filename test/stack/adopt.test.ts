// Proves the choice of adoptions for a stack deploy by direct calls on the adopt fixture
// translated as a deploy would.
// --adopt: a service being created adopts the container named like its compose key when they
// share a network; not when they share none, not a service that already exists (it is updated,
// not created), not a global service or one scaled to 0, and not a container of another name.
// x-shoal-adopt: names the container (or true/false) without the flag and wins over it for its
// service; every way it cannot happen is a problem at the key's position (checked with the
// loader's position table, as the CLI prints it), and a contradiction with --adopt is refused.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { loadCompose } from '../../src/stack/compose-load.js';
import { ADOPTED_NAME_LABEL, keepAdoptedName, planAdoptions, withAdoptedName, type AdoptCandidate } from '../../src/stack/adopt.js';
import { formatProblem, StackFileError } from '../../src/stack/problems.js';
import { translateCompose, type StackDesired } from '../../src/stack/translate.js';

const FIXTURE = fileURLToPath(new URL('../../../test/fixtures/stack/adopt.yml', import.meta.url));

function desired(text = readFileSync(FIXTURE, 'utf8')): StackDesired {
  return translateCompose('app', loadCompose([{ name: 'adopt.yml', text }], {}), { env: {}, readText: () => undefined });
}

const ids = new Map([
  ['front', 'net-front'],
  ['elsewhere', 'net-else'],
]);

test('--adopt: a new service adopts the container of its compose name on a shared network, and only then', () => {
  const d = desired();
  const creating = d.services.map((s) => s.spec);
  const plan = (containers: AdoptCandidate[], c = creating): unknown => planAdoptions(d, c, ids, containers, true).adoptions;
  assert.deepEqual(plan([{ name: 'web', networkIds: ['net-else', 'net-front'] }]), [{ service: 'app_web', container: 'web' }]);
  assert.deepEqual(plan([{ name: 'web', networkIds: ['net-else'] }]), [], 'no shared network');
  assert.deepEqual(plan([{ name: 'web', networkIds: ['net-front'] }], []), [], 'the service exists already');
  assert.deepEqual(plan([{ name: 'app_web', networkIds: ['net-front'] }]), [], 'the compose name is what counts');
  assert.deepEqual(planAdoptions(d, creating, ids, [{ name: 'web', networkIds: ['net-front'] }], false), { adoptions: [], problems: [] }, 'no flag, no key: nothing');
});

test('--adopt: a global service or one with no replica adopts nothing', () => {
  const text = readFileSync(FIXTURE, 'utf8');
  for (const variant of [text.replace('replicas: 2', 'mode: global'), text.replace('replicas: 2', 'replicas: 0')]) {
    const d = desired(variant);
    assert.deepEqual(planAdoptions(d, d.services.map((s) => s.spec), ids, [{ name: 'web', networkIds: ['net-front'] }], true), { adoptions: [], problems: [] });
  }
});

const TWO = [
  'services:',
  '  web:',
  '    command: serve',
  '    networks: [front]',
  '    x-shoal-adopt: ADOPT_WEB',
  '  api:',
  '    command: serve',
  '    networks: [front]',
  '    x-shoal-adopt: ADOPT_API',
  'networks:',
  '  front: {external: true}',
  '',
].join('\n');

/** Adoptions, or the problems as the CLI prints them (`file:line:col: path: message`). */
function explicit(web: string, api: string, containers: AdoptCandidate[], opts: { flag?: boolean; exists?: boolean; text?: string } = {}): unknown {
  const text = (opts.text ?? TWO).replace('ADOPT_WEB', web).replace('ADOPT_API', api);
  const loaded = loadCompose([{ name: 'two.yml', text }], {});
  const d = translateCompose('app', loaded, { env: {}, readText: () => undefined });
  const creating = opts.exists ? d.services.filter((s) => s.key !== 'web').map((s) => s.spec) : d.services.map((s) => s.spec);
  const r = planAdoptions(d, creating, ids, containers, opts.flag ?? false);
  return r.problems.length > 0 ? r.problems.map((p) => formatProblem({ ...p, at: loaded.positions.value(p.path) })) : r.adoptions;
}

test('x-shoal-adopt: explicit adoption without the flag; true, false and a name', () => {
  const old = { name: 'web-old', networkIds: ['net-front'] };
  const web = { name: 'web', networkIds: ['net-front'] };
  assert.deepEqual(explicit('web-old', 'false', [old, web]), [{ service: 'app_web', container: 'web-old' }]);
  assert.deepEqual(explicit('true', 'false', [old, web]), [{ service: 'app_web', container: 'web' }], 'true: the compose name');
  // The key wins over the flag for its service: web takes web-old; with the flag, the container
  // named web would go to web by name, but the key says otherwise, so it stays.
  assert.deepEqual(explicit('web-old', 'false', [old, web], { flag: true }), [{ service: 'app_web', container: 'web-old' }]);
  assert.deepEqual(explicit('false', 'false', [web], { flag: true }), [], 'false opts out of --adopt');
  // After the move the key stays in the file; a redeploy of the existing service is quiet.
  assert.deepEqual(explicit('web-old', 'false', [], { exists: true }), []);
});

test('x-shoal-adopt: every refusal is at the key, with what to do', () => {
  const old = { name: 'web-old', networkIds: ['net-front'] };
  assert.deepEqual(explicit('nosuch', 'false', [old]), [
    'two.yml:5:20: services.web.x-shoal-adopt: container "nosuch" not found: there is no standalone container of that name to adopt (`shoal container ls`)',
  ]);
  assert.deepEqual(explicit('web-old', 'false', [{ name: 'web-old', networkIds: ['net-else'] }]), [
    'two.yml:5:20: services.web.x-shoal-adopt: container "web-old" shares no network with service app_web: put the service on one of the container\'s networks, or remove the key',
  ]);
  assert.deepEqual(explicit('web-old', 'web-old', [old]), [
    'two.yml:9:20: services.api.x-shoal-adopt: container "web-old" is already adopted by service app_web (services.web.x-shoal-adopt); a container moves into one service only',
  ]);
  assert.deepEqual(explicit('web-old', 'false', [old], { exists: true }), [
    'two.yml:5:20: services.web.x-shoal-adopt: service app_web exists already, and only a service the deploy creates can adopt a container; container "web-old" is left as it is (remove the key, or remove the service first)',
  ]);
  // api adopts the container named web explicitly, while --adopt gives it to web by name.
  assert.deepEqual(explicit('true', 'web', [{ name: 'web', networkIds: ['net-front'] }], { flag: true, text: TWO.replace('    x-shoal-adopt: ADOPT_WEB\n', '') }), [
    'two.yml:8:20: services.api.x-shoal-adopt: container "web" is adopted here by service app_api, but --adopt also gives it to service app_web (its compose name): set x-shoal-adopt: false on services.web, or drop --adopt',
  ]);
  const global = TWO.replace('    x-shoal-adopt: ADOPT_WEB', '    x-shoal-adopt: web-old\n    deploy: {mode: global}');
  assert.deepEqual(explicit('', 'false', [old], { text: global }), [
    'two.yml:5:20: services.web.x-shoal-adopt: service app_web cannot adopt container "web-old": only a replicated service with at least one replica can (its slot-1 task takes the address)',
  ]);
});

test('x-shoal-adopt: a value of the wrong type is a file problem', () => {
  try {
    desired(TWO.replace('ADOPT_WEB', '[web]').replace('ADOPT_API', 'false'));
    assert.fail('expected a refusal');
  } catch (e) {
    assert.ok(e instanceof StackFileError);
    assert.equal(e.message, 'adopt.yml:5:20: services.web.x-shoal-adopt: must be the name of the standalone container to adopt, true (the one named like the service) or false, not a list');
  }
});

// Proves how a docker-compose container is found: by its name first (a `shoal run --name web`
// container wins), else by compose's service label when exactly one container carries it; two
// (compose's scale, or two projects) are refused as ambiguous, under --adopt and under the key
// alike, naming both; the key may also name the compose container by its full name.
test('docker-compose containers: found by the compose service label, ambiguity refused', () => {
  const d = desired();
  const creating = d.services.map((s) => s.spec);
  const compose = (name: string): AdoptCandidate => ({ name, networkIds: ['net-front'], composeService: 'web' });
  const flag = (containers: AdoptCandidate[]): unknown => planAdoptions(d, creating, ids, containers, true);
  assert.deepEqual(flag([compose('proj_web_1')]), { adoptions: [{ service: 'app_web', container: 'proj_web_1', byComposeLabel: true }], problems: [] });
  assert.deepEqual(flag([compose('proj_web_1'), { name: 'web', networkIds: ['net-front'] }]), { adoptions: [{ service: 'app_web', container: 'web' }], problems: [] }, 'the exact name wins');
  assert.deepEqual(flag([compose('proj_web_1'), compose('other_web_1')]), {
    adoptions: [],
    problems: [{ path: 'services.web', message: '--adopt: several docker-compose containers run service "web" (other_web_1, proj_web_1): name the one to adopt with x-shoal-adopt: <container>' }],
  });
  const keyed = desired(readFileSync(FIXTURE, 'utf8').replace('    networks: [front]\n', '    networks: [front]\n    x-shoal-adopt: other_web_1\n'));
  assert.deepEqual(planAdoptions(keyed, keyed.services.map((s) => s.spec), ids, [compose('proj_web_1'), compose('other_web_1')], true).adoptions, [{ service: 'app_web', container: 'other_web_1' }], 'the key names one');
});

// Proves the adopted container's own name is kept as a network alias of the service (with the
// label that records it), not when it is the compose name, and that a redeploy of the same file
// keeps it, so the plan sees no change.
test('the adopted container name stays an alias across redeploys', () => {
  const spec = desired().services[0]!.spec;
  assert.equal(withAdoptedName(spec, 'web', 'web'), spec, 'same name: nothing to add');
  const created = withAdoptedName(spec, 'web', 'proj_web_1');
  assert.deepEqual(created.networkAliases, [...(spec.networkAliases ?? []), 'proj_web_1']);
  assert.equal(created.labels?.[ADOPTED_NAME_LABEL], 'proj_web_1');
  assert.deepEqual(keepAdoptedName(spec, created.labels ?? {}), created, 'the redeployed spec equals the created one');
  assert.equal(keepAdoptedName(spec, {}), spec);
});
