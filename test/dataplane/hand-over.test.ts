// The hand-over gate of the data plane (the move of `stack deploy --adopt`), on real namespaces:
// a "container" endpoint holds 10.77.9.2 and answers on it; a "task" is attached with the same
// address. Proves the task's attach does not build anything while the container's endpoint is
// there (its namespace does not exist, the container still answers), that detaching the container
// lets the attach finish with the old endpoint gone and the address answered from the task's
// namespace only, and that an attach whose holder never goes is refused after the wait, building
// nothing. Also the pure clash check. Skips where not root or iproute2/nftables are missing.
// And that the move leaves the gateway's MAC alone: br0 (which holds the gateway, where the
// node's resolver listens) has its own fixed MAC, so an endpoint's neighbour entry for the gateway
// stays right while ports come and go. Before, br0 took its lowest port's MAC and the move could
// change it, cutting every client's DNS for 5-30 s (issue #14's VIP outliers).
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { addressClash } from '../../src/network/dataplane/address-gate.js';
import { DataPlane } from '../../src/network/dataplane/dataplane.js';
import type { EndpointInput } from '../../src/network/dataplane/model.js';
import { bridgeMac, nodeTag, sandboxNs } from '../../src/network/dataplane/names.js';
import { missingCapability, namespacesWith, NsScope, reaches, sh } from './netns.js';

const skip = await missingCapability();
const scope = new NsScope('dpho');
const tag = nodeTag(`h${process.pid}`);
let host = '';
let dp: DataPlane;
const PORT = 7002;

function ep(ownerId: string, address: string, networkId = 'n1'): EndpointInput {
  return { ownerId, networkId, vni: 5009, address, gateway: '10.77.9.1', index: 0 };
}

test('addressClash: the same address on the same network held by another owner', () => {
  const current = new Map([['c1', [ep('c1', '10.77.9.2/24')]]]);
  assert.deepEqual(addressClash(current, 't1', [ep('t1', '10.77.9.2/24')]), { holder: 'c1', networkId: 'n1', ip: '10.77.9.2' });
  assert.equal(addressClash(current, 'c1', [ep('c1', '10.77.9.2/24')]), null, 'its own endpoint is no clash');
  assert.equal(addressClash(current, 't1', [ep('t1', '10.77.9.3/24')]), null, 'another address');
  assert.equal(addressClash(current, 't1', [ep('t1', '10.77.9.2/24', 'n2')]), null, 'the same address on another network');
});

before(async () => {
  if (skip) return;
  host = await scope.add('h');
  // The hand-over wait is long enough for the first test's checks while the task waits (a probe
  // process each) on a loaded machine, and short enough for the second test's refusal.
  dp = new DataPlane({ tag, port: 4789, mtu: 1450, localVtep: '192.168.78.1', hostNs: host, resyncMs: 60_000, handOverWaitMs: 6_000 });
});

after(async () => {
  dp?.close();
  if (!skip) await scope.cleanup(tag);
});

test('a task taking over a container address comes up only once the container endpoint is gone', { skip: skip ?? false }, async () => {
  await dp.attach('c1', [ep('c1', '10.77.9.2/24')]);
  await dp.attach('probe', [ep('probe', '10.77.9.9/24')]);
  const echo = await scope.echo(dp.taskNamespace('c1'), PORT);
  const probe = dp.taskNamespace('probe');
  assert.equal(await reaches(probe, 'tcp', '10.77.9.2', PORT), true, 'the container answers on its address');
  // A server on the gateway, as the node's resolver is: the probe learns the gateway's MAC.
  const sandbox = sandboxNs(tag, 5009);
  await scope.echo(sandbox, PORT + 1);
  assert.equal(await reaches(probe, 'tcp', '10.77.9.1', PORT + 1), true, 'the gateway answers');
  const gatewayMac = async (): Promise<string> => (await sh('ip', ['-n', probe, 'neigh', 'show', '10.77.9.1'])).match(/lladdr (\S+)/)?.[1] ?? '';
  const br0Mac = async (): Promise<string> => (await sh('ip', ['-n', sandbox, '-o', 'link', 'show', 'br0'])).match(/link\/ether (\S+)/)?.[1] ?? '';
  assert.equal(await br0Mac(), bridgeMac(sandbox), 'br0 has its own MAC, not a port\'s');
  assert.equal(await gatewayMac(), bridgeMac(sandbox), 'the probe knows the gateway by it');

  let attached = false;
  const taking = dp.attach('t1', [ep('t1', '10.77.9.2/24')]).then(() => (attached = true));
  await new Promise((r) => setTimeout(r, 500));
  assert.equal(attached, false, 'the task waits while the container holds the address');
  assert.ok(!(await namespacesWith(dp.taskNamespace('t1'))).includes(dp.taskNamespace('t1')), 'nothing of the task is built meanwhile');
  assert.equal(await reaches(probe, 'tcp', '10.77.9.2', PORT), true, 'the container still answers');

  // The container stops (its process first, as the executor does), then its endpoint goes.
  echo.kill('SIGKILL');
  dp.detach('c1');
  await taking;
  const left = await namespacesWith(tag);
  assert.ok(!left.includes(dp.taskNamespace('c1')), 'the container namespace is gone');
  const addrs = await sh('ip', ['-n', dp.taskNamespace('t1'), '-o', 'addr', 'show', 'dev', 'eth0']);
  assert.match(addrs, /inet 10\.77\.9\.2\/24/, 'the task has the address');
  await scope.echo(dp.taskNamespace('t1'), PORT);
  assert.equal(await reaches(probe, 'tcp', '10.77.9.2', PORT), true, 'and answers on it');
  assert.equal(await br0Mac(), bridgeMac(sandbox), 'the move left br0\'s MAC as it was');
  assert.equal(await reaches(probe, 'tcp', '10.77.9.1', PORT + 1, 1_000), true, 'the gateway answers at once, with no new neighbour resolution');
  assert.equal(await gatewayMac(), bridgeMac(sandbox));
});

test('an attach whose address is never released is refused after the wait, building nothing', { skip: skip ?? false }, async () => {
  await dp.attach('c2', [ep('c2', '10.77.9.5/24')]);
  await assert.rejects(dp.attach('t2', [ep('t2', '10.77.9.5/24')]), /address 10\.77\.9\.5 on network n1 is still held by c2 on this node/);
  assert.equal(dp.hasTask('t2'), false);
  assert.ok(!(await namespacesWith(tag)).includes(dp.taskNamespace('t2')));
});
