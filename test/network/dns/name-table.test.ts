// Proves what the node's name table answers, and to whom: VIP vs dnsrr service names, tasks.*,
// task and container names, aliases, NODATA for names without addresses (never NXDOMAIN),
// AAAA empty for cluster names, PTR, and that names on a network the asker is not on do not
// exist for it (they are left to forwarding).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseIpv4 } from '../../../src/network/cidr.js';
import { NameTable, canonicalName, ipToReverseName, reverseNameToIp, type Lookup, type NameRecords } from '../../../src/network/dns/name-table.js';

function ip(text: string): number {
  const r = parseIpv4(text);
  if (!r.ok) throw new Error(r.error.message);
  return r.value;
}

const FRONT = 'net-front';
const BACK = 'net-back';

/** web (vip, 3 tasks, alias www), api (dnsrr, 2 tasks), idle (vip, no task), cache container on front; db on back. */
const records: NameRecords = {
  networks: [
    {
      networkId: FRONT,
      networkName: 'front',
      services: [
        { id: 'svc-web', name: 'web', aliases: ['www'], endpointMode: 'vip', vip: ip('10.0.1.2') },
        { id: 'svc-api', name: 'api', aliases: [], endpointMode: 'dnsrr' },
        { id: 'svc-idle', name: 'idle', aliases: [], endpointMode: 'vip', vip: ip('10.0.1.3') },
        { id: 'svc-empty', name: 'empty', aliases: [], endpointMode: 'dnsrr' },
      ],
      endpoints: [
        { kind: 'task', name: 'web.1.t1', serviceId: 'svc-web', aliases: [], ip: ip('10.0.1.11') },
        { kind: 'task', name: 'web.2.t2', serviceId: 'svc-web', aliases: [], ip: ip('10.0.1.12') },
        { kind: 'task', name: 'web.3.t3', serviceId: 'svc-web', aliases: [], ip: ip('10.0.1.13') },
        { kind: 'task', name: 'api.1.a1', serviceId: 'svc-api', aliases: [], ip: ip('10.0.1.21') },
        { kind: 'task', name: 'api.2.a2', serviceId: 'svc-api', aliases: [], ip: ip('10.0.1.22') },
        { kind: 'container', name: 'cache', aliases: ['redis', 'Kv'], ip: ip('10.0.1.30') },
      ],
    },
    {
      networkId: BACK,
      networkName: 'back',
      services: [{ id: 'svc-web', name: 'web', aliases: ['www'], endpointMode: 'vip', vip: ip('10.0.2.2') }],
      endpoints: [
        { kind: 'container', name: 'db', aliases: [], ip: ip('10.0.2.40') },
        { kind: 'task', name: 'web.1.t1', serviceId: 'svc-web', aliases: [], ip: ip('10.0.2.11') },
      ],
    },
  ],
};

const table = new NameTable(records);

function addresses(l: Lookup): string[] {
  assert.equal(l.kind, 'addresses', `expected addresses, got ${JSON.stringify(l)}`);
  return l.kind === 'addresses' ? l.addresses.map((n) => [n >>> 24, (n >>> 16) & 255, (n >>> 8) & 255, n & 255].join('.')) : [];
}

void test('a vip-mode service resolves to its VIP on the asker network; its alias too', () => {
  assert.deepEqual(addresses(table.lookup('web', 'A', [FRONT])), ['10.0.1.2']);
  assert.deepEqual(addresses(table.lookup('www', 'A', [FRONT])), ['10.0.1.2']);
  assert.deepEqual(addresses(table.lookup('web', 'A', [BACK])), ['10.0.2.2']);
  // On both networks: both VIPs, the asker's first network first.
  assert.deepEqual(addresses(table.lookup('web', 'A', [BACK, FRONT])), ['10.0.2.2', '10.0.1.2']);
  const l = table.lookup('web', 'A', [FRONT]);
  assert.equal(l.kind === 'addresses' && l.shuffle, false, 'a single VIP needs no shuffling');
});

void test('tasks.<service> lists the running tasks, shuffled; also tasks.<alias>', () => {
  const l = table.lookup('tasks.web', 'A', [FRONT]);
  assert.deepEqual(addresses(l).sort(), ['10.0.1.11', '10.0.1.12', '10.0.1.13']);
  assert.equal(l.kind === 'addresses' && l.shuffle, true);
  assert.deepEqual(addresses(table.lookup('tasks.www', 'A', [FRONT])).sort(), ['10.0.1.11', '10.0.1.12', '10.0.1.13']);
  // Only the tasks on the asker's network: web.1 is on back too, with another address.
  assert.deepEqual(addresses(table.lookup('tasks.web', 'A', [BACK])), ['10.0.2.11']);
});

void test('a dnsrr service resolves to its running tasks, shuffled', () => {
  const l = table.lookup('api', 'A', [FRONT]);
  assert.deepEqual(addresses(l).sort(), ['10.0.1.21', '10.0.1.22']);
  assert.equal(l.kind === 'addresses' && l.shuffle, true);
});

