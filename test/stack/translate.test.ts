// Proves the compose → stack translation by direct calls on files in test/fixtures/stack: the
// test stack's specs (names, process tasks, aliases, networks, env_file, deploy settings), the
// merge of several files, each kind of bad file failing with its exact file:line:column, key path
// and message (so nothing would be written), and real-world-shaped files translating with their
// unsupported keys listed instead of failing.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { loadCompose, type ComposeSource } from '../../src/stack/compose-load.js';
import { StackFileError } from '../../src/stack/problems.js';
import { translateCompose, type StackDesired } from '../../src/stack/translate.js';

const FIXTURES = fileURLToPath(new URL('../../../test/fixtures/stack/', import.meta.url));
const fixture = (name: string): ComposeSource => ({ name, text: readFileSync(FIXTURES + name, 'utf8') });
const readText = (p: string): string | undefined => {
  try {
    return readFileSync(FIXTURES + p, 'utf8');
  } catch {
    return undefined;
  }
};

function translate(sources: ComposeSource[], env: Record<string, string> = {}, stack = 'app'): StackDesired {
  return translateCompose(stack, loadCompose(sources, env), { env, readText });
}

/** The problems (formatted) a source fails with. */
function problemsOf(text: string, env: Record<string, string> = {}): string[] {
  try {
    translate([{ name: 'stack.yml', text }], env);
  } catch (e) {
    if (e instanceof StackFileError) return e.message.split('\n');
    throw e;
  }
  assert.fail('expected the file to be refused');
}

void test('the test stack: STACK_<service> names, process tasks, plain-name aliases, networks and env_file', () => {
  const d = translate([fixture('compose.yml')]);
  assert.deepEqual(d.unsupported, ['ports']);
  assert.deepEqual(d.networks.map((n) => [n.name, n.external, n.attachable, n.subnet, n.labels]), [
    ['app_front', false, true, '10.77.1.0/24', { 'com.docker.stack.namespace': 'app' }],
    ['shared', true, false, '', {}],
  ]);
  const [web, db] = d.services;
  assert.equal(web!.spec.name, 'app_web');
  assert.equal(web!.spec.stack, 'app');
  assert.equal(web!.spec.replicas, 2);
  assert.equal(web!.spec.taskTemplate?.image, '', 'no image: a process task');
  assert.equal(web!.spec.taskTemplate?.command, 'node');
  assert.equal(web!.spec.taskTemplate?.args?.[0], '-e');
  assert.deepEqual(web!.spec.taskTemplate?.env, ['GREETING=hello', 'PORT=0']);
  assert.deepEqual(web!.spec.networks, ['app_front', 'shared']);
  assert.deepEqual(web!.spec.networkAliases, ['web', 'www'], 'the compose name first, then its aliases');
  assert.deepEqual(web!.spec.taskTemplate?.restartPolicy, { condition: 'RESTART_CONDITION_ANY', delayMs: 100, maxAttempts: 0, windowMs: 0 });
  assert.equal(web!.spec.updateConfig?.monitorMs, 0);
  assert.equal(db!.spec.name, 'app_db');
  assert.deepEqual([db!.spec.taskTemplate?.command, ...(db!.spec.taskTemplate?.args ?? [])], ['node', '-e', 'setInterval(() => {}, 1 << 30)'], 'a string command is split like a shell');
  assert.deepEqual(db!.spec.taskTemplate?.env, ['DB_NAME=orders'], 'from db.env');
  assert.deepEqual(db!.spec.labels, { tier: 'data' });
});

void test('several files merge in order; variables come from the environment', () => {
  const d = translate([fixture('compose.yml'), fixture('web-v2.yml')]);
  assert.deepEqual(d.services[0]!.spec.taskTemplate?.env, ['GREETING=bonjour', 'PORT=0'], 'the override wins, the rest stays');
  assert.equal(d.services[0]!.spec.replicas, 2);
  const withVar = translate([fixture('compose.yml')], { GREETING: 'hi' });
  assert.deepEqual(withVar.services[0]!.spec.taskTemplate?.env, ['GREETING=hi', 'PORT=0']);
});

