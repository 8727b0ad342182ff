// Proves service discovery's control-plane path end to end with real processes' code in one
// process: a manager with two worker agents running real tasks, and a third node played by the
// test through the real Dispatcher gRPC API (session, heartbeats, Names stream). The names it
// receives feed a real resolver on loopback, queried over UDP: `web` (vip, 3 replicas) gives
// its VIP, `tasks.web` the 3 running tasks, `api` (dnsrr) its 2 tasks, the node's own running
// container its name; a service on a network the node is not on is not sent. Scaling `web` to
// 1 shows in the resolver's answers within a bound (target 1 s; the figure is printed), and
// removing the node's last endpoint on the network withdraws the network's names.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import type * as grpc from '@grpc/grpc-js';
import { joinCluster, nodeSecurity } from '../../src/manager/daemon.js';
import { tokenDigest } from '../../src/manager/store/apply.js';
import { getCluster } from '../../src/manager/store/queries.js';
import { serviceByName } from '../../src/manager/store/service-queries.js';
import type { ServiceSpecRecord } from '../../src/manager/store/service-commands.js';
import { attachmentsOfOwner } from '../../src/manager/store/network-queries.js';
import { deriveJoinToken, newObjectId } from '../../src/manager/tokens.js';
import { loadProtos } from '../../src/proto/load.js';
import { formatIpv4 } from '../../src/network/cidr.js';
import type { DispatcherClient } from '../../src/generated/shoal/v1/Dispatcher.js';
import type { NamesMessage__Output } from '../../src/generated/shoal/v1/NamesMessage.js';
import type { SessionMessage__Output } from '../../src/generated/shoal/v1/SessionMessage.js';
import { DnsResolver, type Listener } from '../../src/network/dns/server.js';
import { NamesReceiver } from '../../src/worker/names-receiver.js';
import { freePort, waitFor } from '../helpers/in-process-cluster.js';
import { aRecords, query } from '../network/dns/dns-client.js';
import { WorkerCluster } from './harness.js';

