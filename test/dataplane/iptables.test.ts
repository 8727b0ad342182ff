// The iptables firewall backend for real, on two namespace "hosts" joined by a veth underlay,
// each with a data plane forced to iptables (as SHOAL_DATA_PLANE_FIREWALL=iptables does on a
// node without `nft`). Proves: cross-host VXLAN TCP, egress to the underlay (which needs the
// sandbox's and the host's MASQUERADE), that a new connection into a network through the
// host is dropped by the sandbox's SHOAL-FORWARD chain (its DROP counter moves), that no nft
// table is made, that the host chains are written in iptables-save's own spelling (a second
// reconcile plans nothing), that drift is repaired both ways (a jump deleted by hand comes back,
// a rule and a chain added by hand go), that another program's rule is never touched, and that
// the chains go with the last sandbox. Skips where not root or iptables is missing.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { DataPlane } from '../../src/network/dataplane/dataplane.js';
import { canonicalLines, HOST_CHAINS, iptables, ownedLines } from '../../src/network/dataplane/firewall/iptables.js';
import type { EndpointInput } from '../../src/network/dataplane/model.js';
import { egressAddrs, hostPart, nodeTag, sandboxNs } from '../../src/network/dataplane/names.js';
import { missingCapability, namespacesWith, NsScope, reaches, sh } from './netns.js';
import { twoPlaneHosts } from './plane-hosts.js';

const skip =
  (await missingCapability()) ??
  ((await sh('iptables-save', ['--version']).then(() => true, () => false)) ? null : 'needs `iptables` (apt-get install iptables)');
const scope = new NsScope('dpipt');
const tag1 = nodeTag(`i${process.pid}`);
const tag2 = nodeTag(`j${process.pid}`);
let h1 = '';
let h2 = '';
let dp1: DataPlane;
let dp2: DataPlane;
const PORT = 7002;
/** Another program's rule on host 1: it must survive every rewrite and the removal. */
const FOREIGN = '-A FORWARD -i other0 -j ACCEPT';

function ep(ownerId: string, networkId: string, vni: number, address: string): EndpointInput {
  return { ownerId, networkId, vni, address, gateway: address.replace(/\.\d+\/\d+$/, '.1'), index: 0 };
}

const save = (ns: string): Promise<string> => sh('ip', ['netns', 'exec', ns, 'iptables-save']);

before(async () => {
  if (skip) return;
  ({ h1, h2, dp1, dp2 } = await twoPlaneHosts(scope, { underlay: '192.168.78', tags: [tag1, tag2], firewall: iptables }));
  // Before the planes' first reconcile (the constructor touches nothing).
  await sh('ip', ['netns', 'exec', h1, 'iptables', '-A', 'FORWARD', '-i', 'other0', '-j', 'ACCEPT']);
});

after(async () => {
  dp1?.close();
  dp2?.close();
  if (!skip) await scope.cleanup(tag1, tag2);
});

test('iptables backend: VXLAN, egress through both masquerades, no way in, drift repaired both ways, chains gone with the last sandbox', { skip: skip ?? false }, async () => {
  await dp1.attach('ta', [ep('ta', 'n1', 5101, '10.78.1.2/24')]);
  await dp2.attach('tc', [ep('tc', 'n1', 5101, '10.78.1.4/24')]);
  dp1.replacePeers(new Map([['c', { networkId: 'n1', ip: '10.78.1.4', vtep: '192.168.78.2' }]]), new Set());
  dp2.replacePeers(new Map([['a', { networkId: 'n1', ip: '10.78.1.2', vtep: '192.168.78.1' }]]), new Set());
  await Promise.all([dp1.sync(), dp2.sync()]);
  const [ta, tc] = [dp1.taskNamespace('ta'), dp2.taskNamespace('tc')];
  await Promise.all([scope.echo(ta, PORT), scope.echo(tc, PORT), scope.echo(h2, PORT)]);
  assert.equal(await reaches(ta, 'tcp', '10.78.1.4', PORT), true, 'host 1 -> host 2 over VXLAN');
  assert.equal(await reaches(ta, 'tcp', '192.168.78.2', PORT), true, 'egress to the underlay (sandbox and host MASQUERADE)');

  const sb1 = sandboxNs(tag1, 5101);
  assert.doesNotMatch(await sh('ip', ['netns', 'exec', h1, 'nft', 'list', 'tables']), /table ip shoal/, 'no nft table of ours on the host');
  assert.deepEqual(ownedLines(await save(h1)), canonicalLines(HOST_CHAINS), 'the host holds exactly our chains');
  assert.match(await save(sb1), /-A SHOAL-POSTROUTING -o gw -j MASQUERADE/, 'the sandbox masquerades out of gw');
  assert.equal((await dp1.sync()).steps, 0, 'read back in the spelling written: a second reconcile plans nothing');

  // Nothing may open a connection into the network through the host, even with a route there.
  await sh('ip', ['-n', h1, 'route', 'add', '10.78.1.0/24', 'via', hostPart(egressAddrs(5101).sandbox)]);
  assert.equal(await reaches(h1, 'tcp', '10.78.1.2', PORT, 1_000), false, 'no new connection in through gw');
  const drops = /^\s*(\d+)\s+\d+\s+DROP\s+.*gw/m.exec(await sh('ip', ['netns', 'exec', sb1, 'iptables', '-v', '-n', '-x', '-L', 'SHOAL-FORWARD']));
  assert.ok(drops && Number(drops[1]) > 0, 'and it is the sandbox rule that dropped it');

  // Drift, both ways: the nat jump deleted, a rule and a chain of ours added by hand.
  await sh('ip', ['netns', 'exec', h1, 'iptables', '-t', 'nat', '-D', 'POSTROUTING', '-j', 'SHOAL-POSTROUTING']);
  await sh('ip', ['netns', 'exec', h1, 'iptables', '-A', 'SHOAL-FORWARD', '-j', 'ACCEPT']);
  await sh('ip', ['netns', 'exec', h1, 'iptables', '-N', 'SHOAL-STALE']);
  assert.ok((await dp1.sync()).steps > 0, 'the drift was found');
  assert.deepEqual(ownedLines(await save(h1)), canonicalLines(HOST_CHAINS), 'repaired to exactly our chains');
  assert.equal(await reaches(ta, 'tcp', '192.168.78.2', PORT), true, 'egress works again');

  dp1.detach('ta');
  await dp1.sync();
  assert.deepEqual(await namespacesWith(tag1), [], 'no namespace left on host 1');
  const left = await save(h1);
  assert.deepEqual(ownedLines(left), [], 'no chain or jump of ours left');
  assert.ok(left.includes(FOREIGN), "another program's rule is untouched");
});
