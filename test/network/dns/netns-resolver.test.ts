// Proves the seam to the data plane, as root: the node resolver answers INSIDE a network
// namespace the test makes (through sockets bound there and handed to this process), and the
// namespace's ordinary resolver finds it through /etc/netns/<ns>/resolv.conf, as `ip netns exec`
// sets it up for a task: glibc's getent and Node's dns.lookup resolve a service to its VIP,
// tasks.<service> to its tasks, a name on another network not at all, and a forwarded name
// through an upstream on the HOST's loopback (our forwarding leaves from the host namespace).
// Skips with a message where not root or without `ip`.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, execFile } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { NameTable } from '../../../src/network/dns/name-table.js';
import { DnsResolver } from '../../../src/network/dns/server.js';
import { bindInNamespace } from '../../../src/network/dns/netns-socket.js';
import { taskResolvConf } from '../../../src/network/dns/resolv-conf.js';
import { TestUpstream } from './dns-client.js';

const NS = `shoal-dnstest-${process.pid}`;
const RESOLVER = '127.0.0.11';
const BASE = 0x0a000100;

function canRun(): string | null {
  if (process.getuid?.() !== 0) return 'needs root (ip netns)';
  try {
    execFileSync('ip', ['netns', 'list'], { stdio: 'ignore' });
  } catch {
    return 'needs iproute2 (`ip netns`)';
  }
  return null;
}
const skip = canRun();

function inNs(...cmd: string[]): Promise<{ code: number; stdout: string }> {
  return new Promise((resolve) => {
    execFile('ip', ['netns', 'exec', NS, ...cmd], { timeout: 15_000 }, (err, stdout) => resolve({ code: err ? (typeof err.code === 'number' ? err.code : 1) : 0, stdout }));
  });
}

let resolver: DnsResolver;
let upstream: TestUpstream;

before(async () => {
  if (skip) return;
  execFileSync('ip', ['netns', 'add', NS]);
  execFileSync('ip', ['-n', NS, 'link', 'set', 'lo', 'up']);
  // Like a task's namespace, an interface with an IPv4 address: getaddrinfo (AI_ADDRCONFIG) asks
  // for IPv4 names only when the namespace has a non-loopback IPv4 address.
  execFileSync('ip', ['-n', NS, 'link', 'add', 'eth0', 'type', 'veth', 'peer', 'name', 'eth0-peer']);
  execFileSync('ip', ['-n', NS, 'addr', 'add', '10.0.1.50/24', 'dev', 'eth0']);
  execFileSync('ip', ['-n', NS, 'link', 'set', 'eth0', 'up']);
  mkdirSync(`/etc/netns/${NS}`, { recursive: true });
  writeFileSync(`/etc/netns/${NS}/resolv.conf`, taskResolvConf(RESOLVER));
  // Without an hosts file of its own the namespace would see the host's; names here must come from DNS.
  writeFileSync(`/etc/netns/${NS}/hosts`, '127.0.0.1 localhost\n');
  upstream = await TestUpstream.start({ 'example.test': '192.0.2.1' });
  const table = new NameTable({
    networks: [
      {
        networkId: 'front',
        networkName: 'front',
        services: [{ id: 's-web', name: 'web', aliases: [], endpointMode: 'vip', vip: BASE + 2 }],
        endpoints: [
          { kind: 'task', name: 'web.1.t1', serviceId: 's-web', aliases: [], ip: BASE + 11 },
          { kind: 'task', name: 'web.2.t2', serviceId: 's-web', aliases: [], ip: BASE + 12 },
        ],
      },
      { networkId: 'back', networkName: 'back', services: [], endpoints: [{ kind: 'container', name: 'db', aliases: [], ip: 0x0a000228 }] },
    ],
  });
  resolver = new DnsResolver({ table: () => table, upstreams: () => [{ host: '127.0.0.1', port: upstream.port }], forwardTimeoutMs: 1_000 });
  const { udp, tcp } = await bindInNamespace(NS, RESOLVER, 53);
  // Everything that asks on this namespace's socket is on "front".
  resolver.adopt(udp, tcp, () => ['front']);
});

after(async () => {
  if (skip) return;
  await resolver?.close();
  await upstream?.stop();
  try {
    execFileSync('ip', ['netns', 'del', NS]);
  } finally {
    rmSync(`/etc/netns/${NS}`, { recursive: true, force: true });
  }
});

void test('inside a namespace, the ordinary resolver finds cluster names through the node resolver', { skip: skip ?? false }, async () => {
  const web = await inNs('getent', 'hosts', 'web');
  assert.equal(web.code, 0);
  assert.match(web.stdout, /^10\.0\.1\.2\s+web$/m);
  const tasks = await inNs('getent', 'ahostsv4', 'tasks.web');
  assert.deepEqual([...new Set(tasks.stdout.split('\n').filter(Boolean).map((l) => l.split(/\s+/)[0]))].sort(), ['10.0.1.11', '10.0.1.12']);
  const node = await inNs(process.execPath, '-e', "require('dns').lookup('web', { family: 4 }, (e, a) => { if (e) { console.error(e.code); process.exit(3); } console.log(a); })");
  assert.equal(node.stdout.trim(), '10.0.1.2');
  const reverse = await inNs('getent', 'hosts', '10.0.1.11');
  assert.match(reverse.stdout, /^10\.0\.1\.11\s+web\.1\.t1$/m);
});

void test('a name on another network does not resolve; other names are forwarded to an upstream on the host loopback', { skip: skip ?? false }, async () => {
  const db = await inNs('getent', 'hosts', 'db');
  assert.equal(db.code, 2, 'db is on back only: not found');
  const forwarded = await inNs('getent', 'hosts', 'example.test');
  assert.equal(forwarded.code, 0);
  assert.match(forwarded.stdout, /^192\.0\.2\.1\s+example\.test$/m);
});

void test('binding in a namespace that does not exist fails with a clear message', { skip: skip ?? false }, async () => {
  await assert.rejects(bindInNamespace(`shoal-missing-${process.pid}`, RESOLVER, 53), /binding 127\.0\.0\.11:53 in namespace shoal-missing-\d+ failed/);
  await assert.rejects(bindInNamespace('bad name', RESOLVER, 53), /namespace name "bad name" is not valid/);
});
