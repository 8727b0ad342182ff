/**
 * The Docker plugin's protocol handlers against a real in-process manager (SQLite, Raft, gRPC over
 * its local socket): what Docker sees when it creates a network, asks for addresses and releases
 * them, and that every address it is handed is a Shoal attachment (the store's IPAM invariant),
 * freed again when Docker gives it back. Also the pure reconcile rule and the data plane's plan for
 * a Docker endpoint. The endpoint → container record path needs a real dockerd: see
 * test/integration-workers/docker-plugin.test.ts.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as grpc from '@grpc/grpc-js';
import { startCluster, type TestCluster } from '../helpers/in-process-cluster.js';
import { newObjectId } from '../../src/manager/tokens.js';
import { attachmentsOfNetwork, networkById } from '../../src/manager/store/network-queries.js';
import { DockerPlugin, POOL_PREFIX, type EndpointLinks, type Reply } from '../../src/worker/docker-plugin/protocol.js';
import { PluginState } from '../../src/worker/docker-plugin/state.js';
import { GrpcShoalPort } from '../../src/worker/docker-plugin/shoal-port.js';
import { staleRecords } from '../../src/worker/docker-plugin/reconcile.js';
import { hostPeerName } from '../../src/worker/docker-plugin/links.js';
import { desiredState } from '../../src/network/dataplane/desired.js';
import { planChanges } from '../../src/network/dataplane/diff.js';

/** Links that refuse: these tests never reach Join (it needs Docker's sandbox). */
const noLinks: EndpointLinks = {
  join: () => Promise.reject(new Error('Join is not part of these tests')),
  leave: () => Promise.resolve(),
};

