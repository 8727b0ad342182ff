// The pure half of the data plane: the desired state from endpoints and peer tables, and the
// diff against what exists. Proves only-where-used (a sandbox exactly for networks with a local
// endpoint), peer filtering (own VTEP, own addresses), Docker's MAC derivation, egress choices,
// that an up-to-date state plans nothing, and that each drift (missing endpoint, stale peer,
// broken sandbox, leftover namespace, wrong port) plans exactly its repair, removals first.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { desiredState } from '../../src/network/dataplane/desired.js';
import { planChanges } from '../../src/network/dataplane/diff.js';
import type { ActualState, DesiredInput, DesiredState, LinkActual, SandboxActual } from '../../src/network/dataplane/model.js';
import { bridgeMac, egressAddrs, macOf, sandboxIfName } from '../../src/network/dataplane/names.js';

const TAG = 'shoal-abcdefgh-';

function input(over: Partial<DesiredInput> = {}): DesiredInput {
  return {
    tag: TAG,
    port: 4789,
    mtu: 1450,
    localVtep: '192.168.1.1',
    endpoints: [
      { ownerId: 't1', networkId: 'front', vni: 4096, address: '10.0.0.2/24', gateway: '10.0.0.1', index: 0 },
      { ownerId: 't1', networkId: 'back', vni: 4097, address: '10.0.1.2/24', gateway: '10.0.1.1', index: 1 },
      { ownerId: 't2', networkId: 'front', vni: 4096, address: '10.0.0.3/24', gateway: '10.0.0.1', index: 0 },
    ],
    peers: [
      { networkId: 'front', ip: '10.0.0.9', vtep: '192.168.1.2' },
      { networkId: 'front', ip: '10.0.0.3', vtep: '192.168.1.3' }, // a local address (moving): skipped
      { networkId: 'front', ip: '10.0.0.8', vtep: '192.168.1.1' }, // our own VTEP: skipped
      { networkId: 'other', ip: '10.0.9.9', vtep: '192.168.1.2' }, // a network with no local endpoint
    ],
    internal: new Set(['back']),
    ...over,
  };
}

function link(name: string, kind: string, extra: Partial<LinkActual> = {}): [string, LinkActual] {
  return [name, { name, kind, master: null, up: true, ...extra }];
}

/** What a perfectly reconciled node looks like, read back. */
function actualOf(d: DesiredState): ActualState {
  const sandboxes = new Map<string, SandboxActual>();
  for (const [ns, s] of d.sandboxes) {
    const links = new Map<string, LinkActual>([link('lo', ''), link('br0', 'bridge'), link('vxlan0', 'vxlan', { master: 'br0', vni: s.vni, port: d.port })]);
    if (s.egress) links.set(...link('gw', 'veth'));
    for (const ep of d.endpoints.values()) if (ep.sandboxNs === ns) links.set(...link(ep.sandboxIf, 'veth', { master: 'br0' }));
    sandboxes.set(ns, { links, br0Addrs: [s.gatewayCidr], neigh: new Map(s.neigh), fdb: new Map(s.fdb) });
  }
  return { namespaces: new Set([...d.sandboxes.keys(), ...d.taskNamespaces]), sandboxes, hostFirewall: d.hostEgress ? ["table ip shoal"] : [] };
}

