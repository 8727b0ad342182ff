// The data plane end to end, as root: three test hosts (network namespaces on an underlay of
// the test's own), one Shoal daemon in each, real CLI. Proves that service tasks and a
// standalone container on another host reach each other by address (TCP both ways and UDP,
// across hosts over VXLAN and on one host); that networks are isolated and egress goes through
// the host; that a host holds a network's sandbox only while it has an endpoint there; that a
// killed host daemon leaves its tasks reachable and `start` adopts them, names included (within the 15 s
// session-loss grace set here, after which the node counts as down and its tasks move); that a sandbox deleted
// by hand is rebuilt; that peer tables follow scaling and a reschedule after kill -9 with no
// entry left pointing at the dead host; and that after `service rm` and `leave` nothing Shoal
// made is left; and that names resolve and VIPs balance from a container (service discovery).
// Also: an --internal network has no egress and its --opt mtu is on the task interface; names of
// another network are not answered, other names are forwarded from inside a namespace (and fail
// fast once the upstream is gone); a killed task and a scale-down leave the VIP answering; a
// daemon killed while a task is removed and a service deleted keeps nothing stale after `start`.
// Host 3 runs its firewall rules with iptables (SHOAL_DATA_PLANE_FIREWALL=iptables, as on a node
// without `nft`); hosts 1 and 2 with nftables: a mixed cluster works, and each cleans up its own.
// Skips where not root or iproute2/nftables are missing; the movement and restart
// tests run with SHOAL_TEST_DATAPLANE_FULL=1 (see `full`).
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { ECHO_SERVER, missingCapability, namespacesWith, NsScope, probeMany, sh } from './netns.js';
import { TestHosts, type Host } from './hosts.js';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { spawn, type ChildProcess } from 'node:child_process';
import { sandboxNs } from '../../src/network/dataplane/names.js';
import { Api } from '../../bin/client.js';
import { getNetwork } from '../../bin/commands/network-api.js';
import { readModifyWrite } from '../../bin/commands/service.js';
import { ServiceApi } from '../../bin/service-api.js';

const skip = await missingCapability();
/**
 * Movement and restart (scaling, kill -9 with restart, kill -9 with reschedule) wait out
 * reconvergence and heartbeat grace periods: minutes on a loaded machine, so they run when
 * SHOAL_TEST_DATAPLANE_FULL=1 (CI's fault job, and before a release); `npm test` keeps the rest.
 */
const full = process.env['SHOAL_TEST_DATAPLANE_FULL'] === '1' ? false : 'set SHOAL_TEST_DATAPLANE_FULL=1 to run the data-plane movement and restart tests (a few minutes)';
const PORT = 7000;
const env = new TestHosts('dpc');
let h1: Host;
let h2: Host;
let h3: Host;
const outside = new NsScope('dpcx');

interface Endpoint {
  owner: string;
  ownerName: string;
  node: string;
  address: string;
  kind: string;
}

/** The manager's API through its unix socket, in this process: polling through the CLI would start a Node process per look. */
let api: Api | null = null;

async function endpoints(network: string): Promise<Endpoint[]> {
  api ??= new Api(`unix://${join(h1.dataDir, 'shoal.sock')}`);
  const r = await getNetwork(api, network);
  // A service's VIP is an endpoint of the network too, held by no node: not a namespace to probe.
  return r.endpoints.filter((e) => e.kind !== 'ENDPOINT_KIND_VIP').map((e) => ({ owner: e.ownerId, ownerName: e.ownerName, node: e.nodeId, address: e.address, kind: e.kind }));
}

function hostOfNode(nodeId: string): Host {
  const h = env.hosts.find((x) => env.nodeId(x) === nodeId);
  if (!h) throw new Error(`no test host runs node ${nodeId}`);
  return h;
}

function taskNsOf(e: Endpoint): string {
  return `${env.tag(hostOfNode(e.node))}t-${e.owner}`;
}

const ip = (cidr: string): string => cidr.split('/')[0]!;

