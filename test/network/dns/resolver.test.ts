// Proves the node resolver on loopback with real sockets: cluster names answered from the table
// over UDP and TCP, scoped per listener; a large answer truncated over UDP and complete over TCP
// (and a stock client, c-ares, retrying over TCP on its own); other names forwarded to an
// upstream resolver the test runs, over UDP and TCP; once that upstream is stopped, a clear
// SERVFAIL within the forwarding budget; malformed queries answered FORMERR or dropped, and the
// resolver keeps answering.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { Resolver } from 'node:dns/promises';
import * as dgram from 'node:dgram';
import { NameTable, type NameRecords } from '../../../src/network/dns/name-table.js';
import { DnsResolver, type Listener } from '../../../src/network/dns/server.js';
import { parseNameservers, taskResolvConf } from '../../../src/network/dns/resolv-conf.js';
import { aRecords, encodeQuery, exchange, query, records as answerRecords, TestUpstream } from './dns-client.js';

const FRONT = 'net-front';
const BACK = 'net-back';
const BASE = 0x0a000100; // 10.0.1.0

const records: NameRecords = {
  networks: [
    {
      networkId: FRONT,
      networkName: 'front',
      services: [
        { id: 's-web', name: 'web', aliases: [], endpointMode: 'vip', vip: BASE + 2 },
        { id: 's-many', name: 'many', aliases: [], endpointMode: 'dnsrr' },
      ],
      endpoints: [
        { kind: 'task', name: 'web.1.t1', serviceId: 's-web', aliases: [], ip: BASE + 11 },
        { kind: 'container', name: 'cache', aliases: [], ip: BASE + 30 },
        // 60 tasks: 60 A records do not fit 512 bytes.
        ...Array.from({ length: 60 }, (_, i) => ({ kind: 'task' as const, name: `many.${i + 1}.m${i}`, serviceId: 's-many', aliases: [], ip: BASE + 100 + i })),
      ],
    },
    { networkId: BACK, networkName: 'back', services: [], endpoints: [{ kind: 'container', name: 'db', aliases: [], ip: 0x0a000228 }] },
  ],
};

let upstream: TestUpstream;
let resolver: DnsResolver;
let front: Listener;
let back: Listener;
const FORWARD_BUDGET_MS = 400;

before(async () => {
  upstream = await TestUpstream.start({ 'example.test': '192.0.2.1', db: '192.0.2.99' });
  const table = new NameTable(records);
  resolver = new DnsResolver({
    table: () => table,
    upstreams: () => [{ host: '127.0.0.1', port: upstream.port }],
    forwardTimeoutMs: FORWARD_BUDGET_MS,
  });
  front = await resolver.listen('127.0.0.1', 0, () => [FRONT]);
  back = await resolver.listen('127.0.0.1', 0, () => [BACK]);
});

after(async () => {
  await resolver.close();
  await upstream.stop().catch(() => undefined);
});

void test('cluster names are answered from the table over UDP and TCP, authoritative, RD echoed, TTL 0', async () => {
  for (const transport of ['udp', 'tcp'] as const) {
    const r = await query(front.port, 'web', 'A', { transport });
    assert.equal(r.rcode, 'NOERROR');
    assert.equal(r.id, 4242);
    assert.equal(r.flag_aa, true);
    assert.equal(r.flag_rd, true);
    assert.deepEqual(aRecords(r), ['10.0.1.2']);
    assert.equal(answerRecords(r)[0]?.ttl, 0);
    assert.deepEqual(aRecords(await query(front.port, 'CACHE', 'A', { transport })), ['10.0.1.30']);
  }
  const empty = await query(front.port, 'web', 'AAAA');
  assert.equal(empty.rcode, 'NOERROR');
  assert.equal(empty.answers?.length, 0);
  const ptr = await query(front.port, '11.1.0.10.in-addr.arpa', 'PTR');
  assert.deepEqual(answerRecords(ptr).map((a) => a.data), ['web.1.t1']);
});

void test('each listener answers only for its scope; other names go upstream', async () => {
  assert.deepEqual(aRecords(await query(back.port, 'db', 'A')), ['10.0.2.40']);
  // "db" is not on front: forwarded, and the upstream happens to know another "db".
  assert.deepEqual(aRecords(await query(front.port, 'db', 'A')), ['192.0.2.99']);
  const web = await query(back.port, 'web', 'A');
  assert.equal(web.rcode, 'NXDOMAIN');
});