test('desired state: a sandbox per network with a local endpoint, remote peers only, eth order, egress', () => {
  const d = desiredState(input());
  assert.deepEqual([...d.sandboxes.keys()].sort(), [`${TAG}sb-4096`, `${TAG}sb-4097`]);
  const front = d.sandboxes.get(`${TAG}sb-4096`)!;
  assert.deepEqual([...front.neigh], [['10.0.0.9', '02:42:0a:00:00:09']]);
  assert.deepEqual([...front.fdb], [['02:42:0a:00:00:09', '192.168.1.2']]);
  assert.equal(front.gatewayCidr, '10.0.0.1/24');
  assert.deepEqual(front.egress, { hostIf: 'sgw4096', hostAddr: egressAddrs(4096).host, sandboxAddr: egressAddrs(4096).sandbox });
  assert.equal(d.sandboxes.get(`${TAG}sb-4097`)!.egress, null, 'an internal network has no way out');
  assert.deepEqual([...d.taskNamespaces].sort(), [`${TAG}t-t1`, `${TAG}t-t2`]);
  const t1 = [...d.endpoints.values()].filter((e) => e.ownerId === 't1').sort((a, b) => a.ifName.localeCompare(b.ifName));
  assert.deepEqual(t1.map((e) => [e.ifName, e.address, e.defaultVia]), [['eth0', '10.0.0.2/24', '10.0.0.1'], ['eth1', '10.0.1.2/24', null]]);
  assert.equal(t1[0]!.mac, '02:42:0a:00:00:02');
  assert.equal(d.hostEgress, true);
  assert.equal(desiredState(input({ endpoints: [] })).sandboxes.size, 0, 'no endpoint, no sandbox (peers alone create nothing)');
});

test('names: MAC as Docker derives it; egress /31s distinct per VXLAN ID', () => {
  assert.equal(macOf('10.255.0.1'), '02:42:0a:ff:00:01');
  assert.throws(() => macOf('10.0.0'), /not an IPv4 address/);
  assert.deepEqual(egressAddrs(4096), { host: '169.254.128.0/31', sandbox: '169.254.128.1/31' });
  assert.deepEqual(egressAddrs(4097), { host: '169.254.128.2/31', sandbox: '169.254.128.3/31' });
  assert.notEqual(sandboxIfName('t1', 'front'), sandboxIfName('t1', 'back'));
  assert.ok(sandboxIfName('t1', 'front').length <= 15, 'interface names fit IFNAMSIZ');
});

test('diff: nothing to do when actual equals desired; everything from scratch otherwise', () => {
  const d = desiredState(input());
  assert.deepEqual(planChanges(d, actualOf(d)), []);
  const empty: ActualState = { namespaces: new Set(), sandboxes: new Map(), hostFirewall: [] };
  const steps = planChanges(d, empty);
  const text = steps.flatMap((s) => s.lines.map((l) => `${s.tool}@${s.ns ?? 'host'}: ${l}`));
  assert.ok(text.includes(`netns@host: add ${TAG}sb-4096`));
  assert.ok(text.some((l) => l.startsWith('ip@host: link add svx4096 mtu 1450 type vxlan id 4096 dstport 4789 proxy nolearning')));
  assert.ok(text.includes(`ip@${TAG}sb-4096: neigh replace 10.0.0.9 lladdr 02:42:0a:00:00:09 dev vxlan0 nud permanent`));
  assert.ok(text.includes(`bridge@${TAG}sb-4096: fdb replace 02:42:0a:00:00:09 dev vxlan0 dst 192.168.1.2 self permanent`));
  assert.ok(text.some((l) => l.startsWith(`ip@${TAG}sb-4096: link add ${sandboxIfName('t1', 'front')} mtu 1450 type veth peer name eth0`)));
  assert.ok(steps.some((s) => s.tool === 'nft' && s.ns === null), 'the host table is created');
  assert.ok(!text.some((l) => l.includes(`${TAG}sb-4097`) && l.includes('gw')), 'no egress link for the internal network');
});