void test('services without networks share STACK_default; deploy settings map to the spec', () => {
  const d = translate([{
    name: 'a.yml',
    text: [
      'services:',
      '  api:',
      '    image: registry.example:5000/api:1',
      '    pull_policy: always',
      '    environment: [A=1, B]',
      '    deploy:',
      '      mode: global',
      '      endpoint_mode: dnsrr',
      '      placement: {constraints: ["node.role == worker"], preferences: [{spread: node.labels.zone}], max_replicas_per_node: 2}',
      '      resources: {reservations: {cpus: "0.25", memory: 128M}}',
      '      update_config: {parallelism: 2, delay: 10s, order: start-first, failure_action: rollback, monitor: 1m, max_failure_ratio: 0.5}',
      '      rollback_config: {parallelism: 0, order: start-first, failure_action: continue}',
      '      restart_policy: {condition: on-failure, delay: 5s, max_attempts: 3, window: 2m}',
    ].join('\n'),
  }], { B: 'from-shell' });
  assert.deepEqual(d.networks.map((n) => n.name), ['app_default']);
  const s = d.services[0]!.spec;
  assert.equal(s.mode, 'SERVICE_MODE_GLOBAL');
  assert.equal(s.replicas, 0);
  assert.equal(s.endpointMode, 'ENDPOINT_MODE_DNSRR');
  assert.deepEqual(s.networks, ['app_default']);
  assert.equal(s.taskTemplate?.pull, 'always');
  assert.deepEqual(s.taskTemplate?.env, ['A=1', 'B=from-shell']);
  assert.deepEqual(s.placement, { constraints: ['node.role == worker'], preferences: [{ spreadDescriptor: 'node.labels.zone' }], maxReplicasPerNode: 2 });
  assert.deepEqual(s.taskTemplate?.reservations, { nanoCpus: 250_000_000, memoryBytes: 128 * 1024 ** 2 });
  assert.deepEqual(s.updateConfig, { parallelism: 2, delayMs: 10_000, order: 'UPDATE_ORDER_START_FIRST', failureAction: 'UPDATE_FAILURE_ACTION_ROLLBACK', monitorMs: 60_000, maxFailureRatio: 0.5 });
  // rollback_config: what is written, docker's defaults for the rest.
  assert.deepEqual(s.rollbackConfig, { parallelism: 0, delayMs: 0, order: 'UPDATE_ORDER_START_FIRST', failureAction: 'UPDATE_FAILURE_ACTION_CONTINUE', monitorMs: 5_000, maxFailureRatio: 0 });
  assert.deepEqual(s.taskTemplate?.restartPolicy, { condition: 'RESTART_CONDITION_ON_FAILURE', delayMs: 5_000, maxAttempts: 3, windowMs: 120_000 });
});

void test('a declared default network (here an external one) is where services without networks go', () => {
  const d = translate([{ name: 'a.yml', text: 'services:\n  a:\n    command: run\nnetworks:\n  default:\n    external: true\n    name: corp\n' }]);
  assert.deepEqual(d.networks.map((n) => [n.name, n.external]), [['corp', true]]);
  assert.deepEqual(d.services[0]!.spec.networks, ['corp']);
});

void test('bad files: exact message, file:line:column and key path', () => {
  assert.deepEqual(problemsOf('services:\n  web:\n    image: nginx\n   command: [a, b\n'), [
    'stack.yml:4:1: invalid YAML: All mapping items must start at the same column',
    'stack.yml:5:1: invalid YAML: Flow sequence in block collection must be sufficiently indented and end with a ]',
  ]);
  assert.deepEqual(problemsOf('services:\n  web:\n    image: nginx\n    deploy:\n      replicas: three\n'), [
    'stack.yml:5:17: services.web.deploy.replicas: must be a whole number, 0 or more, not "three"',
  ]);
  assert.deepEqual(problemsOf('services:\n  web:\n    imgae: nginx\n    command: x\n'), [
    'stack.yml:3:5: services.web.imgae: unknown key "imgae" (not in the compose specification; did you mean "image"?)',
  ]);
  assert.deepEqual(problemsOf('services:\n  web:\n    image: "nginx:${TAG?set TAG to the release}"\n'), [
    'stack.yml:3:12: services.web.image: required variable TAG is missing a value: set TAG to the release',
  ]);
  assert.deepEqual(problemsOf('services:\n  web:\n    image: a\n    image: b\n'), ['stack.yml:4:5: invalid YAML: Map keys must be unique']);
  assert.deepEqual(problemsOf('services:\n  web:\n    image: nginx\n    networks: [back]\n'), [
    'stack.yml:4:16: services.web.networks[0]: network "back" is not declared under the top-level networks:',
  ]);
  assert.deepEqual(problemsOf('services:\n  web:\n    command: x\n    environment: {A: [1]}\n'), [
    'stack.yml:4:22: services.web.environment.A: must be a string, number or boolean, not a list',
  ]);
  assert.deepEqual(problemsOf('services:\n  web:\n    environment: {A: "1"}\n'), [
    'stack.yml:3:5: services.web: a service needs an image, or (a Shoal extension) an entrypoint or command to run as a process',
  ]);
  assert.deepEqual(problemsOf('services:\n  web:\n    image: nginx\n    deploy:\n      placement:\n        constraints: ["node.colour==red"]\n'), [
    'stack.yml:6:23: services.web.deploy.placement.constraints[0]: constraint "node.colour==red" has unknown key "node.colour": expected node.id, node.hostname, node.role, node.labels.KEY, node.platform.os, node.platform.arch or node.platform.engine',
  ]);
  assert.deepEqual(problemsOf('services:\n  web:\n    command: x\n  db:\n    command: y\n    deploy: {mode: global, replicas: 2}\n'), [
    'stack.yml:6:38: services.db.deploy.replicas: a global service runs one task per node; remove replicas',
  ]);
  assert.deepEqual(problemsOf('services:\n  web:\n    command: x\n    deploy:\n      rollback_config: {failure_action: rollback}\n'), [
    'stack.yml:5:41: services.web.deploy.rollback_config.failure_action: must be one of pause, continue, not "rollback"',
  ]);
  assert.deepEqual(problemsOf('- a\n- b\n'), ['stack.yml:1:1: a compose file must be a mapping (services:, networks:, …)']);
});

