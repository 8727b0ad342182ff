// Proves the feed from control-plane records to a node's names: a node hears only about the
// networks it has an endpoint on; a task answers only while running and wanted running on a
// node that is not down; containers only while running; task names follow Docker's
// <service>.<slot>.<task-id> (global: the node ID); VIPs only in vip mode; the output is
// deterministic; and through the wire format (names-view → NamesReceiver, complete then
// incremental) the worker's table answers what the pure feed says.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { nameRecords, nameRecordsForNode, networksOfNode, taskName, type FeedInput, type FeedTask } from '../../../src/network/dns/feed.js';
import { NameTable } from '../../../src/network/dns/name-table.js';
import { networkNamesToProto } from '../../../src/manager/names-view.js';
import { NamesReceiver } from '../../../src/worker/names-receiver.js';
import type { NamesMessage__Output } from '../../../src/generated/shoal/v1/NamesMessage.js';
import type { NetworkNames__Output } from '../../../src/generated/shoal/v1/NetworkNames.js';

const FRONT = 'net-front';
const BACK = 'net-back';
const A = 0x0a000100;
const B = 0x0a000200;

const task = (id: string, serviceId: string, slot: number, nodeId: string, ip: number, state = 'running', desiredState = 'running', networkId = FRONT): FeedTask => ({
  id,
  serviceId,
  slot,
  nodeId,
  state,
  desiredState,
  addresses: [{ networkId, ip }],
});

const input: FeedInput = {
  networks: [
    { id: FRONT, name: 'front' },
    { id: BACK, name: 'back' },
  ],
  services: [
    { id: 's-web', name: 'web', networks: [FRONT], endpointMode: 'vip', aliases: ['www'] },
    { id: 's-api', name: 'api', networks: [FRONT], endpointMode: 'dnsrr', aliases: [] },
    { id: 's-glob', name: 'agent', networks: [FRONT], endpointMode: 'vip', aliases: [] },
    { id: 's-db', name: 'db', networks: [BACK], endpointMode: 'vip', aliases: [] },
  ],
  vips: new Map([
    ['s-web', [{ networkId: FRONT, ip: A + 2 }]],
    ['s-glob', [{ networkId: FRONT, ip: A + 3 }]],
    ['s-db', [{ networkId: BACK, ip: B + 2 }]],
  ]),
  tasks: [
    task('t1', 's-web', 1, 'n1', A + 11),
    task('t2', 's-web', 2, 'n2', A + 12),
    task('t3', 's-web', 3, 'n2', A + 13, 'starting'),
    task('t4', 's-web', 4, 'n1', A + 14, 'running', 'shutdown'),
    task('t5', 's-web', 5, 'n3', A + 15),
    task('t6', 's-web', 6, '', A + 16, 'pending'),
    task('a1', 's-api', 1, 'n1', A + 21),
    task('g1', 's-glob', 0, 'n2', A + 31),
    task('d1', 's-db', 1, 'n3', B + 11, 'running', 'running', BACK),
  ],
  containers: [
    { id: 'c1', name: 'cache', nodeId: 'n2', state: 'running', aliases: ['redis'], addresses: [{ networkId: FRONT, ip: A + 40 }] },
    { id: 'c2', name: 'old', nodeId: 'n2', state: 'exited', aliases: [], addresses: [{ networkId: FRONT, ip: A + 41 }] },
    { id: 'c4', name: 'probe', nodeId: 'n4', state: 'created', aliases: [], addresses: [{ networkId: FRONT, ip: A + 42 }] },
  ],
  downNodes: new Set(['n3']),
};

const dotted = (n: number): string => [n >>> 24, (n >>> 16) & 255, (n >>> 8) & 255, n & 255].join('.');
const answer = (t: NameTable, name: string, scope = [FRONT]): string[] => {
  const l = t.lookup(name, 'A', scope);
  return l.kind === 'addresses' ? l.addresses.map(dotted).sort() : [l.kind];
};

void test('a node is told about exactly the networks it has an endpoint on, whatever their state', () => {
  assert.deepEqual([...networksOfNode(input, 'n1')], [FRONT]);
  assert.deepEqual([...networksOfNode(input, 'n3')].sort(), [BACK, FRONT].sort());
  assert.deepEqual([...networksOfNode(input, 'n4')], [FRONT], 'a created container holds its network');
  assert.deepEqual([...networksOfNode(input, 'n9')], []);
  assert.deepEqual(nameRecordsForNode(input, 'n9'), { networks: [] });
  assert.deepEqual(nameRecordsForNode(input, 'n1').networks.map((n) => n.networkName), ['front']);
});

