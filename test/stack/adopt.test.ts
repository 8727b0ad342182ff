// Proves the choice of adoptions for `stack deploy --adopt` by direct calls on the adopt fixture
// translated as a deploy would: a service being created adopts the container named like its
// compose key when they share a network; not when they share none, not a service that already
// exists (it is updated, not created), not a global service or one scaled to 0, and not a
// container of another name.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { loadCompose } from '../../src/stack/compose-load.js';
import { planAdoptions } from '../../src/stack/adopt.js';
import { translateCompose, type StackDesired } from '../../src/stack/translate.js';

const FIXTURE = fileURLToPath(new URL('../../../test/fixtures/stack/adopt.yml', import.meta.url));

function desired(text = readFileSync(FIXTURE, 'utf8')): StackDesired {
  return translateCompose('app', loadCompose([{ name: 'adopt.yml', text }], {}), { env: {}, readText: () => undefined });
}

const ids = new Map([
  ['front', 'net-front'],
  ['elsewhere', 'net-else'],
]);

test('a new service adopts the container of its compose name on a shared network, and only then', () => {
  const d = desired();
  const creating = d.services.map((s) => s.spec);
  assert.deepEqual(planAdoptions(d, creating, ids, [{ name: 'web', networkIds: ['net-else', 'net-front'] }]), [{ service: 'app_web', container: 'web' }]);
  assert.deepEqual(planAdoptions(d, creating, ids, [{ name: 'web', networkIds: ['net-else'] }]), [], 'no shared network');
  assert.deepEqual(planAdoptions(d, [], ids, [{ name: 'web', networkIds: ['net-front'] }]), [], 'the service exists already');
  assert.deepEqual(planAdoptions(d, creating, ids, [{ name: 'app_web', networkIds: ['net-front'] }]), [], 'the compose name is what counts');
});

test('a global service or one with no replica adopts nothing', () => {
  const text = readFileSync(FIXTURE, 'utf8');
  for (const variant of [text.replace('replicas: 2', 'mode: global'), text.replace('replicas: 2', 'replicas: 0')]) {
    const d = desired(variant);
    assert.deepEqual(planAdoptions(d, d.services.map((s) => s.spec), ids, [{ name: 'web', networkIds: ['net-front'] }]), []);
  }
});
