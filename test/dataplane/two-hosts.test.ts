// The data-plane module on real namespaces, without a cluster: two "hosts" (namespaces joined
// by a veth underlay) each reconcile their sandboxes, task namespaces and peer entries from
// hand-written inputs. Proves same-host and cross-host (VXLAN) TCP and UDP, egress through the
// host, isolation between networks, removal of the sandbox with its last endpoint, and that a
// sandbox deleted by hand is rebuilt by the next reconcile. Skips where not root.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { DataPlane } from '../../src/network/dataplane/dataplane.js';
import type { EndpointInput, PeerInput } from '../../src/network/dataplane/model.js';
import { nodeTag, sandboxNs } from '../../src/network/dataplane/names.js';
import { missingCapability, namespacesWith, NsScope, reaches, sh } from './netns.js';
import { twoPlaneHosts } from './plane-hosts.js';

const skip = await missingCapability();
const scope = new NsScope('dp2h');
const tag1 = nodeTag(`a${process.pid}`);
const tag2 = nodeTag(`b${process.pid}`);
let h1 = '';
let h2 = '';
let dp1: DataPlane;
let dp2: DataPlane;
const PORT = 7001;

function ep(ownerId: string, networkId: string, vni: number, address: string, index = 0): EndpointInput {
  const gateway = address.replace(/\.\d+\/\d+$/, '.1');
  return { ownerId, networkId, vni, address, gateway, index };
}

function peers(entries: [string, PeerInput][]): Map<string, PeerInput> {
  return new Map(entries);
}

before(async () => {
  if (skip) return;
  ({ h1, h2, dp1, dp2 } = await twoPlaneHosts(scope, { underlay: '192.168.77', tags: [tag1, tag2] }));
});

after(async () => {
  dp1?.close();
  dp2?.close();
  if (!skip) await scope.cleanup(tag1, tag2);
});

test('two hosts: TCP and UDP across VXLAN and on one host, egress, isolation', { skip: skip ?? false }, async () => {
  await dp1.attach('ta', [ep('ta', 'n1', 5001, '10.77.1.2/24')]);
  await dp1.attach('tb', [ep('tb', 'n1', 5001, '10.77.1.3/24')]);
  await dp2.attach('tc', [ep('tc', 'n1', 5001, '10.77.1.4/24')]);
  await dp2.attach('td', [ep('td', 'n2', 5002, '10.77.2.2/24')]);
  dp1.replacePeers(peers([['c', { networkId: 'n1', ip: '10.77.1.4', vtep: '192.168.77.2' }]]), new Set());
  dp2.replacePeers(
    peers([
      ['a', { networkId: 'n1', ip: '10.77.1.2', vtep: '192.168.77.1' }],
      ['b', { networkId: 'n1', ip: '10.77.1.3', vtep: '192.168.77.1' }],
    ]),
    new Set(),
  );
  await Promise.all([dp1.sync(), dp2.sync()]);
  const [ta, tb, tc, td] = [dp1.taskNamespace('ta'), dp1.taskNamespace('tb'), dp2.taskNamespace('tc'), dp2.taskNamespace('td')];
  await Promise.all([scope.echo(ta, PORT), scope.echo(tc, PORT), scope.echo(td, PORT), scope.echo(h2, PORT)]);
  assert.equal(await reaches(tb, 'tcp', '10.77.1.2', PORT), true, 'same host, same network');
  assert.equal(await reaches(ta, 'tcp', '10.77.1.4', PORT), true, 'host 1 -> host 2 over VXLAN (TCP)');
  assert.equal(await reaches(ta, 'udp', '10.77.1.4', PORT), true, 'host 1 -> host 2 over VXLAN (UDP)');
  assert.equal(await reaches(tc, 'tcp', '10.77.1.2', PORT), true, 'host 2 -> host 1 over VXLAN (TCP)');
  assert.equal(await reaches(ta, 'tcp', '192.168.77.2', PORT), true, 'egress to the underlay through the host');
  assert.equal(await reaches(td, 'tcp', '10.77.1.4', PORT, 1_000), false, 'network n2 must not reach n1 on the same host');
  assert.equal(await reaches(td, 'tcp', '10.77.1.2', PORT, 1_000), false, 'network n2 must not reach n1 on another host');
  const links = (await sh('ip', ['-n', dp1.taskNamespace('ta'), '-o', 'link', 'show'])).split('\n').filter((l) => l.trim() !== '').map((l) => l.split(':')[1]?.trim().split('@')[0]);
  assert.deepEqual(links.sort(), ['eth0', 'lo'], 'a task sees lo and one interface per network');
});

test('a sandbox deleted by hand is rebuilt; the last endpoint takes its sandbox with it', { skip: skip ?? false }, async () => {
  const sb2 = sandboxNs(tag2, 5001);
  await sh('ip', ['-n', sb2, 'link', 'del', 'vxlan0']);
  await sh('ip', ['netns', 'del', sb2]);
  assert.equal(await reaches(dp1.taskNamespace('ta'), 'tcp', '10.77.1.4', PORT, 1_000), false, 'the deletion cut the path');
  const stats = await dp2.sync();
  assert.ok(stats.steps > 0, 'the reconcile found work to do');
  assert.equal(await reaches(dp1.taskNamespace('ta'), 'tcp', '10.77.1.4', PORT), true, 'rebuilt by reconciliation');
  assert.equal((await dp2.sync()).steps, 0, 'a second reconcile finds nothing to do');
  dp1.detach('ta');
  dp1.detach('tb');
  await dp1.sync();
  assert.deepEqual(await namespacesWith(tag1), [], 'no namespace left on host 1 once its endpoints are gone');
  const hostLinks = await sh('ip', ['-n', h1, '-o', 'link', 'show']);
  assert.doesNotMatch(hostLinks, /sgw|svx/, 'no host-side link left');
  assert.doesNotMatch(await sh('ip', ['netns', 'exec', h1, 'nft', 'list', 'tables']), /shoal/, 'the host table is gone with the last sandbox');
});