async function until<T>(what: string, fn: () => Promise<T | null | false>, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown = null;
  while (Date.now() < deadline) {
    try {
      const v = await fn();
      if (v !== null && v !== false) return v;
    } catch (e) {
      last = e;
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`timed out waiting for ${what}${last instanceof Error ? `: ${last.message}` : ''}`);
}

/** Running endpoints of a network whose task processes listen (every one of `count`). */
async function runningEndpoints(network: string, count: number): Promise<Endpoint[]> {
  return until(`${count} endpoints on ${network} answering`, async () => {
    const eps = await endpoints(network);
    if (eps.length !== count) return null;
    // bash's /dev/tcp: a fresh Node process per check costs seconds on a loaded machine.
    const up = await Promise.all(eps.map((e) => sh('ip', ['netns', 'exec', taskNsOf(e), 'bash', '-c', `exec 3<>/dev/tcp/127.0.0.1/${PORT}`]).then(() => true, () => false)));
    return up.every((x) => x) ? eps : null;
  });
}

/** Every endpoint reaches every other one (TCP, and UDP), from inside its namespace. */
async function assertAllPairs(eps: readonly Endpoint[], protos: readonly ('tcp' | 'udp')[]): Promise<void> {
  const failures: string[] = [];
  await Promise.all(
    eps.map(async (src) => {
      const targets = eps.filter((d) => d !== src).flatMap((d) => protos.map((p) => `${p}:${ip(d.address)}:${PORT}`));
      const r = await probeMany(taskNsOf(src), targets, 4_000);
      for (const t of targets) if (r[t] !== true) failures.push(`${ip(src.address)} (${hostOfNode(src.node).name}) -> ${t}`);
    }),
  );
  assert.deepEqual(failures, [], 'every pair reaches each other');
}

/** The FDB of every host's sandbox for `vni` names exactly the endpoints on other hosts, at their host. */
async function peerTablesMatch(vni: number, eps: readonly Endpoint[]): Promise<boolean> {
  for (const h of env.hosts) {
    const mine = eps.filter((e) => hostOfNode(e.node) === h);
    if (mine.length === 0) continue;
    const fdb = JSON.parse(await sh('bridge', ['-n', sandboxNs(env.tag(h), vni), '-j', 'fdb', 'show', 'dev', 'vxlan0'])) as { mac: string; dst?: string }[];
    const have = fdb.filter((f) => f.dst && f.mac !== '00:00:00:00:00:00').map((f) => `${f.mac}>${f.dst}`).sort();
    const want = eps
      .filter((e) => hostOfNode(e.node) !== h)
      .map((e) => `02:42:${ip(e.address).split('.').map((b) => Number(b).toString(16).padStart(2, '0')).join(':')}>${hostOfNode(e.node).addr}`)
      .sort();
    if (JSON.stringify(have) !== JSON.stringify(want)) return false;
  }
  return true;
}

async function vniOf(network: string): Promise<number> {
  api ??= new Api(`unix://${join(h1.dataDir, 'shoal.sock')}`);
  return (await getNetwork(api, network)).network!.vxlanId;
}

before(async () => {
  if (skip) return;
  [h1, h2, h3] = (await env.create(3)) as [Host, Host, Host];
  env.setEnv(h3, { SHOAL_DATA_PLANE_FIREWALL: 'iptables' });
  // A killed daemon's broken session marks its node down after the session-loss grace: 15 s here,
  // so the restart test's `start` comes back in time to adopt its tasks.
  await env.ok(h1, 'init', '--listen-addr', `${h1.addr}:4242`, '--hostname', 'host1', '--dispatcher-heartbeat', '5s', '--dispatcher-session-grace', '15s');
  const token = (await env.ok(h1, 'join-token', 'worker', '-q')).trim();
  await Promise.all([h2, h3].map((h) => env.ok(h, 'join', '--token', token, '--listen-addr', `${h.addr}:4242`, '--hostname', h.name, `${h1.addr}:4242`)));
});

after(async () => {
  api?.close();
  if (skip) return;
  await env.teardown();
  await outside.cleanup();
});

test('init and join say the data plane is on; info shows it', { skip: skip ?? false }, async () => {
  const info = await env.ok(h2, 'info');
  assert.match(info, /Data plane: +on \(data path 192\.168\.90\.2, UDP 4789, MTU 1450, firewall nftables\)/);
  assert.match(await env.ok(h3, 'info'), /Data plane: +on \(data path 192\.168\.90\.3, UDP 4789, MTU 1450, firewall iptables\)/);
});

test('service tasks and a standalone container reach each other; isolation; egress; only where used', { skip: skip ?? false }, async () => {
  await env.ok(h1, 'network', 'create', '--attachable', 'front');
  await env.ok(h1, 'network', 'create', '--attachable', 'back');
  await env.ok(h1, 'service', 'create', '--name', 'web', '--replicas', '4', '--constraint', 'node.hostname!=host3', '--network', 'front', '--', process.execPath, ECHO_SERVER, String(PORT));
  const web = await runningEndpoints('front', 4);
  assert.deepEqual(await env.namespacesOf(h3), [], 'host 3 holds nothing for front before its first endpoint');
  assert.doesNotMatch(await sh('ip', ['-n', h3.ns, '-o', 'link', 'show']), /svx|sgw/, 'and no VXLAN or egress link');

  await env.ok(h3, 'run', '-d', '--name', 'client', '--network', 'front', '--', process.execPath, ECHO_SERVER, String(PORT));
  const all = await runningEndpoints('front', 5);
  const vni = await vniOf('front');
  assert.ok((await env.namespacesOf(h3)).includes(sandboxNs(env.tag(h3), vni)), 'host 3 has the sandbox once it has an endpoint');
  await until('peer tables on every host', () => peerTablesMatch(vni, all));
  await assertAllPairs(all, ['tcp', 'udp']);
  assert.ok(web.some((a) => web.some((b) => a !== b && a.node === b.node)), 'some pair shares a host (same-node path covered)');

  // Isolation and egress.
  await env.ok(h2, 'run', '-d', '--name', 'other', '--network', 'back', '--', process.execPath, ECHO_SERVER, String(PORT));
  const [other] = await runningEndpoints('back', 1);
  const cross = await probeMany(taskNsOf(other!), all.map((e) => `tcp:${ip(e.address)}:${PORT}`), 1_500);
  assert.ok(Object.values(cross).every((v) => v === false), `back must not reach front: ${JSON.stringify(cross)}`);
  await outside.echo(h3.ns, 7999); // a server on the underlay, outside every overlay
  const out = await probeMany(taskNsOf(all[0]!), [`tcp:${h3.addr}:7999`], 3_000);
  assert.equal(out[`tcp:${h3.addr}:7999`], true, 'egress to the underlay through the host');
  // Host 3's egress goes through its iptables chains (sandbox and host MASQUERADE) to another host.
  await outside.echo(h1.ns, 7997);
  const client = all.find((e) => hostOfNode(e.node) === h3)!;
  assert.equal((await probeMany(taskNsOf(client), [`tcp:${h1.addr}:7997`], 3_000))[`tcp:${h1.addr}:7997`], true, 'egress from the iptables host');
  assert.match(await sh('ip', ['netns', 'exec', h3.ns, 'iptables-save']), /-A SHOAL-POSTROUTING -s 169\.254\.128\.0\/17 ! -o sgw\+ -j MASQUERADE/, 'host 3 holds its iptables chains');
  assert.doesNotMatch(await sh('ip', ['netns', 'exec', h3.ns, 'nft', 'list', 'tables']), /table ip shoal/, 'and no nft table of ours');
  await env.ok(h1, 'container', 'stop', 'other');
  await env.ok(h1, 'container', 'rm', 'other');

  await env.ok(h1, 'container', 'stop', 'client');
  await env.ok(h1, 'container', 'rm', 'client');
  await until('host 3 to drop its sandbox with its last endpoint', async () => (await env.namespacesOf(h3)).length === 0);
  await until('host 3 to drop its iptables chains with its last sandbox', async () => !(await sh('ip', ['netns', 'exec', h3.ns, 'iptables-save'])).includes('SHOAL-'));
  await until('peer tables without the container', async () => peerTablesMatch(vni, await endpoints('front')));
});

/** The IPv4 addresses `name` resolves to inside namespace `ns` (glibc, through its resolv.conf); [] on failure. */
async function lookup(ns: string, name: string): Promise<string[]> {
  const out = await sh('ip', ['netns', 'exec', ns, 'getent', 'ahostsv4', name]).catch(() => '');
  return [...new Set(out.split('\n').filter((l) => l.trim() !== '').map((l) => l.split(/\s+/)[0]!))].sort();
}

// Service discovery through the node's resolver: the container's namespace gets
// /etc/netns/<ns>/resolv.conf (pointing at the network's gateway, answered inside the sandbox on
// its own host), which `ip netns exec` mounts over /etc/resolv.conf; its VIP rules balance.
test('names: from a container, web resolves to its VIP and TCP through it reaches every replica on the other hosts; tasks.web and a container name resolve', { skip: skip ?? false }, async () => {
  const web = await runningEndpoints('front', 4);
  await env.ok(h3, 'run', '-d', '--name', 'dnsclient', '--network', 'front', '--', process.execPath, ECHO_SERVER, String(PORT));
  const all = await runningEndpoints('front', 5);
  const client = all.find((e) => hostOfNode(e.node) === h3)!;
  const cns = taskNsOf(client);
  assert.match(readFileSync(`/etc/netns/${cns}/resolv.conf`, 'utf8'), /options ndots:0/, 'the container has its resolv.conf');
  const taskIps = web.map((e) => ip(e.address)).sort();
  const [vip] = await until('web to resolve to one address from the container', async () => ((await lookup(cns, 'web')).length === 1 ? lookup(cns, 'web') : null));
  assert.ok(vip && !all.some((e) => ip(e.address) === vip), `web resolves to a VIP, not a task address (${vip})`);
  await until('tasks.web to list the task addresses', async () => JSON.stringify(await lookup(cns, 'tasks.web')) === JSON.stringify(taskIps));
  const remote = web.find((e) => hostOfNode(e.node) === h1)!;
  await until('the container name to resolve from a task on another host', async () => JSON.stringify(await lookup(taskNsOf(remote), 'dnsclient')) === JSON.stringify([ip(client.address)]));

  // 30 connections through the VIP; the client namespace's conntrack says which replica each reached.
  await until('the VIP to answer', async () => (await probeMany(cns, [`tcp:${vip}:${PORT}`], 2_000))[`tcp:${vip}:${PORT}`] === true);
  await Promise.all(Array.from({ length: 6 }, () => probeMany(cns, Array.from({ length: 5 }, () => `tcp:${vip}:${PORT}`), 4_000)));
  const flows = (await sh('ip', ['netns', 'exec', cns, 'cat', '/proc/net/nf_conntrack']))
    .split('\n')
    .filter((l) => l.includes(` dst=${vip} `) && l.includes(` dport=${PORT} `) && l.includes('[ASSURED]'));
  const reached = new Map<string, number>();
  for (const l of flows) {
    const replySrc = [...l.matchAll(/ src=(\S+)/g)][1]?.[1] ?? '?';
    reached.set(replySrc, (reached.get(replySrc) ?? 0) + 1);
  }
  assert.ok(flows.length >= 31, `every connection through the VIP was answered (${flows.length} of 31)`);
  assert.deepEqual([...reached.keys()].sort(), taskIps, `connections spread over every replica: ${JSON.stringify([...reached])}`);

  await env.ok(h1, 'container', 'stop', 'dnsclient');
  await env.ok(h1, 'container', 'rm', 'dnsclient');
  await until('host 3 to drop the container namespace and its files', async () => (await env.namespacesOf(h3)).length === 0 && !existsSync(`/etc/netns/${cns}`));
});

test('kill -9 of a host daemon: tasks stay reachable, start adopts them; a deleted sandbox is rebuilt', { skip: skip ?? full }, async () => {
  const eps = await runningEndpoints('front', 4);
  const vni = await vniOf('front');
  process.kill(env.daemonPid(h2), 'SIGKILL');
  await assertAllPairs(eps, ['tcp']);
  await env.ok(h2, 'start');
  await assertAllPairs(eps, ['tcp']);
  assert.deepEqual((await endpoints('front')).map((e) => e.owner).sort(), eps.map((e) => e.owner).sort(), 'the same tasks, adopted (not replaced)');
  const onH2 = eps.find((e) => hostOfNode(e.node) === h2)!;
  const taskIps = eps.map((e) => ip(e.address)).sort();
  await until('names to resolve again in an adopted task (listener rebound in its adopted sandbox)', async () => JSON.stringify(await lookup(taskNsOf(onH2), 'tasks.web')) === JSON.stringify(taskIps));
  const sb = sandboxNs(env.tag(h2), vni);
  await sh('ip', ['-n', sb, 'link', 'del', 'vxlan0']);
  await sh('ip', ['netns', 'del', sb]);
  await until('the sandbox deleted by hand to be rebuilt', async () => (await env.namespacesOf(h2)).includes(sb));
  await until('all pairs reachable again', async () => {
    await assertAllPairs(eps, ['tcp']);
    return true;
  });
  await until('names to resolve again through the rebuilt sandbox', async () => JSON.stringify(await lookup(taskNsOf(onH2), 'tasks.web')) === JSON.stringify(taskIps));
});

test('peer tables follow scaling down and up', { skip: skip ?? full }, async () => {
  const vni = await vniOf('front');
  await env.ok(h1, 'service', 'scale', 'web=2');
  await until('peer tables after scale down', async () => peerTablesMatch(vni, await runningEndpoints('front', 2)));
  await env.ok(h1, 'service', 'scale', 'web=4');
  const up = await runningEndpoints('front', 4);
  await until('peer tables after scale up', async () => peerTablesMatch(vni, up));
});

test('kill -9 of a host daemon: its tasks move, no entry points at the dead host, its orphans go when it returns', { skip: skip ?? full }, async () => {
  const vni = await vniOf('front');
  process.kill(env.daemonPid(h2), 'SIGKILL');
  await until(
    'every task running on host 1',
    async () => (await endpoints('front')).filter((e) => hostOfNode(e.node) === h1).length === 4,
    60_000,
  );
  await until('host 1 with no entry pointing at the dead host', async () => {
    const fdb = await sh('bridge', ['-n', sandboxNs(env.tag(h1), vni), 'fdb', 'show', 'dev', 'vxlan0']);
    return !fdb.includes(h2.addr);
  });
  await assertAllPairs(await runningEndpoints('front', 4), ['tcp']);
  await env.ok(h2, 'start');
  await until('host 2 to stop its orphans and drop their namespaces', async () => (await env.namespacesOf(h2)).length === 0, 30_000);
});

// `network create --internal --opt mtu=1400`: the container's eth0 carries the network's MTU
// (a normal network keeps the node default, underlay − 50), its namespace has no default route,
// and neither its own node nor anything beyond answers it, while a task on a normal network
// reaches the same server on the underlay through the host.
test('an internal network has no egress and its MTU option is on the task interface; a normal network has egress', { skip: skip ?? false }, async () => {
  await env.ok(h1, 'network', 'create', '--attachable', '--internal', '--opt', 'mtu=1400', 'priv');
  const ls = await env.ok(h1, 'network', 'ls');
  assert.match(ls, /priv\s+overlay\s+\S+\s+\S+\s+true\s+true\s/, 'network ls shows it internal');
  await env.ok(h2, 'run', '-d', '--name', 'inpriv', '--network', 'priv', '--', process.execPath, ECHO_SERVER, String(PORT));
  const [priv] = await runningEndpoints('priv', 1);
  const web = await runningEndpoints('front', 4);
  const mtuOf = async (e: Endpoint): Promise<number> => (JSON.parse(await sh('ip', ['-n', taskNsOf(e), '-j', 'link', 'show', 'eth0'])) as { mtu: number }[])[0]!.mtu;
  assert.equal(await mtuOf(priv!), 1400, 'the option on the task interface');
  assert.equal(await mtuOf(web[0]!), 1450, 'the node default elsewhere');
  assert.doesNotMatch(await sh('ip', ['-n', taskNsOf(priv!), 'route', 'show']), /default/, 'no default route out of an internal network');
  await outside.echo(h3.ns, 7998); // on the underlay, another host
  await outside.echo(h2.ns, 7998); // the container's own node
  const blocked = await probeMany(taskNsOf(priv!), [`tcp:${h3.addr}:7998`, `tcp:${h2.addr}:7998`], 1_500);
  assert.deepEqual(blocked, { [`tcp:${h3.addr}:7998`]: false, [`tcp:${h2.addr}:7998`]: false }, 'nothing outside the internal network answers');
  const normal = web.find((e) => hostOfNode(e.node) === h2) ?? web[0]!;
  assert.equal((await probeMany(taskNsOf(normal), [`tcp:${h3.addr}:7998`], 3_000))[`tcp:${h3.addr}:7998`], true, 'a normal network reaches the underlay');
  await env.ok(h1, 'container', 'stop', 'inpriv');
  await env.ok(h1, 'container', 'rm', 'inpriv');
});

/** One host's neighbour and FDB entries on vxlan0 of `vni`, as "neigh IP>MAC" and "fdb MAC>VTEP". */
async function entriesOf(h: Host, vni: number): Promise<Set<string> | null> {
  const sb = sandboxNs(env.tag(h), vni);
  if (!(await env.namespacesOf(h)).includes(sb)) return null;
  const neigh = JSON.parse(await sh('ip', ['-n', sb, '-j', 'neigh', 'show', 'dev', 'vxlan0', 'nud', 'permanent'])) as { dst: string; lladdr?: string }[];
  const fdb = JSON.parse(await sh('bridge', ['-n', sb, '-j', 'fdb', 'show', 'dev', 'vxlan0'])) as { mac: string; dst?: string }[];
  return new Set([
    ...neigh.filter((n) => n.lladdr).map((n) => `neigh ${n.dst}>${n.lladdr}`),
    ...fdb.filter((f) => f.dst && f.mac !== '00:00:00:00:00:00').map((f) => `fdb ${f.mac}>${f.dst}`),
  ]);
}

const macOfIp = (addr: string): string => `02:42:${addr.split('.').map((b) => Number(b).toString(16).padStart(2, '0')).join(':')}`;

/**
 * Where the hosts' tables differ from the manager's endpoint list: "host3 has fdb …" (stale) or
 * "host3 lacks neigh …" (missing), for every host that holds the network's sandbox and has an
 * endpoint there in the list.
 */
async function tableDiffs(network: string, vni: number): Promise<Set<string>> {
  const eps = await endpoints(network);
  const diffs = new Set<string>();
  for (const h of env.hosts) {
    if (!eps.some((e) => hostOfNode(e.node) === h)) continue;
    const have = await entriesOf(h, vni);
    if (!have) continue;
    const want = new Set(
      eps
        .filter((e) => hostOfNode(e.node) !== h)
        .flatMap((e) => [`neigh ${ip(e.address)}>${macOfIp(ip(e.address))}`, `fdb ${macOfIp(ip(e.address))}>${hostOfNode(e.node).addr}`]),
    );
    for (const x of have) if (!want.has(x)) diffs.add(`${h.name} has ${x}`);
    for (const x of want) if (!have.has(x)) diffs.add(`${h.name} lacks ${x}`);
  }
  return diffs;
}

// A rolling update with --update-order start-first: each new task starts (with an address of its
// own) before the task it replaces stops, so for a while a slot has two endpoints, then one goes.
// Sampled throughout (a few times a second), every host's neighbour and FDB entries must follow the
// manager's endpoint list: an entry the list no longer has (an old task's address, or an address
// reused on another host) is gone, and a new endpoint's entry is there, within two heartbeat
// periods (5 s each in this cluster). The goal is one; the measured worst lag is printed. Two
// because on a loaded 2-core machine a host's reconcile that is busy starting a task (a dozen
// processes at tens of ms each) delays the next one, and the sample itself takes a second: one
// period was met at a load average near 28 in one run (3.2 s) and missed by 21 ms in another. At the end the tables match exactly, the old
// tasks' namespaces are gone, and every pair of the new set and a container on host 3 connects.
test('peer tables follow a start-first rolling update within two heartbeats; no stale entry is left', { skip: skip ?? false }, async () => {
  const HEARTBEAT_MS = 5_000;
  const BOUND_MS = 2 * HEARTBEAT_MS;
  const old = await runningEndpoints('front', 4);
  await env.ok(h3, 'run', '-d', '--name', 'rollclient', '--network', 'front', '--', process.execPath, ECHO_SERVER, String(PORT));
  await runningEndpoints('front', 5);
  const vni = await vniOf('front');
  await until('peer tables before the update', async () => (await tableDiffs('front', vni)).size === 0);

  // The sampler: how long each difference between a table and the list lasted.
  const since = new Map<string, number>();
  let worst = { ms: 0, what: '' };
  let sampling = true;
  const note = (what: string, ms: number): void => void (ms > worst.ms && (worst = { ms, what }));
  const sampler = (async () => {
    while (sampling) {
      const at = Date.now();
      const diffs = await tableDiffs('front', vni).catch(() => null);
      const now = Date.now();
      if (diffs) {
        // Both ends at a sample's start: a sample on a loaded machine takes a while, and measuring
        // a difference's end when the sample that no longer shows it finished would add that time.
        for (const d of diffs) if (!since.has(d)) since.set(d, at);
        for (const [d, t] of [...since]) {
          if (diffs.has(d)) note(d, now - t);
          else {
            note(d, at - t);
            since.delete(d);
          }
        }
      }
      await new Promise((r) => setTimeout(r, 150));
    }
  })();
  const started = Date.now();
  try {
    await env.ok(h1, 'service', 'update', '--update-order', 'start-first', '--update-parallelism', '2', '--update-monitor', '0s', '--force', 'web');
    const oldOwners = new Set(old.map((e) => e.owner));
    const fresh = await until(
      'every web task replaced',
      async () => {
        const eps = await endpoints('front');
        return eps.length === 5 && !eps.some((e) => oldOwners.has(e.owner)) ? eps : null;
      },
      120_000,
    );
    const replacedMs = Date.now() - started;
    await until('the tables to match after the update', async () => (await tableDiffs('front', vni)).size === 0, 30_000);
    process.stderr.write(`dataplane: start-first update of 4 tasks done in ${replacedMs} ms; longest table lag ${worst.ms} ms (${worst.what || 'none'}; goal one heartbeat, ${HEARTBEAT_MS} ms)\n`);
    sampling = false;
    await sampler;
    assert.ok(worst.ms <= BOUND_MS, `every table followed within two heartbeats (${BOUND_MS} ms): ${worst.what} lasted ${worst.ms} ms`);
    await until('the old tasks\' namespaces to go', async () => {
      const left = (await namespacesWith('shoal-')).filter((ns) => old.some((e) => ns === taskNsOf(e)));
      return left.length === 0;
    });
    await assertAllPairs(await runningEndpoints('front', 5), ['tcp']);
    assert.ok(fresh.every((e) => !oldOwners.has(e.owner)));
  } finally {
    sampling = false;
    await sampler;
    await env.shoal(h1, 'container', 'stop', 'rollclient');
    await env.shoal(h1, 'container', 'rm', 'rollclient');
  }
});

const DIG = join(dirname(fileURLToPath(import.meta.url)), 'dig.js');
const UPSTREAM = join(dirname(fileURLToPath(import.meta.url)), 'upstream.js');

interface Dig {
  rcode: string;
  addresses: string[];
  ms: number;
}

/** A queries from inside namespace `ns` to the resolver its resolv.conf names (its first network's gateway), one process. */
async function digMany(ns: string, names: readonly string[], timeoutMs = 8_000): Promise<Dig[]> {
  const server = /nameserver (\S+)/.exec(readFileSync(`/etc/netns/${ns}/resolv.conf`, 'utf8'))![1]!;
  const rs = JSON.parse(await sh('ip', ['netns', 'exec', ns, process.execPath, DIG, server, String(timeoutMs), ...names])) as Dig[];
  for (const r of rs) r.addresses.sort();
  return rs;
}

async function dig(ns: string, name: string, timeoutMs = 8_000): Promise<Dig> {
  return (await digMany(ns, [name], timeoutMs))[0]!;
}

/**
 * Waits (at most `boundMs`) until `count` new TCP connections to VIP:PORT from `ns` all get the
 * echo back; fails saying how many did in the last round.
 */
async function allConnectThrough(ns: string, vip: string, count: number, boundMs: number): Promise<number> {
  const started = Date.now();
  let last = 0;
  for (;;) {
    last = await connectsThrough(ns, vip, count);
    if (last === count) return Date.now() - started;
    if (Date.now() - started > boundMs) assert.fail(`only ${last} of ${count} connections through ${vip} succeeded after ${Date.now() - started} ms`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

/** `count` TCP connections to VIP:PORT from `ns`, each a new flow; how many got the echo back. */
async function connectsThrough(ns: string, vip: string, count: number): Promise<number> {
  const rounds = await Promise.all(Array.from({ length: count / 5 }, () => probeMany(ns, Array.from({ length: 5 }, () => `tcp:${vip}:${PORT}`), 4_000)));
  // probeMany keys by target, so 5 identical targets in one process collapse into one answer.
  return rounds.reduce((n, r) => n + (r[`tcp:${vip}:${PORT}`] === true ? 5 : 0), 0);
}

// The rest of the names cases, on the same cluster (issue #12): names of another network are not
// answered for it (the query goes upstream, which knows no such name: NXDOMAIN), a name the
// cluster does not own is forwarded from inside a container's namespace to the node's upstream
// (a resolver on host 1's underlay address that the test runs), a killed task leaves the answers
// and the balancer (every new connection through the VIP succeeds), scaling to 1 keeps the VIP
// answering, and with the upstream stopped a forwarded name fails with SERVFAIL within the
// forwarding budget (3 s), before a client's own timeout (glibc: 5 s).
test('names: other networks, forwarding, a killed task and scale to 1 leave the VIP answering, a dead upstream fails fast', { skip: skip ?? false }, async () => {
  const upstream = spawn('ip', ['netns', 'exec', h1.ns, process.execPath, UPSTREAM, '53', 'ext.example=192.0.2.7'], { stdio: ['ignore', 'pipe', 'inherit'] });
  outside.procs.push(upstream);
  await new Promise<void>((resolve, reject) => {
    upstream.stdout.on('data', (d: Buffer) => d.toString().includes('ready') && resolve());
    upstream.once('exit', (code) => reject(new Error(`the upstream resolver exited (${code})`)));
  });
  await env.ok(h3, 'run', '-d', '--name', 'nclient', '--network', 'front', '--', process.execPath, ECHO_SERVER, String(PORT));
  await env.ok(h2, 'run', '-d', '--name', 'bclient', '--network', 'back', '--', process.execPath, ECHO_SERVER, String(PORT));
  try {
    await namesCases(upstream);
  } finally {
    // Also after a failure: the last test counts what is left.
    for (const name of ['nclient', 'bclient']) {
      await env.shoal(h1, 'container', 'stop', name);
      await env.shoal(h1, 'container', 'rm', name);
    }
    upstream.kill('SIGKILL');
  }
});

async function namesCases(upstream: ChildProcess): Promise<void> {
  const all = await runningEndpoints('front', 5);
  const [b] = await runningEndpoints('back', 1);
  const cns = taskNsOf(all.find((e) => e.ownerName === 'nclient')!);
  const bns = taskNsOf(b!);
  const web = all.filter((e) => e.ownerName !== 'nclient');

  const [vipAnswer, ext] = await until('web to resolve to its VIP from the client', async () => {
    const [r, e] = await digMany(cns, ['web', 'ext.example']);
    return r!.rcode === 'NOERROR' && r!.addresses.length === 1 ? [r!, e!] : null;
  });
  const vip = vipAnswer.addresses[0]!;
  assert.deepEqual([ext.rcode, ext.addresses], ['NOERROR', ['192.0.2.7']], 'an outside name is forwarded from inside the namespace');
  const others = ['web', 'tasks.web', 'nclient'];
  assert.deepEqual((await digMany(bns, others)).map((r) => r.rcode), others.map(() => 'NXDOMAIN'), 'names of another network are not answered for it');

  // A task's process killed: the task leaves the answers and the balancer; the VIP keeps answering.
  // The restart (delay 0) may reuse the slot's address, so the task is followed by its own name.
  const victim = web.find((e) => hostOfNode(e.node) === h1) ?? web[0]!;
  api ??= new Api(`unix://${join(h1.dataDir, 'shoal.sock')}`);
  const control = api.control;
  const task = await new Promise<{ name: string }>((resolve, reject) => control.GetTask({ ref: victim.owner }, (e, r) => (e || !r?.task ? reject(e ?? new Error('no task')) : resolve(r.task))));
  const ownName = `${task.name}.${victim.owner}`;
  assert.deepEqual((await dig(cns, ownName)).addresses, [ip(victim.address)], `the task's own name ${ownName} resolves while it runs`);
  const pids = (await sh('ip', ['netns', 'pids', taskNsOf(victim)])).split('\n').filter((p) => p.trim() !== '');
  assert.ok(pids.length > 0, 'the task has a process in its namespace');
  const killedAt = Date.now();
  for (const pid of pids) process.kill(Number(pid), 'SIGKILL');
  await until('the killed task\'s name to stop resolving', async () => (await dig(cns, ownName)).rcode === 'NXDOMAIN');
  process.stderr.write(`names: a killed task's name stopped resolving after ${Date.now() - killedAt} ms\n`);
  // Bounded, not instant: the balancer's rules are applied just after the names change, and the
  // restarted replica may be reported running a moment before its server listens.
  const afterKill = await allConnectThrough(cns, vip, 20, 12_000);
  process.stderr.write(`names: 20 of 20 connections through the VIP succeeded ${afterKill} ms after\n`);

  // Scale to 1: tasks.web lists one address, web still gives the VIP, and connections succeed.
  const scaledAt = Date.now();
  await env.ok(h1, 'service', 'scale', 'web=1');
  await until('tasks.web to list one task', async () => (await dig(cns, 'tasks.web')).addresses.length === 1);
  process.stderr.write(`names: scale to 1 reached the client's resolver ${Date.now() - scaledAt} ms after the CLI was started (CLI start and a Node process per look included; bench:dns splits them)\n`);
  assert.deepEqual((await dig(cns, 'web')).addresses, [vip], 'the VIP is unchanged');
  // The removed tasks are stopped: a connection sent to one of them would fail.
  const afterScale = await allConnectThrough(cns, vip, 10, 12_000);
  process.stderr.write(`names: 10 of 10 connections through the VIP to the one task left ${afterScale} ms after\n`);

  // The upstream stopped: a forwarded name is SERVFAIL within the forwarding budget, not a client timeout.
  upstream.kill('SIGKILL');
  await new Promise((r) => upstream.once('exit', r));
  const dead = await dig(cns, 'ext.example');
  assert.equal(dead.rcode, 'SERVFAIL', 'a clear failure');
  assert.ok(dead.ms < 4_800, `answered within the forwarding budget (${dead.ms} ms; budget 3 s, glibc gives up at 5 s)`);
}

// kill -9 of host 2's daemon, and while it is down `service rm db` and `service scale web=1`
// (issue #12): names keep resolving for the running tasks on the other hosts throughout (host 2's
// own resolver is in the dead daemon: its endpoints resolve again once `start` rebinds it), and
// after `start` host 2 keeps nothing stale: its container resolves exactly the running web task,
// db resolves no more, the container's VIP rules hold only the running backend and no db VIP, and
// the container's long-lived connection through db's VIP (tracked to db's task, now gone) has
// had its conntrack entry deleted.
test('names: kill -9 of a daemon that misses a removal while down; after start no stale record, VIP backend or flow', { skip: skip ?? false }, async () => {
  // Scaling and removal through the API in this process: a CLI start costs seconds on a loaded machine.
  api ??= new Api(`unix://${join(h1.dataDir, 'shoal.sock')}`);
  const services = new ServiceApi(api);
  // An upstream on host 1's underlay (every daemon's): a name no longer in the cluster, forwarded,
  // gets NXDOMAIN at once rather than SERVFAIL after the 3 s forwarding budget.
  const upstream = spawn('ip', ['netns', 'exec', h1.ns, process.execPath, UPSTREAM, '53'], { stdio: ['ignore', 'pipe', 'inherit'] });
  outside.procs.push(upstream);
  await Promise.all([
    new Promise<void>((resolve, reject) => {
      upstream.stdout.on('data', (d: Buffer) => d.toString().includes('ready') && resolve());
      upstream.once('exit', (code) => reject(new Error(`the upstream resolver exited (${code})`)));
    }),
    readModifyWrite(services, 'web', (spec) => ({ ...spec, replicas: 3 })),
    env.ok(h1, 'service', 'create', '--name', 'db', '--constraint', 'node.hostname==host1', '--network', 'front', '--', process.execPath, ECHO_SERVER, String(PORT)),
    env.ok(h2, 'run', '-d', '--name', 'rclient', '--network', 'front', '--', process.execPath, ECHO_SERVER, String(PORT)),
    env.ok(h3, 'run', '-d', '--name', 'kclient', '--network', 'front', '--', process.execPath, ECHO_SERVER, String(PORT)),
  ]);
  let hold: ChildProcess | null = null;
  try {
    const all = await runningEndpoints('front', 6);
    const rns = taskNsOf(all.find((e) => e.ownerName === 'rclient')!);
    const kns = taskNsOf(all.find((e) => e.ownerName === 'kclient')!);
    const [webVip, dbVip] = await until('web and db to resolve to their VIPs on host 2', async () => {
      const [w, d] = await digMany(rns, ['web', 'db']);
      return w!.addresses.length === 1 && d!.addresses.length === 1 ? [w!.addresses[0]!, d!.addresses[0]!] : null;
    });
    // A long-lived connection from host 2's container through db's VIP (echo: it stays open).
    hold = spawn('ip', ['netns', 'exec', rns, process.execPath, '-e', `const s = require('net').connect(${PORT}, '${dbVip}', () => console.log('open')); s.on('error', () => {}); setInterval(() => {}, 1000);`], { stdio: ['ignore', 'pipe', 'inherit'] });
    outside.procs.push(hold);
    await new Promise<void>((resolve, reject) => {
      hold!.stdout!.once('data', () => resolve());
      hold!.once('exit', (code) => reject(new Error(`the long-lived client exited (${code})`)));
    });
    // Flows through `vip` still translated to a backend: original destination the VIP, reply from
    // another address. An entry for the VIP that was not translated (its reply source is the VIP
    // itself) is what the client's TCP makes when it retransmits after the flush (e.g. its FIN,
    // once db's task answered no more) with no VIP rule left: it goes nowhere and is not stale state.
    const translatedFlows = async (vip: string): Promise<string[]> =>
      (await sh('ip', ['netns', 'exec', rns, 'cat', '/proc/net/nf_conntrack'])).split('\n').filter((l) => {
        const dsts = [...l.matchAll(/\bdst=(\S+)/g)].map((m) => m[1]);
        const srcs = [...l.matchAll(/\bsrc=(\S+)/g)].map((m) => m[1]);
        return dsts[0] === vip && srcs[1] !== undefined && srcs[1] !== vip;
      });
    const flowsTo = async (vip: string): Promise<number> => (await translatedFlows(vip)).length;
    assert.ok((await flowsTo(dbVip)) > 0, 'the connection through db\'s VIP is tracked in the container');

    process.kill(env.daemonPid(h2), 'SIGKILL');
    const killedAt = Date.now();
    await Promise.all([services.removeService({ ref: 'db' }), readModifyWrite(services, 'web', (spec) => ({ ...spec, replicas: 1 }))]);
    // Throughout, on a host whose daemon is up: the running web task resolves, db no more.
    const [remaining] = await until('host 3 to resolve tasks.web to the one running task, and db no more', async () => {
      const [t, d] = await digMany(kns, ['tasks.web', 'db'], 4_000);
      return t!.addresses.length === 1 && d!.rcode === 'NXDOMAIN' ? t!.addresses : null;
    });
    const downFor = Date.now() - killedAt;
    await env.ok(h2, 'start');
    process.stderr.write(`names: host 2's daemon was down ${downFor} ms before start; host 3 resolved the one web task meanwhile\n`);

    const removedWeb = all.filter((e) => e.kind === 'ENDPOINT_KIND_TASK' && !e.ownerName.startsWith('db')).map((e) => ip(e.address)).filter((a) => a !== remaining);
    await until('host 2 to resolve tasks.web as host 3 does, web to its VIP and db no more', async () => {
      const [[t, w, d], [t3]] = await Promise.all([digMany(rns, ['tasks.web', 'web', 'db'], 4_000), digMany(kns, ['tasks.web'], 4_000)]);
      if (t!.addresses.length === 1 && JSON.stringify(t!.addresses) === JSON.stringify(t3!.addresses) && JSON.stringify(w!.addresses) === JSON.stringify([webVip]) && d!.rcode === 'NXDOMAIN') return true;
      throw new Error(`host 2: ${JSON.stringify({ tasksWeb: t, web: w, db: d })}; host 3: ${JSON.stringify(t3)}`);
    }, 60_000); // generous: a restarted daemon's start, session and first name set under CI load
    const rules = await until('host 2\'s container to balance web over its one running task only', async () => {
      const [live] = (await digMany(kns, ['tasks.web'], 4_000))[0]!.addresses;
      const text = await sh('ip', ['netns', 'exec', rns, 'nft', 'list', 'table', 'ip', 'shoal-lb']);
      return live !== undefined && text.includes(`ip daddr ${webVip} dnat to numgen inc mod 1 map { 0 : ${live} }`) ? text : null;
    });
    assert.ok(!rules.includes(dbVip), `no rule for db's VIP is left: ${rules}`);
    for (const a of removedWeb) assert.ok(!rules.includes(`: ${a} `) && !rules.includes(`: ${a},`), `no removed backend ${a} is left: ${rules}`);
    await until('the flow through db\'s VIP to be flushed from the container\'s conntrack', async () => {
      const left = await translatedFlows(dbVip);
      if (left.length === 0) return true;
      throw new Error(`still translated: ${left.join(' | ')}`);
    });
  } finally {
    hold?.kill('SIGKILL');
    upstream.kill('SIGKILL');
    await Promise.all(['rclient', 'kclient'].map(async (name) => {
      await env.shoal(h1, 'container', 'stop', name);
      await env.shoal(h1, 'container', 'rm', name);
    }));
  }
});

test('after service rm and leave nothing Shoal made is left (namespaces, links, rules)', { skip: skip ?? false }, async () => {
  await env.ok(h1, 'service', 'rm', 'web');
  await until('no namespace left on any host', async () => {
    for (const h of env.hosts) if ((await env.namespacesOf(h)).length > 0) return false;
    return true;
  });
  for (const h of [h2, h3]) await env.ok(h, 'leave');
  for (const h of env.hosts) {
    assert.doesNotMatch(await sh('ip', ['-n', h.ns, '-o', 'link', 'show']), /svx|sgw/, `no Shoal link left on ${h.name}`);
    assert.doesNotMatch(await sh('ip', ['netns', 'exec', h.ns, 'nft', 'list', 'tables']), /shoal/, `no Shoal rules left on ${h.name}`);
    assert.doesNotMatch(await sh('ip', ['netns', 'exec', h.ns, 'iptables-save']), /SHOAL-/, `no Shoal chains left on ${h.name}`);
  }
  for (const h of env.hosts) assert.deepEqual(await namespacesWith(env.tag(h)), [], `no namespace of ${h.name} is left`);
  for (const h of env.hosts) assert.deepEqual(existsSync('/etc/netns') ? readdirSync('/etc/netns').filter((d) => d.startsWith(env.tag(h))) : [], [], `no /etc/netns files of ${h.name} are left`);
});