test('diff: each drift plans its repair, removals before creations', () => {
  const d = desiredState(input());
  const a = actualOf(d);
  const front = a.sandboxes.get(`${TAG}sb-4096`)!;
  // A peer that left, a changed VTEP, a missing endpoint, and a leftover task namespace.
  const neigh = new Map(front.neigh).set('10.0.0.50', '02:42:0a:00:00:32');
  const fdb = new Map(front.fdb).set('02:42:0a:00:00:09', '192.168.1.99').set('02:42:0a:00:00:32', '192.168.1.5');
  const links = new Map(front.links);
  links.delete(sandboxIfName('t2', 'front'));
  links.set(...link('ve0123456789', 'veth', { master: 'br0' }));
  const sandboxes = new Map(a.sandboxes).set(`${TAG}sb-4096`, { ...front, neigh, fdb, links });
  const drifted: ActualState = { ...a, sandboxes, namespaces: new Set([...a.namespaces, `${TAG}t-gone`]) };
  const steps = planChanges(d, drifted);
  const text = steps.map((s) => `${s.tool}@${s.ns ?? 'host'}: ${s.lines.join('; ')}`);
  const first = (re: RegExp): number => text.findIndex((t) => re.test(t));
  assert.ok(first(/link del ve0123456789/) >= 0, 'the stale endpoint goes');
  assert.ok(first(/netns@host: del shoal-abcdefgh-t-gone/) >= 0, 'the leftover namespace goes');
  assert.ok(first(/neigh del 10\.0\.0\.50 dev vxlan0/) >= 0 && first(/fdb del 02:42:0a:00:00:32 dev vxlan0 self/) >= 0, 'the departed peer goes');
  assert.ok(first(/fdb replace 02:42:0a:00:00:09 dev vxlan0 dst 192\.168\.1\.2/) >= 0, 'the moved peer is repointed');
  assert.ok(first(/peer name eth0 mtu 1450 address 02:42:0a:00:00:03 netns shoal-abcdefgh-t-t2/) >= 0, 'the missing endpoint is made');
  assert.ok(first(/netns@host: del/) < first(/peer name eth0/), 'removals come first');
  assert.ok(!text.some((t) => t.includes(`del ${TAG}sb-4096`)), 'a healthy sandbox is kept');
});

test('diff: a broken sandbox (or one on the wrong port) is rebuilt whole, vxlan0 removed first', () => {
  const d = desiredState(input());
  for (const breakIt of [
    (s: SandboxActual): SandboxActual => ({ ...s, links: new Map([...s.links].filter(([n]) => n !== 'vxlan0')) }),
    (s: SandboxActual): SandboxActual => ({ ...s, br0Addrs: [] }),
    (s: SandboxActual): SandboxActual => ({ ...s, links: new Map(s.links).set(...link('vxlan0', 'vxlan', { master: 'br0', vni: 4096, port: 8472 })) }),
  ]) {
    const a = actualOf(d);
    const broken = new Map(a.sandboxes).set(`${TAG}sb-4096`, breakIt(a.sandboxes.get(`${TAG}sb-4096`)!));
    const text = planChanges(d, { ...a, sandboxes: broken }).map((s) => `${s.tool}@${s.ns ?? 'host'}: ${s.lines.join('; ')}`);
    const delVx = text.findIndex((t) => t === `ip@${TAG}sb-4096: link del vxlan0`);
    const delNs = text.findIndex((t) => t === `netns@host: del ${TAG}sb-4096`);
    const add = text.findIndex((t) => t === `netns@host: add ${TAG}sb-4096`);
    assert.ok(delVx >= 0 && delVx < delNs && delNs < add, `rebuilt in order: ${text.join(' | ')}`);
    const remade = text.filter((t) => t.startsWith(`ip@${TAG}sb-4096`)).join('; ').split('type veth peer name eth0').length - 1;
    assert.equal(remade, 2, 'both endpoints are remade (in one batch)');
    assert.ok(!text.some((t) => t.includes(`del ${TAG}sb-4097`)), 'the other sandbox is untouched');
  }
});

test('diff: with no endpoint left everything goes, including the host table', () => {
  const d = desiredState(input());
  const a = actualOf(d);
  const none = desiredState(input({ endpoints: [] }));
  const text = planChanges(none, a).map((s) => `${s.tool}@${s.ns ?? 'host'}: ${s.lines.join('; ')}`);
  for (const ns of a.namespaces) assert.ok(text.includes(`netns@host: del ${ns}`), `removes ${ns}`);
  assert.ok(text.includes('nft@host: delete table ip shoal'));
});

