/**
 * The commands carried in normal log entries. Each one is a complete,
 * deterministic description of a state change: anything that differs between
 * managers (the time, fresh IDs, token hashes) is decided by the proposer and
 * written into the command, never computed at apply time.
 */
import type { NetworkCommand } from './network-commands.js';
import type { CaCommand } from './ca-rotation.js';
import type { ServiceCommand } from './service-commands.js';
import type { TaskCommand } from './task-commands.js';

export type NodeRole = 'manager' | 'worker';
export type Availability = 'active' | 'pause' | 'drain';

export interface ClusterSettings {
  readonly defaultAddrPools: readonly string[];
  readonly defaultAddrPoolMaskLength: number;
  readonly dispatcherHeartbeatMs: number;
  readonly snapshotEveryEntries: number;
  /** Lifetime of node certificates (`init --cert-expiry`); absent = 90 days. */
  readonly certExpiryMs?: number;
  /** UDP port of the VXLAN data path (`init --data-path-port`); absent = 4789. */
  readonly dataPathPort?: number;
  /**
   * How long a node whose session stream broke (its process died) has to open a new session
   * before it is marked down (`init --dispatcher-session-grace`); absent = 1 s.
   */
  readonly sessionLossGraceMs?: number;
}

/** Commands of the cluster and its nodes; networks and services have their own modules. */
export type CoreCommand =
  | {
      /** The first command of a cluster, applied by `shoal init` into the bootstrap snapshot. */
      readonly op: 'cluster.init';
      readonly at: number;
      readonly clusterId: string;
      readonly tokenKey: string;
      /** The cluster's root CA, made by `shoal init` (src/security/pki.ts). */
      readonly ca?: { readonly certPem: string; readonly keyPem: string; readonly digest: string };
      readonly settings: ClusterSettings;
      readonly node: { readonly id: string; readonly raftId: number; readonly hostname: string; readonly addr: string };
    }
  | {
      readonly op: 'node.join';
      readonly at: number;
      readonly id: string;
      readonly hostname: string;
      readonly role: NodeRole;
      readonly addr: string;
      /** Hash of the token presented: re-checked at apply, so a rotation racing the join wins. */
      readonly tokenHash: string;
    }
  | {
      readonly op: 'node.update';
      readonly at: number;
      readonly id: string;
      /** Optimistic concurrency: the version the client read; 0 = unconditional. */
      readonly version: number;
      readonly availability?: Availability;
      readonly role?: NodeRole;
      readonly labelsAdd?: Readonly<Record<string, string>>;
      readonly labelsRemove?: readonly string[];
    }
  | { readonly op: 'node.reachability'; readonly at: number; readonly raftId: number; readonly reachable: boolean }
  | {
      /** Liveness from the dispatcher: a session opened (ready) or heartbeats stopped (down). Batched. */
      readonly op: 'node.status';
      readonly at: number;
      readonly updates: readonly NodeStatusUpdate[];
    }
  | { readonly op: 'node.remove'; readonly at: number; readonly id: string }
  /** The leader added a promoted node's Raft ID as a learner (store/role-changes.ts). */
  | { readonly op: 'node.promotion-done'; readonly at: number; readonly id: string; readonly raftId: number }
  | { readonly op: 'token.rotate'; readonly at: number; readonly role: NodeRole }
  | {
      /** Changes cluster-wide settings (`shoal cluster update`); an absent field keeps its value. */
      readonly op: 'cluster.update';
      readonly at: number;
      /** Optimistic concurrency: the cluster version the client read; 0 = unconditional. */
      readonly version: number;
      /** Ended tasks kept per slot, 0..TASK_HISTORY_LIMIT_MAX (cluster-settings.ts). */
      readonly taskHistoryLimit?: number;
    };

export interface NodeStatusUpdate {
  readonly id: string;
  readonly status: 'ready' | 'down' | 'unknown';
  readonly message: string;
  /** Reported by the node at session start; absent = keep what is stored. */
  readonly description?: {
    readonly hostname: string;
    readonly os: string;
    readonly arch: string;
    /** The container engine the node reported ("docker 20.10.24"); absent (older entries) or '' = none. */
    readonly engine?: string;
    /** The node's data-path address (VXLAN tunnel endpoint), replicated so a new leader has it; absent (older entries) = keep. */
    readonly dataPathAddr?: string;
    readonly nanoCpus: number;
    readonly memoryBytes: number;
  };
}

/**
 * Every command a log entry can carry. `requestId`: the client's request ID of the write it
 * came from (request-ids.ts): a command whose ID was already applied changes nothing.
 */
export type Command = (CoreCommand | NetworkCommand | ServiceCommand | TaskCommand | CaCommand) & { readonly requestId?: string };

const encoder = new TextEncoder();
const decoder = new TextDecoder();

export function encodeCommand(c: Command): Uint8Array {
  return encoder.encode(JSON.stringify(c));
}

export function decodeCommand(data: Uint8Array): Command {
  const parsed: unknown = JSON.parse(decoder.decode(data));
  if (typeof parsed !== 'object' || parsed === null || typeof (parsed as { op?: unknown }).op !== 'string') {
    throw new Error('log entry does not hold a command');
  }
  return parsed as Command;
}
