import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as grpc from '@grpc/grpc-js';
import type { AttachNetworkResponse__Output } from '../../src/generated/shoal/v1/AttachNetworkResponse.js';
import { loadProtos } from '../../src/proto/load.js';
import { ShoalError } from '../../src/errors.js';
import { unaryCall, type Api } from '../../bin/client.js';
import * as net from '../../bin/commands/network-api.js';
import { startCluster, waitFor } from '../helpers/in-process-cluster.js';

function attach(api: Api, network: string, containerId: string, nodeId: string): Promise<AttachNetworkResponse__Output> {
  const c = new (loadProtos().grpcObject.shoal.v1.ResourceAllocator)(api.target, grpc.credentials.createInsecure(), { channelOverride: api.control.getChannel() });
  return unaryCall(api.target, (md, o, cb) => c.AttachNetwork({ network, containerId, nodeId, reservationTtlMs: 600_000 }, md, o, cb), 5_000);
}

// Proves the IPAM invariant across a leader failure in the middle of an attach burst: clients
// attach through every manager, the leader is shut down mid-burst, the survivors elect a new one
// and the burst goes on. Afterwards every acknowledged attachment is present with the address it
// was given on every surviving manager, no address is held twice, and every endpoint belongs to
// a request some client made (acknowledged, or failed with an unknown outcome): no orphan.
test('attach burst across a leader failure: no duplicate, no lost acknowledged attachment, no orphan', async () => {
  const c = await startCluster(3);
  try {
    const nodeId = c.managers[0]!.config.nodeId;
    await net.createNetwork(c.apis[0]!, { name: 'burst', subnet: '10.88.0.0/22', attachable: true });
    const acked = new Map<string, { id: string; address: string }>(); // containerId -> attachment
    const unknown = new Set<string>(); // requests whose outcome the client could not learn
    const down = new Set<number>();
    let stop = false;
    let seq = 0;
    const clients = Array.from({ length: 24 }, async (_, client) => {
      for (let i = 0; !stop; i++) {
        const live = [0, 1, 2].filter((m) => !down.has(m));
        const m = live[(client + i) % live.length]!;
        const containerId = `b${client}-${seq++}`;
        try {
          const r = await attach(c.apis[m]!, 'burst', containerId, nodeId);
          acked.set(containerId, { id: r.attachment!.id, address: r.attachment!.address });
        } catch (e) {
          const err = e instanceof ShoalError ? e : new ShoalError('INTERNAL', String(e));
          // UNAVAILABLE / DEADLINE_EXCEEDED during the failover: the request may or may not have committed.
          assert.ok(['UNAVAILABLE', 'DEADLINE_EXCEEDED', 'INTERNAL'].includes(err.code), `${err.code}: ${err.message}`);
          unknown.add(containerId);
          await new Promise((r) => setTimeout(r, 20));
        }
      }
    });
    await waitFor(() => acked.size >= 150, 30_000, '150 acknowledged attachments');
    const leaderIndex = c.managers.findIndex((m) => m.shell.isLeader);
    down.add(leaderIndex);
    await c.managers[leaderIndex]!.close();
    const survivors = [0, 1, 2].filter((i) => i !== leaderIndex);
    await waitFor(() => survivors.some((i) => c.managers[i]!.shell.isLeader), 10_000, 'a new leader');
    const before = acked.size;
    await waitFor(() => acked.size >= before + 150, 30_000, '150 more acknowledged attachments after the failover');
    stop = true;
    await Promise.all(clients);

    const views = await Promise.all(survivors.map((i) => net.getNetwork(c.apis[i]!, 'burst')));
    const [a, b] = views.map((v) => v.endpoints.map((e) => `${e.id}=${e.ownerId}=${e.address}`).sort());
    assert.deepEqual(a, b, 'both surviving managers hold the same endpoints');
    const endpoints = views[0]!.endpoints;
    assert.equal(new Set(endpoints.map((e) => e.address)).size, endpoints.length, 'no address held twice');
    const byOwner = new Map(endpoints.map((e) => [e.ownerId, e]));
    for (const [containerId, att] of acked) {
      const e = byOwner.get(containerId);
      assert.ok(e, `acknowledged attachment of ${containerId} is present`);
      assert.equal(e.id, att.id);
      assert.equal(e.address, att.address);
    }
    for (const e of endpoints) assert.ok(acked.has(e.ownerId) || unknown.has(e.ownerId), `endpoint ${e.ownerId} was requested by a client`);
    const check = await net.checkNetworks(c.apis[survivors[0]!]!, 'burst');
    assert.deepEqual(check.networks[0]?.problems, []);
  } finally {
    await c.close();
  }
});
