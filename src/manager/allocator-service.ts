/**
 * The ResourceAllocator service (AttachNetwork / DetachNetwork for standalone containers) and
 * the network diagnostics service behind `network inspect` (endpoints) and `network check`.
 *
 * AttachNetwork answers once the allocation is committed and applied: the address comes from
 * the apply on the leader, which every manager repeats identically.
 *
 * The diagnostics are not in proto/ yet: control.proto's Network has no endpoint list and
 * there is no check RPC. Until they are added, they are served as a small JSON-over-gRPC
 * service, `shoal.internal.NetworkDiagnostics`, on the same server.
 */
import type * as grpc from '@grpc/grpc-js';
import type { ResourceAllocatorClient, ResourceAllocatorHandlers } from '../generated/shoal/v1/ResourceAllocator.js';
import type Database from 'better-sqlite3';
import { loadProtos } from '../proto/load.js';
import { ShoalError } from '../errors.js';
import { formatIpv4 } from '../network/cidr.js';
import { onLeader } from './forward.js';
import { unary } from './grpc-util.js';
import type { Manager } from './manager.js';
import { attachmentToProto, networkToProto } from './network-view.js';
import { attachmentsOfNetwork, checkNetworks, containerById, resolveNetwork, type Attachment, type NetworkCheck } from './store/network-queries.js';
import { listNodes } from './store/queries.js';
import type { Network } from '../generated/shoal/v1/Network.js';

export const DIAGNOSTICS_SERVICE = 'shoal.internal.NetworkDiagnostics';
const ownerIdMax = 128;

/** One endpoint of a network, as `network inspect` shows it. */
export interface EndpointView {
  readonly id: string;
  readonly kind: 'task' | 'container';
  readonly owner: string;
  /** Container name when known. */
  readonly ownerName: string;
  readonly node: string;
  readonly nodeHostname: string;
  /** ready / down / unknown (workers until the dispatcher reports) / removed. */
  readonly nodeStatus: 'ready' | 'down' | 'unknown' | 'removed';
  readonly nodeDown: boolean;
  readonly address: string;
}

export interface InspectNetworkReply {
  readonly network: Network;
  readonly endpoints: EndpointView[];
  readonly held: number;
  readonly capacity: number;
}

export interface CheckNetworksReply {
  readonly networks: NetworkCheck[];
}

function endpointsOf(db: Database.Database, networkId: string, prefix: number): EndpointView[] {
  const nodes = new Map(listNodes(db).map((n) => [n.id, n]));
  return attachmentsOfNetwork(db, networkId).map((a) => {
    const node = nodes.get(a.nodeId);
    const nodeStatus = !node ? 'removed' : node.role === 'manager' ? (node.reachable ? 'ready' : 'down') : 'unknown';
    return {
      id: a.id,
      kind: a.ownerKind,
      owner: a.ownerId,
      ownerName: a.ownerKind === 'container' ? (containerById(db, a.ownerId)?.name ?? '') : '',
      node: a.nodeId,
      nodeHostname: node?.hostname ?? '',
      nodeStatus,
      nodeDown: nodeStatus === 'down' || nodeStatus === 'removed',
      address: `${formatIpv4(a.address)}/${prefix}`,
    };
  });
}

/** Service definition with JSON messages (see the file comment). */
function jsonMethod(name: string): grpc.MethodDefinition<unknown, unknown> {
  const ser = (v: unknown): Buffer => Buffer.from(JSON.stringify(v));
  const de = (b: Buffer): unknown => JSON.parse(b.toString('utf8'));
  return { path: `/${DIAGNOSTICS_SERVICE}/${name}`, requestStream: false, responseStream: false, requestSerialize: ser, requestDeserialize: de, responseSerialize: ser, responseDeserialize: de };
}

export const diagnosticsDefinition: grpc.ServiceDefinition = {
  InspectNetwork: jsonMethod('InspectNetwork'),
  CheckNetworks: jsonMethod('CheckNetworks'),
};

function refOf(req: unknown): string {
  const ref = typeof req === 'object' && req !== null ? (req as { ref?: unknown }).ref : undefined;
  if (ref !== undefined && typeof ref !== 'string') throw new ShoalError('INVALID_ARGUMENT', 'ref: must be a string');
  return ref ?? '';
}

export function addAllocatorServices(server: grpc.Server, m: Manager): void {
  const v1 = loadProtos().grpcObject.shoal.v1;
  // The allocator client shares the Control client's channel to the leader, which PeerClients closes.
  const clients = new Map<string, ResourceAllocatorClient>();
  const allocatorAt = (addr: string): ResourceAllocatorClient => {
    let c = clients.get(addr);
    if (!c) {
      const channel = m.peers.controlAt(addr).getChannel();
      c = new v1.ResourceAllocator(addr, m.opts.security.channelCredentials(), { channelOverride: channel });
      clients.set(addr, c);
    }
    return c;
  };

  const handlers: ResourceAllocatorHandlers = {
    AttachNetwork: unary((req, call) =>
      onLeader(m, call, allocatorAt, (c) => c.AttachNetwork.bind(c), async () => {
        const containerId = req.containerId.trim();
        if (containerId === '' || containerId.length > ownerIdMax || !/^[A-Za-z0-9_.-]+$/.test(containerId)) {
          throw new ShoalError('INVALID_ARGUMENT', `container_id: "${req.containerId}" is not a valid container ID (1-${ownerIdMax} letters, digits, '_', '.' or '-')`);
        }
        if (req.nodeId.trim() === '') throw new ShoalError('INVALID_ARGUMENT', 'node_id: the node the container runs on is required');
        if (req.network.trim() === '') throw new ShoalError('INVALID_ARGUMENT', 'network: a network ID, ID prefix or name is required');
        const result = (await m.write({
          op: 'attachment.attach',
          at: Date.now(),
          network: req.network.trim(),
          ownerKind: 'container',
          ownerId: containerId,
          nodeId: req.nodeId.trim(),
          ...(req.requestedAddress.trim() !== '' ? { address: req.requestedAddress.trim() } : {}),
        })) as Attachment;
        return { attachment: attachmentToProto(result) };
      }),
    ),
    DetachNetwork: unary((req, call) =>
      onLeader(m, call, allocatorAt, (c) => c.DetachNetwork.bind(c), async () => {
        const id = req.attachmentId.trim();
        if (id === '') throw new ShoalError('INVALID_ARGUMENT', 'attachment_id: the ID returned by AttachNetwork is required');
        await m.write({ op: 'attachment.detach', at: Date.now(), id });
        return {};
      }),
    ),
  };
  server.addService(v1.ResourceAllocator.service, handlers);

  server.addService(diagnosticsDefinition, {
    InspectNetwork: unary<unknown, InspectNetworkReply>(async (req) => {
      const ref = refOf(req);
      return m.read((db) => {
        const n = resolveNetwork(db, ref, 'ref');
        return { network: networkToProto(n), endpoints: endpointsOf(db, n.id, n.subnet.prefix), held: n.allocHeld, capacity: n.allocCapacity };
      });
    }),
    CheckNetworks: unary<unknown, CheckNetworksReply>(async (req) => {
      const ref = refOf(req);
      return m.read((db) => ({ networks: checkNetworks(db, ref === '' ? undefined : resolveNetwork(db, ref, 'ref').id) }));
    }),
  });
}