// --internal and --opt mtu arrive with each endpoint's attachment: an internal network's sandbox
// gets no egress link and its tasks no default route (so nothing past the network is reachable);
// a network's MTU goes on vxlan0, br0 and both veth ends, others keep the node default; a
// sandbox found with another MTU is rebuilt.
test('internal and mtu from the attachments: no egress for internal, the MTU on every link of that network', () => {
  const d = desiredState(
    input({
      internal: new Set(),
      endpoints: [
        { ownerId: 't1', networkId: 'front', vni: 4096, address: '10.0.0.2/24', gateway: '10.0.0.1', index: 0, internal: true, mtu: 1400 },
        { ownerId: 't2', networkId: 'back', vni: 4097, address: '10.0.1.2/24', gateway: '10.0.1.1', index: 0 },
      ],
    }),
  );
  const front = d.sandboxes.get(`${TAG}sb-4096`)!;
  const back = d.sandboxes.get(`${TAG}sb-4097`)!;
  assert.equal(front.egress, null, 'an internal network has no egress link');
  assert.notEqual(back.egress, null, 'a normal one has');
  assert.equal(front.mtu, 1400);
  assert.equal(back.mtu, 1450, 'no option: the node default');
  const eps = [...d.endpoints.values()];
  assert.equal(eps.find((e) => e.ownerId === 't1')!.defaultVia, null, 'no default route out of an internal network');
  assert.equal(eps.find((e) => e.ownerId === 't2')!.defaultVia, '10.0.1.1');
  const lines = planChanges(d, { namespaces: new Set(), sandboxes: new Map(), hostFirewall: [] }).flatMap((s) => s.lines);
  assert.ok(lines.includes('link add svx4096 mtu 1400 type vxlan id 4096 dstport 4789 proxy nolearning'), 'vxlan0 with the option');
  assert.ok(lines.includes(`link add br0 mtu 1400 address ${front.bridgeMac} type bridge`));
  assert.ok(lines.some((l) => l.startsWith(`link add ${sandboxIfName('t1', 'front')} mtu 1400 type veth peer name eth0 mtu 1400 `)), 'both veth ends');
  assert.ok(lines.includes('link add svx4097 mtu 1450 type vxlan id 4097 dstport 4789 proxy nolearning'));
  assert.ok(!lines.some((l) => l.includes('sgw4096')), 'no egress link for the internal network');

  const have = actualOf(d);
  assert.deepEqual(planChanges(d, have), [], 'reconciled: nothing to do');
  const sb = have.sandboxes.get(`${TAG}sb-4096`)!;
  const links = new Map(sb.links);
  links.set('vxlan0', { ...links.get('vxlan0')!, mtu: 1450 });
  const drifted = planChanges(d, { ...have, sandboxes: new Map([...have.sandboxes, [`${TAG}sb-4096`, { ...sb, links }]]) });
  assert.ok(drifted.some((s) => s.lines.includes(`del ${TAG}sb-4096`)), 'a sandbox with another MTU is rebuilt');
});

