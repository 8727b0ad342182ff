import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import * as grpc from '@grpc/grpc-js';
import type { ResourceAllocatorClient } from '../../src/generated/shoal/v1/ResourceAllocator.js';
import type { AttachNetworkRequest } from '../../src/generated/shoal/v1/AttachNetworkRequest.js';
import type { AttachNetworkResponse__Output } from '../../src/generated/shoal/v1/AttachNetworkResponse.js';
import type { CreateContainerResponse__Output } from '../../src/generated/shoal/v1/CreateContainerResponse.js';
import { loadProtos } from '../../src/proto/load.js';
import { ShoalError } from '../../src/errors.js';
import { unaryCall, type Api } from '../../bin/client.js';
import * as net from '../../bin/commands/network-api.js';
import { startCluster, type TestCluster } from '../helpers/in-process-cluster.js';
import { checkDataPathFailover } from './data-path-failover.js';

function allocatorFor(api: Api): ResourceAllocatorClient {
  return new (loadProtos().grpcObject.shoal.v1.ResourceAllocator)(api.target, grpc.credentials.createInsecure(), { channelOverride: api.control.getChannel() });
}

function attach(api: Api, req: AttachNetworkRequest): Promise<AttachNetworkResponse__Output> {
  const c = allocatorFor(api);
  return unaryCall(api.target, (md, o, cb) => c.AttachNetwork(req, md, o, cb));
}

function detach(api: Api, attachmentId: string): Promise<unknown> {
  const c = allocatorFor(api);
  return unaryCall(api.target, (md, o, cb) => c.DetachNetwork({ attachmentId }, md, o, cb));
}

async function rejects(p: Promise<unknown>, code: string, message: string | RegExp): Promise<void> {
  await assert.rejects(p, (e: unknown) => {
    assert.ok(e instanceof ShoalError, `not a ShoalError: ${String(e)}`);
    assert.equal(e.code, code, e.message);
    if (typeof message === 'string') assert.equal(e.message, message);
    else assert.match(e.message, message);
    return true;
  });
}