describe('Docker plugin protocol against a real manager', () => {
  let cluster: TestCluster;
  let dir: string;
  let plugin: DockerPlugin;
  let port: GrpcShoalPort;
  let state: PluginState;
  let frontId = '';
  const call = async (method: string, body: unknown = {}): Promise<Reply> => {
    const r = await plugin.handle(method, body);
    assert.ok(r, `${method} is implemented`);
    return r;
  };
  const held = (): number => networkById(cluster.leader().store.db, frontId)!.allocHeld;

  before(async () => {
    cluster = await startCluster(1);
    dir = mkdtempSync(join(tmpdir(), 'shoal-plugin-'));
    const m = cluster.leader();
    frontId = newObjectId();
    await m.write({ op: 'network.create', at: Date.now(), id: frontId, name: 'front', driver: 'overlay', subnet: '10.77.0.0/24', attachable: true, labels: {} });
    await m.write({ op: 'network.create', at: Date.now(), id: newObjectId(), name: 'back', driver: 'overlay', subnet: '10.78.0.0/24', attachable: false, labels: {} });
    const plaintext = grpc.credentials.createInsecure();
    port = new GrpcShoalPort(m.config.nodeId, () => `unix://${m.socketPath}`, () => plaintext);
    state = new PluginState(join(dir, 'docker-plugin.json'));
    plugin = new DockerPlugin({ shoal: port, docker: { endpointOwner: () => Promise.resolve(null), stopForGood: () => Promise.reject(new Error('no Docker in this test')) }, links: noLinks, state });
  });
  after(async () => {
    port.close();
    await cluster.close();
    rmSync(dir, { recursive: true, force: true });
  });

  // Proves the handshake: both roles, local scope, and that an unknown method is not answered as if implemented.
  test('activation and capabilities', async () => {
    assert.deepEqual(await call('/Plugin.Activate'), { Implements: ['NetworkDriver', 'IpamDriver'] });
    assert.equal((await call('/NetworkDriver.GetCapabilities'))['Scope'], 'local');
    assert.deepEqual(await call('/IpamDriver.GetCapabilities'), { RequiresMACAddress: false, RequiresRequestReplay: false });
    assert.equal(await plugin.handle('/NetworkDriver.AllocateNetwork', {}), null);
  });

  // Proves a pool is a Shoal network: named by --ipam-opt or found by --subnet, with Shoal's subnet
  // and gateway; disagreements and non-attachable networks are refused with messages naming both sides.
  test('RequestPool maps to the Shoal network and refuses what disagrees', async () => {
    const named = await call('/IpamDriver.RequestPool', { AddressSpace: 'shoal', Pool: '', Options: { 'shoal.network': 'front' } });
    assert.deepEqual(named, { PoolID: `${POOL_PREFIX}${frontId}`, Pool: '10.77.0.0/24', Data: { 'com.docker.network.gateway': '10.77.0.1/24' } });
    assert.deepEqual(await call('/IpamDriver.RequestPool', { Pool: '10.77.0.0/24' }), named);
    const wrong = await call('/IpamDriver.RequestPool', { Pool: '10.9.0.0/24', Options: { 'shoal.network': 'front' } });
    assert.match(String(wrong['Error']), /10\.9\.0\.0\/24 disagrees with Shoal network "front", whose subnet is 10\.77\.0\.0\/24/);
    assert.match(String((await call('/IpamDriver.RequestPool', { Pool: '10.9.0.0/24' }))['Error']), /no Shoal network has subnet 10\.9\.0\.0\/24 \(attachable Shoal networks: front 10\.77\.0\.0\/24\)/);
    assert.match(String((await call('/IpamDriver.RequestPool', {}))['Error']), /--ipam-opt shoal\.network=NAME or --subnet/);
    assert.equal((await call('/IpamDriver.RequestPool', { Options: { 'shoal.network': 'back' } }))['Error'], 'network "back" is not attachable; create it with --attachable');
    assert.match(String((await call('/IpamDriver.RequestPool', { Options: { 'shoal.network': 'nope' } }))['Error']), /nope/);
    assert.match(String((await call('/IpamDriver.RequestPool', { V6: true, Pool: '10.77.0.0/24' }))['Error']), /IPv4 only/);
  });

  // Proves CreateNetwork checks Docker's pool against Shoal (under the driver's "Err" key) and remembers the mapping in its state file.
  test('CreateNetwork checks the subnet and remembers the mapping', async () => {
    const bad = await call('/NetworkDriver.CreateNetwork', { NetworkID: 'd1', Options: { 'com.docker.network.generic': { 'shoal.network': 'front' } }, IPv4Data: [{ Pool: '172.18.0.0/16', Gateway: '172.18.0.1/16' }] });
    assert.match(String(bad['Err']), /subnet 172\.18\.0\.0\/16 disagrees with Shoal network "front", whose subnet is 10\.77\.0\.0\/24/);
    assert.deepEqual(await call('/NetworkDriver.CreateNetwork', { NetworkID: 'dnet', Options: {}, IPv4Data: [{ Pool: '10.77.0.0/24', Gateway: '10.77.0.1/24' }] }), {});
    assert.equal(new PluginState(join(dir, 'docker-plugin.json')).data.networks['dnet'], frontId, 'persisted');
  });

  // Proves addresses come from Shoal's allocator: the gateway is Shoal's, a requested address is
  // honoured, a taken one is refused naming its holder, and ReleaseAddress frees the reservation.
  test('RequestAddress / ReleaseAddress are Shoal attachments', async () => {
    const pool = `${POOL_PREFIX}${frontId}`;
    const gw = await call('/IpamDriver.RequestAddress', { PoolID: pool, Address: '', Options: { RequestAddressType: 'com.docker.network.gateway' } });
    assert.deepEqual(gw, { Address: '10.77.0.1/24', Data: {} });
    assert.equal(held(), 0, 'the gateway is not an attachment');
    const a = await call('/IpamDriver.RequestAddress', { PoolID: pool, Address: '', Options: null });
    const b = await call('/IpamDriver.RequestAddress', { PoolID: pool, Address: '10.77.0.50', Options: null });
    assert.match(String(a['Address']), /^10\.77\.0\.\d+\/24$/);
    assert.equal(b['Address'], '10.77.0.50/24');
    assert.equal(held(), 2);
    const rows = attachmentsOfNetwork(cluster.leader().store.db, frontId);
    assert.ok(rows.every((r) => r.expiresAt > 0), 'reservations until an endpoint claims them');
    const taken = await call('/IpamDriver.RequestAddress', { PoolID: pool, Address: '10.77.0.50', Options: null });
    assert.match(String(taken['Error']), /address 10\.77\.0\.50 on network "front" is already taken by container \w+/);
    assert.equal(held(), 2);
    await call('/IpamDriver.ReleaseAddress', { PoolID: pool, Address: '10.77.0.50' });
    await call('/IpamDriver.ReleaseAddress', { PoolID: pool, Address: String(a['Address']).split('/')[0] });
    await call('/IpamDriver.ReleaseAddress', { PoolID: pool, Address: '10.77.0.1' }); // the gateway: nothing to free
    assert.equal(held(), 0, 'every address back');
    assert.equal(state.data.pending.length, 0);
  });

  // Proves CreateEndpoint claims the reservation by address (RequestAddress carries no identity),
  // answers with the data plane's MAC, refuses an address it never handed out, and DeleteEndpoint frees it.
  test('CreateEndpoint claims the reservation; DeleteEndpoint frees it', async () => {
    const pool = `${POOL_PREFIX}${frontId}`;
    const a = String((await call('/IpamDriver.RequestAddress', { PoolID: pool, Address: '10.77.0.9' }))['Address']);
    const ep = await call('/NetworkDriver.CreateEndpoint', { NetworkID: 'dnet', EndpointID: 'e1', Interface: { Address: a, AddressIPv6: '', MacAddress: '' }, Options: {} });
    assert.deepEqual(ep, { Interface: { MacAddress: '02:42:0a:4d:00:09' } });
    assert.equal(state.data.endpoints['e1']?.address, '10.77.0.9/24');
    const stranger = await call('/NetworkDriver.CreateEndpoint', { NetworkID: 'dnet', EndpointID: 'e2', Interface: { Address: '10.77.0.99/24' } });
    assert.match(String(stranger['Err']), /10\.77\.0\.99 was not handed out/);
    assert.equal(held(), 1);
    assert.deepEqual(await call('/NetworkDriver.DeleteEndpoint', { NetworkID: 'dnet', EndpointID: 'e1' }), {});
    await call('/IpamDriver.ReleaseAddress', { PoolID: pool, Address: '10.77.0.9' }); // Docker's release after it: already free
    assert.equal(held(), 0);
    assert.deepEqual(state.data.endpoints, {});
  });
});