// An image task's namespace is the container's (named by its executor with `ip netns attach`):
// the plan never creates it; until it exists that task's endpoints wait (others are built), once it
// exists they are built into it, and when the task goes its name is removed like any task namespace.
test('external task namespaces: never created, filled once they exist, removed when the task goes', () => {
  const img = { ownerId: 'img1', networkId: 'front', vni: 4096, address: '10.0.0.4/24', gateway: '10.0.0.1', index: 0, externalNs: true };
  const d = desiredState(input({ endpoints: [...input().endpoints, img] }));
  const imgNs = `${TAG}t-img1`;
  assert.ok(d.taskNamespaces.has(imgNs) && d.externalNamespaces?.has(imgNs));
  const imgIf = sandboxIfName('img1', 'front');
  const lines = (steps: ReturnType<typeof planChanges>): string[] => steps.flatMap((s) => s.lines.map((l) => `${s.tool}:${s.ns ?? '-'}:${l}`));

  const before = lines(planChanges(d, { namespaces: new Set(), sandboxes: new Map(), hostFirewall: [] }));
  assert.ok(!before.some((l) => l.includes(`add ${imgNs}`)), 'the container namespace is not created');
  assert.ok(!before.some((l) => l.includes(imgIf) || l.includes(`:${imgNs}:`)), 'its endpoint waits for it');
  assert.ok(before.some((l) => l === `netns:-:add ${TAG}t-t1`), 'other task namespaces are made');

  const full = actualOf(d);
  const sandbox = full.sandboxes.get(`${TAG}sb-4096`)!;
  const withoutImgIf = new Map([...sandbox.links].filter(([n]) => n !== imgIf));
  const present = { ...full, sandboxes: new Map([...full.sandboxes, [`${TAG}sb-4096`, { ...sandbox, links: withoutImgIf }]]) };
  const after = lines(planChanges(d, present));
  assert.ok(!after.some((l) => l.startsWith('netns:')), JSON.stringify(after));
  assert.ok(after.includes(`ip:${TAG}sb-4096:link add ${imgIf} mtu 1450 type veth peer name eth0 mtu 1450 address ${macOf('10.0.0.4')} netns ${imgNs}`), JSON.stringify(after));
  assert.ok(after.includes(`ip:${imgNs}:addr add 10.0.0.4/24 dev eth0`) && after.includes(`ip:${imgNs}:route replace default via 10.0.0.1 dev eth0`), JSON.stringify(after));

  const gone = lines(planChanges(desiredState(input()), full));
  assert.ok(gone.includes(`netns:-:del ${imgNs}`), JSON.stringify(gone));
});

// The gateway lives on br0. A bridge without a MAC of its own takes its ports' lowest, so an
// endpoint coming or going (the adopt move) changed the gateway's MAC under every endpoint's
// neighbour entry, and DNS to the node's resolver was lost for 5-30 s (issue #14's outliers).
// So br0 is made with a fixed MAC (stable per node and network, apart from the endpoints' 02:42
// range), and a bridge found with another MAC (made before this) gets it set in place, not rebuilt.
test('br0 has a fixed MAC: set at creation, repaired in place', () => {
  const d = desiredState(input());
  const front = d.sandboxes.get(`${TAG}sb-4096`)!;
  assert.equal(front.bridgeMac, bridgeMac(`${TAG}sb-4096`));
  assert.match(front.bridgeMac, /^06(:[0-9a-f]{2}){5}$/, 'locally administered unicast, outside 02:42:…');
  assert.notEqual(front.bridgeMac, d.sandboxes.get(`${TAG}sb-4097`)!.bridgeMac, 'one per network');
  assert.notEqual(front.bridgeMac, bridgeMac(`shoal-otherhst-sb-4096`), 'one per node (the tag)');
  const lines = planChanges(d, { namespaces: new Set(), sandboxes: new Map(), hostFirewall: [] }).flatMap((s) => s.lines);
  assert.ok(lines.includes(`link add br0 mtu 1450 address ${front.bridgeMac} type bridge`), JSON.stringify(lines));

  const have = actualOf(d);
  const withMac = (mac: string): ActualState => {
    const sandboxes = new Map(have.sandboxes);
    for (const [ns, sb] of have.sandboxes) {
      const links = new Map(sb.links);
      links.set('br0', { ...links.get('br0')!, mac: ns === `${TAG}sb-4096` ? mac : d.sandboxes.get(ns)!.bridgeMac });
      sandboxes.set(ns, { ...sb, links });
    }
    return { ...have, sandboxes };
  };
  assert.deepEqual(planChanges(d, withMac(front.bridgeMac)), [], 'the right MAC: nothing to do');
  const steps = planChanges(d, withMac('7e:d2:fa:54:9c:00'));
  assert.deepEqual(steps.map((s) => [s.ns, s.lines]), [[`${TAG}sb-4096`, [`link set br0 address ${front.bridgeMac}`]]], 'a port\'s MAC: set in place, nothing rebuilt');
});