void test('an answer too large for UDP is truncated there and complete over TCP; c-ares retries by itself', async () => {
  const udp = await query(front.port, 'many', 'A');
  assert.equal(udp.flag_tc, true);
  assert.equal(udp.answers?.length, 0);
  const tcp = await query(front.port, 'many', 'A', { transport: 'tcp' });
  assert.equal(tcp.flag_tc, false);
  assert.equal(aRecords(tcp).length, 60);
  // With EDNS (4096 bytes) the same answer fits one UDP datagram.
  const edns = await query(front.port, 'many', 'A', { edns: 4096 });
  assert.equal(edns.flag_tc, false);
  assert.equal(aRecords(edns).length, 60);
  const stock = new Resolver({ timeout: 2_000, tries: 1 });
  stock.setServers([`127.0.0.1:${front.port}`]);
  assert.equal((await stock.resolve4('many')).length, 60);
  assert.deepEqual(await stock.resolve4('tasks.web'), ['10.0.1.11']);
});

void test('dnsrr answers are shuffled', async () => {
  const orders = new Set<string>();
  for (let i = 0; i < 10; i++) orders.add(aRecords(await query(front.port, 'many', 'A', { transport: 'tcp' })).join(','));
  assert.ok(orders.size > 1, 'ten answers of 60 addresses all in the same order');
});

void test('other names are forwarded over UDP and TCP, including a truncated upstream answer', async () => {
  for (const transport of ['udp', 'tcp'] as const) {
    const r = await query(front.port, 'example.test', 'A', { transport, id: 777 });
    assert.equal(r.id, 777, 'the client ID comes back');
    assert.deepEqual(aRecords(r), ['192.0.2.1']);
  }
  const nx = await query(front.port, 'nowhere.test', 'A');
  assert.equal(nx.rcode, 'NXDOMAIN');
  const big = await query(front.port, 'big.example.test', 'TXT');
  assert.equal(big.flag_tc, true, 'the upstream truncation reaches the client');
  const bigTcp = await query(front.port, 'big.example.test', 'TXT', { transport: 'tcp' });
  assert.equal(bigTcp.answers?.length, 1);
});

void test('malformed messages: FORMERR when the header is readable, silence when not; the resolver keeps answering', async () => {
  const junk = Buffer.concat([encodeQuery('web', 'A').subarray(0, 12), Buffer.from([0xff, 0xff, 0xff])]);
  const reply = await exchange(front.port, junk);
  assert.equal(reply.readUInt16BE(0), 4242);
  assert.equal(reply.readUInt16BE(2) & 0xf, 1, 'FORMERR');
  assert.equal((reply.readUInt16BE(2) >> 15) & 1, 1, 'a response');
  const socket = dgram.createSocket('udp4');
  await new Promise<void>((r) => socket.send(Buffer.from([1, 2, 3]), front.port, '127.0.0.1', () => r()));
  socket.close();
  await assert.rejects(exchange(front.port, Buffer.from([0, 1, 2, 3, 4]), { timeoutMs: 200 }));
  assert.deepEqual(aRecords(await query(front.port, 'web', 'A')), ['10.0.1.2']);
});

void test('resolv.conf: upstreams parsed in order (at most 3, own address excluded); the task file points at our resolver', () => {
  const text = '# comment\nsearch corp.example\nnameserver 10.1.1.1\nnameserver 127.0.0.11\nnameserver  fe80::1%eth0 ; zone\nnameserver bogus\nnameserver 10.1.1.2\nnameserver 10.1.1.3\n';
  assert.deepEqual(
    parseNameservers(text, new Set(['127.0.0.11'])).map((u) => u.host),
    ['10.1.1.1', 'fe80::1%eth0', '10.1.1.2'],
  );
  assert.match(taskResolvConf('10.0.1.1'), /^nameserver 10\.0\.1\.1$/m);
  assert.match(taskResolvConf('10.0.1.1'), /^options ndots:0$/m);
});

// Last: it stops the upstream.
void test('with the upstream stopped, a forwarded name gets SERVFAIL within the budget; cluster names still resolve', async () => {
  await upstream.stop();
  for (const transport of ['udp', 'tcp'] as const) {
    const started = Date.now();
    const r = await query(front.port, 'example.test', 'A', { transport });
    const took = Date.now() - started;
    assert.equal(r.rcode, 'SERVFAIL');
    assert.equal(r.questions?.[0]?.name, 'example.test', 'the question is echoed');
    // UDP waits the budget out; TCP is refused at once. Slack for a loaded machine.
    assert.ok(took < FORWARD_BUDGET_MS + 1_500, `SERVFAIL took ${took} ms`);
  }
  assert.deepEqual(aRecords(await query(front.port, 'web', 'A')), ['10.0.1.2']);
  assert.ok(resolver.stats.servfail >= 2);
});
