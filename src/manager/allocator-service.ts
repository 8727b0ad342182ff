/**
 * The ResourceAllocator service: AttachNetwork / DetachNetwork for standalone containers.
 *
 * AttachNetwork answers once the allocation is committed and applied: the address comes from
 * the apply on the leader, which every manager repeats identically.
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
import { attachmentToProto } from './network-view.js';
import { attachmentById, attachmentsOfNetwork, type Attachment } from './store/network-queries.js';
import { callerOf } from '../security/authz.js';
import { checkAttachmentOwner } from '../security/ownership.js';
import { endpointOwnerName } from './store/alias-queries.js';
import { listNodes } from './store/queries.js';
import type { NetworkEndpoint } from '../generated/shoal/v1/NetworkEndpoint.js';
import { requestOnce } from './idempotent.js';
import { RESERVATION_TTL_MAX_MS } from './store/reservation-ttl.js';
import { hostOf } from '../network/dataplane/names.js';

const ownerIdMax = 128;

const ENDPOINT_KINDS = { task: 'ENDPOINT_KIND_TASK', container: 'ENDPOINT_KIND_CONTAINER', vip: 'ENDPOINT_KIND_VIP' } as const;

/** Every endpoint of a network with its owner and node, as `network inspect` shows them. */
export function endpointsOf(db: Database.Database, networkId: string, prefix: number, reportedDataPathAddr: (nodeId: string) => string | null = () => null): NetworkEndpoint[] {
  const nodes = new Map(listNodes(db).map((n) => [n.id, n]));
  return attachmentsOfNetwork(db, networkId).map((a) => {
    const node = nodes.get(a.nodeId);
    const nodeStatus = !node ? 'removed' : node.status !== 'unknown' ? node.status : node.role === 'manager' ? (node.reachable ? 'ready' : 'down') : 'unknown';
    return {
      id: a.id,
      kind: ENDPOINT_KINDS[a.ownerKind],
      ownerId: a.ownerId,
      ownerName: endpointOwnerName(db, a.ownerKind, a.ownerId),
      nodeId: a.nodeId,
      nodeHostname: node?.hostname ?? '',
      nodeStatus,
      nodeDown: nodeStatus === 'down' || nodeStatus === 'removed',
      address: `${formatIpv4(a.address)}/${prefix}`,
      reservedUntilUnixMs: a.expiresAt,
      dataPathAddr: node ? (reportedDataPathAddr(node.id) ?? hostOf(node.addr)) : '',
    };
  });
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
        const once = requestOnce(m, req.requestId, 'attachment.attach');
        if (once.repeat) return { attachment: attachmentToProto(once.repeat.result as Attachment) };
        const containerId = req.containerId.trim();
        if (containerId === '' || containerId.length > ownerIdMax || !/^[A-Za-z0-9_.-]+$/.test(containerId)) {
          throw new ShoalError('INVALID_ARGUMENT', `container_id: "${req.containerId}" is not a valid container ID (1-${ownerIdMax} letters, digits, '_', '.' or '-')`);
        }
        if (req.nodeId.trim() === '') throw new ShoalError('INVALID_ARGUMENT', 'node_id: the node the container runs on is required');
        if (req.network.trim() === '') throw new ShoalError('INVALID_ARGUMENT', 'network: a network ID, ID prefix or name is required');
        const reserveMs = Number(req.reservationTtlMs ?? 0);
        if (reserveMs > RESERVATION_TTL_MAX_MS) {
          throw new ShoalError('INVALID_ARGUMENT', `reservation_ttl_ms: ${reserveMs} is more than the ${RESERVATION_TTL_MAX_MS} ms a reservation may last`);
        }
        const result = (await m.write({
          ...once.tag,
          op: 'attachment.attach',
          at: Date.now(),
          network: req.network.trim(),
          ownerKind: 'container',
          ownerId: containerId,
          nodeId: req.nodeId.trim(),
          ...(req.requestedAddress.trim() !== '' ? { address: req.requestedAddress.trim() } : {}),
          ...(reserveMs > 0 ? { reserveMs } : {}),
        })) as Attachment;
        return { attachment: attachmentToProto(result) };
      }),
    ),
    DetachNetwork: unary((req, call) =>
      onLeader(m, call, allocatorAt, (c) => c.DetachNetwork.bind(c), async () => {
        const once = requestOnce(m, req.requestId, 'attachment.detach');
        if (once.repeat) return {};
        const id = req.attachmentId.trim();
        if (id === '') throw new ShoalError('INVALID_ARGUMENT', 'attachment_id: the ID returned by AttachNetwork is required');
        const attachment = attachmentById(m.store.db, id);
        if (attachment) checkAttachmentOwner(callerOf(call.metadata), attachment); // a missing one is refused by the write
        await m.write({ ...once.tag, op: 'attachment.detach', at: Date.now(), id });
        return {};
      }),
    ),
  };
  server.addService(v1.ResourceAllocator.service, handlers);
}