describe('service discovery: names from the dispatcher to a node resolver', () => {
  let c: WorkerCluster;
  let client: DispatcherClient;
  let session: grpc.ClientReadableStream<SessionMessage__Output>;
  let names: grpc.ClientReadableStream<NamesMessage__Output> | null = null;
  let heartbeat: NodeJS.Timeout | undefined;
  let resolver: DnsResolver;
  let listener: Listener;
  const receiver = new NamesReceiver();
  const messages: NamesMessage__Output[] = [];
  let nodeId = '';
  let front = '';

  const spec = (name: string, replicas: number, networks: string[], endpointMode: 'vip' | 'dnsrr'): ServiceSpecRecord => ({
    name,
    labels: {},
    mode: 'replicated',
    replicas,
    template: { command: '/bin/sh', args: ['-c', 'exec sleep 60'], env: [], reservations: { nanoCpus: 0, memoryBytes: 0 }, restartPolicy: { condition: 'any', delayMs: 100, maxAttempts: 0, windowMs: 0 } },
    networks,
    placement: { constraints: [], preferences: [], maxReplicasPerNode: 0 },
    updateConfig: { parallelism: 1, delayMs: 0, order: 'stop-first', failureAction: 'pause', monitorMs: 0 },
    stack: '',
    ...(endpointMode === 'dnsrr' ? { endpointMode } : {}),
  });

  before(async () => {
    c = await WorkerCluster.start(2, 500);
    // The node the test plays: joined like any worker, with no agent of its own.
    const cl = getCluster(c.manager.store.db);
    const { config } = await joinCluster(
      { dataDir: join(c.dir, 'probe-node'), token: deriveJoinToken(tokenDigest(c.manager.store.db, cl.id), cl.tokenKey, 'worker', cl.workerTokenGen), managerAddr: c.addr, listenAddr: `127.0.0.1:${await freePort()}`, hostname: 'probe' },
    );
    nodeId = config.nodeId;
    // The probe speaks as the node it joined as: mutual TLS with its own certificate.
    client = new (loadProtos().grpcObject.shoal.v1.Dispatcher)(c.addr, nodeSecurity(join(c.dir, 'probe-node'), cl.id).channelCredentials());
    resolver = new DnsResolver({ table: () => receiver.table(), upstreams: () => [], forwardTimeoutMs: 200 });
    listener = await resolver.listen('127.0.0.1', 0, () => [front]);
  });

  after(async () => {
    clearInterval(heartbeat);
    names?.cancel();
    session?.cancel();
    client?.close();
    await resolver?.close();
    await c?.close();
  });

  const lookup = async (name: string): Promise<string[]> => aRecords(await query(listener.port, name, 'A')).sort();

  test('the node resolves services, tasks and containers of its network, and nothing of others', async () => {
    front = newObjectId();
    await c.manager.write({ op: 'network.create', at: Date.now(), id: front, name: 'front', driver: 'overlay', attachable: true, labels: {} });
    const back = await c.createNetwork('back');
    await c.manager.write({ op: 'service.create', at: Date.now(), id: newObjectId(), taskIdSeed: newObjectId() + newObjectId(), spec: spec('web', 3, [front], 'vip') });
    await c.manager.write({ op: 'service.create', at: Date.now(), id: newObjectId(), taskIdSeed: newObjectId() + newObjectId(), spec: spec('api', 2, [front], 'dnsrr') });
    await c.manager.write({ op: 'service.create', at: Date.now(), id: newObjectId(), taskIdSeed: newObjectId() + newObjectId(), spec: spec('hidden', 1, [back], 'vip') });
    await c.waitRunning('web', 3);
    await c.waitRunning('api', 2);
    await c.waitRunning('hidden', 1);

    // The test's node gets an endpoint on front: a standalone container, running.
    const probeId = newObjectId();
    await c.manager.write({ op: 'attachment.attach', at: Date.now(), network: front, ownerKind: 'container', ownerId: probeId, nodeId });
    const attachment = attachmentsOfOwner(c.manager.store.db, 'container', probeId)[0]!;
    await c.manager.write({ op: 'container.create', at: Date.now(), id: probeId, name: 'probe', nodeId, command: 'sleep', args: [], env: [], labels: {}, attachmentIds: [attachment.id], aliases: ['prober'] });
    const v = (await c.manager.write({ op: 'container.update', at: Date.now(), id: probeId, version: 0, state: 'running', labelsAdd: {}, labelsRemove: [] })) as { version: number };
    assert.ok(v);

    // A session as a worker would open it, kept alive by heartbeats, and its Names stream.
    const sessionId = await new Promise<string>((resolve, reject) => {
      session = client.Session({ nodeId, description: { hostname: 'probe', platform: { os: 'linux', arch: 'x64' }, resources: { nanoCpus: 1e9, memoryBytes: 1e9 } } });
      session.on('error', () => undefined);
      session.once('data', (m: SessionMessage__Output) => resolve(m.sessionId));
      setTimeout(() => reject(new Error('no session within 5 s')), 5_000);
    });
    heartbeat = setInterval(() => client.Heartbeat({ sessionId }, () => undefined), 300);
    names = client.Names({ sessionId });
    names.on('error', () => undefined);
    names.on('data', (m: NamesMessage__Output) => {
      messages.push(m);
      receiver.apply(m);
    });
    await waitFor(() => receiver.ready, 5_000, 'the complete set of names');
    assert.equal(messages[0]?.type, 'ASSIGNMENTS_TYPE_COMPLETE');
    assert.deepEqual(receiver.table().networkIds(), [front], 'only the network the node has an endpoint on');

    const vip = attachmentsOfOwner(c.manager.store.db, 'vip', serviceByName(c.manager.store.db, 'web')!.id)[0]!;
    assert.deepEqual(await lookup('web'), [formatIpv4(vip.address)]);
    const taskAddresses = c.running('web').map((t) => attachmentsOfOwner(c.manager.store.db, 'task', t.id)[0]!.address);
    assert.deepEqual(await lookup('tasks.web'), taskAddresses.map(formatIpv4).sort());
    assert.equal((await lookup('api')).length, 2);
    assert.deepEqual(await lookup('probe'), [formatIpv4(attachment.address)]);
    assert.deepEqual(await lookup('prober'), [formatIpv4(attachment.address)]);
    const hidden = await query(listener.port, 'hidden', 'A');
    assert.equal(hidden.rcode, 'SERVFAIL', 'not a name here: forwarded, and this resolver has no upstream');
  });

  test('scaling down reaches the node resolver within a bound; removing its last endpoint withdraws the network', async () => {
    const web = serviceByName(c.manager.store.db, 'web')!;
    const started = Date.now();
    await c.manager.write({ op: 'service.scale', at: Date.now(), id: web.id, version: 0, taskIdSeed: newObjectId() + newObjectId(), replicas: 1 });
    await waitFor(() => {
      const l = receiver.table().lookup('tasks.web', 'A', [front]);
      return l.kind === 'addresses' && l.addresses.length === 1;
    }, 5_000, 'tasks.web to list one task');
    const tookMs = Date.now() - started;
    process.stderr.write(`names: scale-down reached the node resolver in ${tookMs} ms\n`);
    assert.ok(tookMs < 2_000, `scale-down took ${tookMs} ms to reach the node (target 1 s)`);
    assert.equal((await lookup('tasks.web')).length, 1);
    assert.ok(messages.slice(1).every((m) => m.type === 'ASSIGNMENTS_TYPE_INCREMENTAL'));

    const probe = c.manager.store.db.prepare("SELECT id FROM containers WHERE name = 'probe'").get() as { id: string };
    await c.manager.write({ op: 'container.remove', at: Date.now(), id: probe.id });
    await waitFor(() => receiver.table().networkIds().length === 0, 5_000, 'front to be withdrawn');
    assert.deepEqual(messages[messages.length - 1]?.removedNetworks, [front]);
  });
});