void test('a problem in a later file is reported at its position in that file', () => {
  try {
    translate([fixture('compose.yml'), { name: 'override.yml', text: 'services:\n  web:\n    deploy:\n      replicas: -1\n' }]);
    assert.fail('expected a refusal');
  } catch (e) {
    assert.ok(e instanceof StackFileError);
    assert.equal(e.message, 'override.yml:4:17: services.web.deploy.replicas: must be a whole number, 0 or more, not number -1');
  }
});

void test('real-world-shaped compose files translate, their unsupported keys listed in first-seen order', () => {
  const run = (file: string): StackDesired => translate([fixture(`real-world/${file}`)], {}, 'demo');
  const voting = run('voting.yml');
  assert.deepEqual(voting.services.map((s) => s.spec.name), ['demo_vote', 'demo_result', 'demo_worker', 'demo_redis', 'demo_db']);
  assert.deepEqual(voting.networks.map((n) => n.name), ['demo_front-tier', 'demo_back-tier']);
  assert.deepEqual(voting.unsupported, ['volumes', 'build', 'depends_on', 'healthcheck', 'ports', 'entrypoint (with an image)']);

  const wp = run('wordpress.yml');
  assert.deepEqual(wp.services.map((s) => [s.spec.name, s.spec.taskTemplate?.image]), [['demo_db', 'mysql:8.0'], ['demo_wordpress', 'wordpress:latest']]);
  assert.deepEqual(wp.services[0]!.spec.taskTemplate?.command, '--default-authentication-plugin=mysql_native_password');
  assert.deepEqual(wp.services[1]!.spec.taskTemplate?.env?.[0], 'WORDPRESS_DB_HOST=db');
  assert.deepEqual(wp.networks.map((n) => n.name), ['demo_default']);
  assert.deepEqual(wp.unsupported, ['volumes', 'restart', 'logging', 'expose', 'ports', 'depends_on'], 'keys merged from the x- anchor count too');

  const swarm = run('swarm.yml');
  const [proxy, api] = swarm.services;
  assert.equal(proxy!.spec.mode, 'SERVICE_MODE_GLOBAL');
  assert.deepEqual(proxy!.spec.labels, { 'traefik.enable': 'true' });
  assert.deepEqual(proxy!.spec.placement?.constraints, ['node.role == manager']);
  assert.deepEqual(api!.spec.networkAliases, ['api', 'shop-api']);
  assert.deepEqual(api!.spec.taskTemplate?.env, ['LOG_LEVEL=info', 'WORKERS=4']);
  assert.equal(api!.spec.placement?.maxReplicasPerNode, 2);
  assert.deepEqual(swarm.networks.map((n) => [n.key, n.internal]), [['public', false], ['internal', true]], 'internal: true makes an internal network');
  assert.deepEqual(swarm.unsupported, ['configs', 'secrets', 'networks.driver_opts', 'ports', 'volumes', 'deploy.resources.limits', 'logging']);
});