void test('only running, wanted, live endpoints answer; VIPs in vip mode; Docker task names', () => {
  const t = new NameTable(nameRecordsForNode(input, 'n4'));
  // t3 is starting, t4 is being stopped, t5's node is down, t6 unplaced.
  assert.deepEqual(answer(t, 'tasks.web'), ['10.0.1.11', '10.0.1.12']);
  assert.deepEqual(answer(t, 'web'), ['10.0.1.2']);
  assert.deepEqual(answer(t, 'www'), ['10.0.1.2']);
  assert.deepEqual(answer(t, 'api'), ['10.0.1.21']);
  assert.deepEqual(answer(t, 'web.1.t1'), ['10.0.1.11']);
  assert.deepEqual(answer(t, 'web.4.t4'), ['unknown']);
  assert.deepEqual(answer(t, 'agent.n2.g1'), ['10.0.1.31']);
  assert.deepEqual(answer(t, 'cache'), ['10.0.1.40']);
  assert.deepEqual(answer(t, 'redis'), ['10.0.1.40']);
  assert.deepEqual(answer(t, 'old'), ['unknown'], 'an exited container does not answer');
  assert.deepEqual(answer(t, 'probe'), ['unknown'], 'nor one not started yet');
  assert.deepEqual(answer(t, 'db', [BACK]), ['unknown'], 'n4 is not on back: it is not told about it');
  assert.equal(taskName('web', { id: 'x', slot: 0, nodeId: 'n7' }), 'web.n7.x');
  const n3 = new NameTable(nameRecordsForNode(input, 'n3'));
  assert.deepEqual(answer(n3, 'db', [BACK]), ['10.0.2.2']);
  assert.deepEqual(answer(n3, 'tasks.db', [BACK]), ['nodata'], "the only db task is on a down node");
});

void test('the output is deterministic whatever the input order', () => {
  const shuffledInput: FeedInput = { ...input, tasks: [...input.tasks].reverse(), services: [...input.services].reverse(), containers: [...input.containers].reverse() };
  assert.deepEqual(nameRecords(shuffledInput, new Set([BACK, FRONT])), nameRecords(input, new Set([FRONT, BACK])));
});

const msg = (type: 'ASSIGNMENTS_TYPE_COMPLETE' | 'ASSIGNMENTS_TYPE_INCREMENTAL', networks: NetworkNames__Output[], removedNetworks: string[] = []): NamesMessage__Output => ({ type, networks, removedNetworks });
const wire = (i: FeedInput, node: string): NetworkNames__Output[] => nameRecordsForNode(i, node).networks.map((n) => networkNamesToProto(n) as NetworkNames__Output);

void test('through the wire format the worker table answers what the feed says; incremental updates and removals apply', () => {
  const r = new NamesReceiver();
  assert.equal(r.ready, false);
  assert.throws(() => r.apply(msg('ASSIGNMENTS_TYPE_INCREMENTAL', [])), /an incremental message before the complete set/);
  r.apply(msg('ASSIGNMENTS_TYPE_COMPLETE', wire(input, 'n3')));
  assert.equal(r.ready, true);
  assert.deepEqual(answer(r.table(), 'web'), ['10.0.1.2']);
  assert.deepEqual(answer(r.table(), 'tasks.web'), ['10.0.1.11', '10.0.1.12']);
  assert.deepEqual(answer(r.table(), 'db', [BACK]), ['10.0.2.2']);
  // t2 stops: front changes, and only front is sent.
  const after = { ...input, tasks: input.tasks.map((t) => (t.id === 't2' ? { ...t, state: 'shutdown' } : t)) };
  r.apply(msg('ASSIGNMENTS_TYPE_INCREMENTAL', wire(after, 'n3').filter((n) => n.networkId === FRONT)));
  assert.deepEqual(answer(r.table(), 'tasks.web'), ['10.0.1.11']);
  assert.deepEqual(answer(r.table(), 'db', [BACK]), ['10.0.2.2'], 'back untouched');
  r.apply(msg('ASSIGNMENTS_TYPE_INCREMENTAL', [], [BACK]));
  assert.deepEqual(answer(r.table(), 'db', [BACK]), ['unknown']);
  // A malformed message changes nothing.
  const bad = wire(input, 'n3').map((n) => ({ ...n, endpoints: n.endpoints.map((e) => ({ ...e, address: '10.0.1.300' })) }));
  assert.throws(() => r.apply(msg('ASSIGNMENTS_TYPE_COMPLETE', bad)), /names: endpoint .* address: /);
  assert.deepEqual(answer(r.table(), 'tasks.web'), ['10.0.1.11']);
  r.reset();
  assert.deepEqual(answer(r.table(), 'web'), ['unknown']);
});
