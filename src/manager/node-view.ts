import type { Node } from '../generated/shoal/v1/Node.js';
import type { NodeRole as ProtoRole } from '../generated/shoal/v1/NodeRole.js';
import type { NodeAvailability as ProtoAvailability } from '../generated/shoal/v1/NodeAvailability.js';
import { ShoalError } from '../errors.js';
import type { Availability, NodeRole } from './store/commands.js';
import type { NodeRecord } from './store/queries.js';

/** Runtime facts overlaid on the stored node: who leads right now. */
export interface NodeOverlay {
  readonly leaderRaftId: number;
  /** Raft IDs of the current members; a manager outside them shows as removed (e.g. after a forced new cluster). */
  readonly members?: ReadonlySet<number>;
  /** Raft learners: managers still catching up with the log (not voting yet). */
  readonly learners?: readonly number[];
}

/** The stored node as the API shows it. */
export function nodeToProto(n: NodeRecord, overlay: NodeOverlay): Node {
  const manager = n.role === 'manager';
  // Liveness comes from the dispatcher's heartbeats; a manager without a session yet is judged by Raft reachability.
  const status = n.status !== 'unknown' ? STATUS_TO_PROTO[n.status] : manager ? (n.reachable ? 'NODE_STATUS_READY' : 'NODE_STATUS_DOWN') : 'NODE_STATUS_UNKNOWN';
  const statusMessage = n.statusMessage || (manager && !n.reachable ? 'the leader cannot reach this manager' : '');
  return {
    id: n.id,
    hostname: n.hostname,
    labels: { ...n.labels },
    createdUnixMs: n.createdAt,
    updatedUnixMs: n.updatedAt,
    version: n.version,
    role: manager ? 'NODE_ROLE_MANAGER' : 'NODE_ROLE_WORKER',
    status,
    availability: AVAILABILITY_TO_PROTO[n.availability],
    addr: n.addr,
    leader: manager && n.raftId === overlay.leaderRaftId,
    reachability: !manager ? 'REACHABILITY_UNSPECIFIED' : isRemovedManager(n, overlay) ? 'REACHABILITY_REMOVED' : n.reachable ? 'REACHABILITY_REACHABLE' : 'REACHABILITY_UNREACHABLE',
    statusMessage,
    platform: { os: n.platform.os, arch: n.platform.arch },
    resources: { nanoCpus: n.resources.nanoCpus, memoryBytes: n.resources.memoryBytes },
    catchingUp: manager && (overlay.learners ?? []).includes(n.raftId),
    engine: n.platform.engine,
  };
}

/**
 * A manager row outside the membership. A joining manager is briefly outside it too (between
 * its node row and its conf change), but it has no status yet: its agent starts after the join.
 */
function isRemovedManager(n: NodeRecord, overlay: NodeOverlay): boolean {
  return overlay.members !== undefined && !overlay.members.has(n.raftId) && n.status !== 'unknown';
}

const STATUS_TO_PROTO = { ready: 'NODE_STATUS_READY', down: 'NODE_STATUS_DOWN' } as const;

const AVAILABILITY_TO_PROTO: Readonly<Record<Availability, ProtoAvailability>> = {
  active: 'NODE_AVAILABILITY_ACTIVE',
  pause: 'NODE_AVAILABILITY_PAUSE',
  drain: 'NODE_AVAILABILITY_DRAIN',
};

export function availabilityFromProto(a: ProtoAvailability | undefined): Availability | undefined {
  switch (a) {
    case undefined:
    case 'NODE_AVAILABILITY_UNSPECIFIED':
    case 0:
      return undefined;
    case 'NODE_AVAILABILITY_ACTIVE':
    case 1:
      return 'active';
    case 'NODE_AVAILABILITY_PAUSE':
    case 2:
      return 'pause';
    case 'NODE_AVAILABILITY_DRAIN':
    case 3:
      return 'drain';
    default:
      throw new ShoalError('INVALID_ARGUMENT', `availability: unknown value ${String(a)} (expected active, pause or drain)`);
  }
}

export function roleFromProto(r: ProtoRole | undefined): NodeRole | undefined {
  switch (r) {
    case undefined:
    case 'NODE_ROLE_UNSPECIFIED':
    case 0:
      return undefined;
    case 'NODE_ROLE_WORKER':
    case 1:
      return 'worker';
    case 'NODE_ROLE_MANAGER':
    case 2:
      return 'manager';
    default:
      throw new ShoalError('INVALID_ARGUMENT', `role: unknown value ${String(r)} (expected manager or worker)`);
  }
}