// Proves the reconcile rule: a record stays only while its Docker container exists, is not exited
// or dead, and still holds the recorded endpoint (a restart with a new endpoint frees the old address).
test('staleRecords: Docker’s list decides', () => {
  const rec = (id: string, dockerId: string, endpointId: string) => ({ id, name: id, dockerId, endpointId, addresses: [] });
  const records = [rec('a', 'd-a', 'e-a'), rec('b', 'd-b', 'e-b'), rec('c', 'd-c', 'e-c'), rec('d', 'd-d', 'e-d'), rec('e', 'd-e', 'e-e')];
  const stale = staleRecords(records, [
    { dockerId: 'd-a', state: 'running', endpointIds: new Set(['e-a']) },
    { dockerId: 'd-b', state: 'exited', endpointIds: new Set(['e-b']) },
    { dockerId: 'd-c', state: 'running', endpointIds: new Set(['e-new']) },
    { dockerId: 'd-e', state: 'created', endpointIds: new Set(['e-e']) },
  ]);
  assert.deepEqual(stale.map((r) => r.id), ['b', 'c', 'd']);
});

// Proves the data plane's plan for a Docker endpoint: the veth's other end is made in the host
// namespace with the endpoint's MAC and no address, no task namespace is made, and it joins br0.
test('data plane plan for a Docker endpoint', () => {
  const peer = hostPeerName('own1');
  const desired = desiredState({
    tag: 'shoal-n1-',
    port: 4789,
    mtu: 1450,
    localVtep: '192.0.2.1',
    endpoints: [{ ownerId: 'own1', networkId: 'net1', vni: 4096, address: '10.77.0.5/24', gateway: '10.77.0.1', index: 0, hostPeer: peer }],
    peers: [],
    internal: new Set(),
  });
  assert.equal(desired.taskNamespaces.size, 0);
  const steps = planChanges(desired, { namespaces: new Set(), sandboxes: new Map(), hostFirewall: [] });
  const lines = steps.flatMap((s) => s.lines.map((l) => `${s.ns ?? 'host'}: ${l}`));
  assert.ok(lines.some((l) => l.startsWith(`host: link add ${peer} mtu 1450 address 02:42:0a:4d:00:05 type veth peer name ve`) && l.endsWith('netns shoal-n1-sb-4096')), lines.join('\n'));
  assert.ok(lines.some((l) => /^shoal-n1-sb-4096: link set ve\w+ master br0 up$/.test(l)));
  assert.ok(!lines.some((l) => l.includes('addr add 10.77.0.5')), 'Docker configures the address');
});