void test('a service without running tasks: tasks.* is NODATA, the VIP still resolves, dnsrr is NODATA', () => {
  assert.deepEqual(table.lookup('tasks.idle', 'A', [FRONT]), { kind: 'nodata' });
  assert.deepEqual(addresses(table.lookup('idle', 'A', [FRONT])), ['10.0.1.3']);
  assert.deepEqual(table.lookup('empty', 'A', [FRONT]), { kind: 'nodata' });
  assert.deepEqual(table.lookup('tasks.empty', 'A', [FRONT]), { kind: 'nodata' });
});

void test('task names, container names and container aliases resolve; names are case-insensitive, a trailing dot is fine', () => {
  assert.deepEqual(addresses(table.lookup('web.2.t2', 'A', [FRONT])), ['10.0.1.12']);
  assert.deepEqual(addresses(table.lookup('cache', 'A', [FRONT])), ['10.0.1.30']);
  assert.deepEqual(addresses(table.lookup('REDIS.', 'A', [FRONT])), ['10.0.1.30']);
  assert.deepEqual(addresses(table.lookup('kv', 'A', [FRONT])), ['10.0.1.30']);
  assert.equal(canonicalName('Web.Front.'), 'web.front');
});

void test('names only on a network the asker is not on do not exist for it', () => {
  assert.deepEqual(table.lookup('db', 'A', [FRONT]), { kind: 'unknown' });
  assert.deepEqual(addresses(table.lookup('db', 'A', [BACK])), ['10.0.2.40']);
  assert.deepEqual(table.lookup('cache', 'A', [BACK]), { kind: 'unknown' });
  assert.deepEqual(table.lookup('api', 'A', [BACK]), { kind: 'unknown' });
  assert.deepEqual(table.lookup('web', 'A', []), { kind: 'unknown' });
  assert.deepEqual(table.lookup('web', 'A', ['net-unknown']), { kind: 'unknown' });
  assert.deepEqual(table.lookup('example.com', 'A', [FRONT, BACK]), { kind: 'unknown' });
});

void test('AAAA and other types for a cluster name are an empty answer, not an error', () => {
  assert.deepEqual(table.lookup('web', 'AAAA', [FRONT]), { kind: 'nodata' });
  assert.deepEqual(table.lookup('cache', 'MX', [FRONT]), { kind: 'nodata' });
  assert.deepEqual(table.lookup('example.com', 'AAAA', [FRONT]), { kind: 'unknown' });
});

void test('PTR answers cluster addresses on the asker networks with the endpoint or service name', () => {
  assert.equal(ipToReverseName(ip('10.0.1.12')), '12.1.0.10.in-addr.arpa');
  assert.equal(reverseNameToIp('12.1.0.10.in-addr.arpa.'), ip('10.0.1.12'));
  assert.equal(reverseNameToIp('300.1.0.10.in-addr.arpa'), null);
  assert.equal(reverseNameToIp('example.com'), null);
  assert.deepEqual(table.lookup(ipToReverseName(ip('10.0.1.12')), 'PTR', [FRONT]), { kind: 'pointer', names: ['web.2.t2'] });
  assert.deepEqual(table.lookup(ipToReverseName(ip('10.0.1.30')), 'PTR', [FRONT]), { kind: 'pointer', names: ['cache'] });
  assert.deepEqual(table.lookup(ipToReverseName(ip('10.0.1.2')), 'PTR', [FRONT]), { kind: 'pointer', names: ['web'] });
  // Not on the asker's networks, or not a cluster address: forwarded.
  assert.deepEqual(table.lookup(ipToReverseName(ip('10.0.2.40')), 'PTR', [FRONT]), { kind: 'unknown' });
  assert.deepEqual(table.lookup(ipToReverseName(ip('192.0.2.1')), 'PTR', [FRONT]), { kind: 'unknown' });
});

void test('a vip-mode service without a VIP on a network falls back to its task addresses', () => {
  const t = new NameTable({
    networks: [
      {
        networkId: FRONT,
        networkName: 'front',
        services: [{ id: 's', name: 'old', aliases: [], endpointMode: 'vip' }],
        endpoints: [{ kind: 'task', name: 'old.1.x', serviceId: 's', aliases: [], ip: ip('10.0.1.50') }],
      },
    ],
  });
  assert.deepEqual(addresses(t.lookup('old', 'A', [FRONT])), ['10.0.1.50']);
  assert.deepEqual(NameTable.empty().lookup('old', 'A', [FRONT]), { kind: 'unknown' });
});

void test('a query from an endpoint address is scoped to every network that endpoint is on', () => {
  // web.1.t1 is on front (10.0.1.11) and back (10.0.2.11): asking from either address sees both.
  assert.deepEqual(table.endpointNetworks(FRONT, ip('10.0.1.11')), [FRONT, BACK]);
  assert.deepEqual(table.endpointNetworks(BACK, ip('10.0.2.11')), [BACK, FRONT]);
  // cache is on front only; an unknown address is scoped to the listener's network alone.
  assert.deepEqual(table.endpointNetworks(FRONT, ip('10.0.1.30')), [FRONT]);
  assert.deepEqual(table.endpointNetworks(FRONT, ip('10.0.1.99')), [FRONT]);
  assert.deepEqual(addresses(table.lookup('db', 'A', table.endpointNetworks(FRONT, ip('10.0.1.11')))), ['10.0.2.40']);
});