describe('network API on a 3-manager cluster', () => {
  let c: TestCluster;
  let leaderApi: Api;
  let followerApi: Api;
  let nodeId: string;
  before(async () => {
    c = await startCluster(3);
    leaderApi = c.apis[c.managers.indexOf(c.leader())]!;
    followerApi = c.apis[c.managers.indexOf(c.followers()[0]!)]!;
    nodeId = c.managers[0]!.config.nodeId;
  });
  after(async () => {
    await c.close();
  });

  // Proves create through a follower commits once and every manager then reads the same network,
  // with a default-pool subnet, the first host as gateway and VXLAN ID 4096.
  test('create through a follower, read from every manager', async () => {
    const created = await net.createNetwork(followerApi, { name: 'front', attachable: true, labels: { tier: 'web' } });
    assert.equal(created.network?.subnet, '10.0.0.0/24');
    assert.equal(created.network?.gateway, '10.0.0.1');
    assert.equal(created.network?.vxlanId, 4096);
    for (const api of c.apis) {
      const got = await net.getNetwork(api, created.network.id.slice(0, 8));
      assert.equal(got.network?.name, 'front');
      const list = await net.listNetworks(api);
      assert.deepEqual(list.networks.map((n) => n.name), ['front']);
    }
  });

  // Proves the create errors: field-named INVALID_ARGUMENT, the pure module's overlap text, ALREADY_EXISTS.
  test('create errors carry codes and actionable texts', async () => {
    await net.createNetwork(leaderApi, { name: 'backend', subnet: '10.1.2.0/24' });
    await rejects(net.createNetwork(followerApi, { name: 'x', subnet: '10.1.0.0/16' }), 'INVALID_ARGUMENT', 'subnet 10.1.0.0/16 overlaps network "backend" (10.1.2.0/24)');
    await rejects(net.createNetwork(followerApi, { name: 'bad name!' }), 'INVALID_ARGUMENT', /^name: "bad name!" is not a valid name/);
    await rejects(net.createNetwork(followerApi, { name: 'y', driver: 'bridge' }), 'INVALID_ARGUMENT', /^driver: "bridge" is not supported/);
    await rejects(net.createNetwork(followerApi, { name: 'backend' }), 'ALREADY_EXISTS', /a network named "backend" already exists/);
    await rejects(net.getNetwork(followerApi, 'nope'), 'NOT_FOUND', /network "nope" not found/);
    await rejects(net.getNetwork(followerApi, ''), 'INVALID_ARGUMENT', /^ref: /);
  });

  // Proves AttachNetwork (through a follower) returns the committed attachment, and its error codes.
  test('AttachNetwork / DetachNetwork and their errors', async () => {
    const a = await attach(followerApi, { network: 'front', containerId: 'ctr-1', nodeId });
    assert.deepEqual(
      { address: a.attachment?.address, gateway: a.attachment?.gateway, subnet: a.attachment?.subnet, vxlanId: a.attachment?.vxlanId, networkName: a.attachment?.networkName },
      { address: '10.0.0.2/24', gateway: '10.0.0.1', subnet: '10.0.0.0/24', vxlanId: 4096, networkName: 'front' },
    );
    await rejects(attach(followerApi, { network: 'backend', containerId: 'ctr-1', nodeId }), 'FAILED_PRECONDITION', 'network "backend" is not attachable; create it with --attachable');
    const fixed = await attach(leaderApi, { network: 'front', containerId: 'ctr-2', nodeId, requestedAddress: '10.0.0.50' });
    assert.equal(fixed.attachment?.address, '10.0.0.50/24');
    await rejects(attach(followerApi, { network: 'front', containerId: 'ctr-3', nodeId, requestedAddress: '10.0.0.50' }), 'ALREADY_EXISTS', 'address 10.0.0.50 on network "front" is already taken by container ctr-2');
    await rejects(attach(followerApi, { network: 'front', containerId: 'ctr-3', nodeId, requestedAddress: '10.0.0.300' }), 'INVALID_ARGUMENT', /^requested_address: /);
    await rejects(attach(followerApi, { network: 'front', containerId: '', nodeId }), 'INVALID_ARGUMENT', /^container_id: /);
    await rejects(attach(followerApi, { network: 'front', containerId: 'ctr-3', nodeId: 'no-such-node' }), 'NOT_FOUND', /^node_id: /);
    await rejects(detach(followerApi, 'no-such-attachment'), 'NOT_FOUND', /attachment no-such-attachment not found/);
    // A container created with the attachment takes its ID and shows the address.
    const ctr = await unaryCall<CreateContainerResponse__Output>(followerApi.target, (md, o, cb) => followerApi.control.CreateContainer({ name: 'web', nodeId, command: 'sleep', attachmentIds: [a.attachment!.id] }, md, o, cb));
    assert.equal(ctr.container?.id, 'ctr-1');
    const listed = await net.listContainers(followerApi);
    assert.deepEqual(listed.containers.map((x) => [x.name, x.attachments.map((y) => y.address)]), [['web', ['10.0.0.2/24']]]);
    await rejects(net.removeNetwork(followerApi, 'front'), 'FAILED_PRECONDITION', /^network "front" is in use by 2 endpoints: container web \(ctr-1\), container ctr-2;/);
    const inspect = await net.getNetwork(followerApi, 'front');
    assert.deepEqual(inspect.endpoints.map((e) => [e.kind, e.ownerId, e.address, e.nodeStatus]), [
      ['ENDPOINT_KIND_CONTAINER', 'ctr-1', '10.0.0.2/24', 'ready'],
      ['ENDPOINT_KIND_CONTAINER', 'ctr-2', '10.0.0.50/24', 'ready'],
    ]);
    await detach(followerApi, fixed.attachment.id);
    await net.removeContainer(followerApi, 'web');
    await net.removeNetwork(followerApi, 'front');
    const check = await net.checkNetworks(followerApi, '');
    assert.deepEqual(check.networks.flatMap((n) => n.problems), []);
  });

  // Proves version checks on update and ambiguous-prefix resolution.
  test('UpdateNetwork with a stale version is ABORTED; ambiguous prefixes are INVALID_ARGUMENT', async () => {
    const n = (await net.getNetwork(followerApi, 'backend')).network!;
    const upd = (version: number): Promise<unknown> =>
      unaryCall(followerApi.target, (md, o, cb) => followerApi.control.UpdateNetwork({ ref: 'backend', version, labelAdd: { a: String(version) } }, md, o, cb));
    await upd(Number(n.version));
    await rejects(upd(Number(n.version)), 'ABORTED', /changed since it was read/);
    // Prefix "" of length 0 is rejected; a one-character prefix shared by several IDs is ambiguous.
    const nets = [];
    for (let i = 0; i < 12; i++) nets.push((await net.createNetwork(leaderApi, { name: `amb${i}` })).network!.id);
    const first = nets.map((id) => id[0]!);
    const shared = first.find((ch, i) => first.indexOf(ch) !== i);
    if (shared !== undefined) await rejects(net.getNetwork(followerApi, shared), 'INVALID_ARGUMENT', /is ambiguous; it matches: /);
    for (const id of nets) await net.removeNetwork(followerApi, id);
  });

  // Proves the allocation is linearizable under contention: many clients attaching through all
  // three managers at once to one /24 get exactly the 253 usable addresses, all distinct,
  // and every other request RESOURCE_EXHAUSTED.
  test('concurrent attaches through all managers fill a /24 exactly', async () => {
    await net.createNetwork(leaderApi, { name: 'race', subnet: '10.77.0.0/24', attachable: true });
    const total = 300;
    const results = await Promise.allSettled(
      Array.from({ length: total }, (_, i) => attach(c.apis[i % 3]!, { network: 'race', containerId: `r${i}`, nodeId, reservationTtlMs: 600_000 })),
    );
    const ok = results.filter((r): r is PromiseFulfilledResult<AttachNetworkResponse__Output> => r.status === 'fulfilled').map((r) => r.value.attachment!.address);
    const failed = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected').map((r) => r.reason as ShoalError);
    assert.equal(ok.length, 253);
    assert.equal(new Set(ok).size, 253);
    assert.equal(failed.length, total - 253);
    for (const f of failed) assert.equal(f.code, 'RESOURCE_EXHAUSTED', f.message);
    assert.match(failed[0]!.message, /^no free address on network "race" \(subnet 10\.77\.0\.0\/24\): it holds 253 of 253 assignable addresses/);
    const check = await net.checkNetworks(c.apis[2]!, 'race');
    assert.deepEqual(check.networks[0]?.problems, []);
    assert.equal(check.networks[0]?.endpoints, 253);
  });

  // Proves --internal and --opt mtu: options checked at the API (unknown key, out-of-range MTU),
  // the network read back the same from every manager, and an attachment carrying both (the
  // node's data plane acts on the attachment).
  test('internal networks and the mtu option are stored, shown, and carried by attachments', async () => {
    await rejects(net.createNetwork(followerApi, { name: 'o1', options: { mtu: '70000' } }), 'INVALID_ARGUMENT', /^options: mtu "70000" is not a whole number from 576 to 9000/);
    await rejects(net.createNetwork(followerApi, { name: 'o1', options: { speed: 'fast' } }), 'INVALID_ARGUMENT', /^options: unknown driver option "speed"/);
    const created = await net.createNetwork(followerApi, { name: 'private', attachable: true, internal: true, options: { mtu: '1400' } });
    assert.equal(created.network?.internal, true);
    assert.deepEqual(created.network?.options, { mtu: '1400' });
    for (const api of c.apis) {
      const got = await net.getNetwork(api, 'private');
      assert.deepEqual([got.network?.internal, got.network?.options], [true, { mtu: '1400' }]);
    }
    const plain = (await net.listNetworks(followerApi)).networks.find((n) => n.name !== 'private')!;
    assert.deepEqual([plain.internal, plain.options], [false, {}], 'a network without them: defaults');
    const a = await attach(leaderApi, { network: 'private', containerId: 'ctr-private', nodeId });
    assert.deepEqual([a.attachment?.internal, a.attachment?.mtu], [true, 1400]);
    await detach(leaderApi, a.attachment!.id);
  });

  // Last: it stops the leader. See data-path-failover.ts: after the leader that a node reported its
  // data-path address to stops, the new leader's peer tables carry that address at once.
  test('the data-path address is replicated: a new leader serves peer tables with it at once', async () => {
    await checkDataPathFailover(c);
  });
});
