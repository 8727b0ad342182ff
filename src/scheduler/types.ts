/**
 * Plain input types of the placement engine. The scheduler is a set of pure functions over
 * these; the store, orchestrator and dispatcher adapt their records to them, so nothing here
 * depends on protos, SQLite or time.
 */
import type { ErrorRecord } from '../errors.js';

export type NodeRole = 'manager' | 'worker';
export type NodeStatus = 'ready' | 'down' | 'unknown';
export type NodeAvailability = 'active' | 'pause' | 'drain';

/** CPU in 1e-9 CPUs (1 CPU = 1_000_000_000) and memory in bytes. Both are >= 0 integers. */
export interface Resources {
  readonly nanoCpus: number;
  readonly memoryBytes: number;
}

export const noResources: Resources = Object.freeze({ nanoCpus: 0, memoryBytes: 0 });

export interface SchedNode {
  readonly id: string;
  readonly hostname: string;
  readonly role: NodeRole;
  readonly status: NodeStatus;
  readonly availability: NodeAvailability;
  readonly labels: Readonly<Record<string, string>>;
  /**
   * As Node's process.platform / process.arch name them: "linux", "x64", "arm64"; `engine` is the
   * container engine the node reported ("docker 20.10.24"), absent or '' = none.
   */
  readonly platform: { readonly os: string; readonly arch: string; readonly engine?: string };
  /** What the worker reported at session start; zero if it has not reported yet. */
  readonly capacity: Resources;
}

export interface SchedTask {
  readonly id: string;
  readonly serviceId: string;
  readonly slot?: number;
  /** Raw expressions as the user gave them, e.g. "node.labels.zone==east". */
  readonly constraints: readonly string[];
  readonly reservations: Resources;
  /** At most this many tasks of the service on one node; 0 = unlimited. */
  readonly maxReplicasPerNode: number;
  /** Spread descriptors applied in order, e.g. "node.labels.zone" (a leading "spread=" is accepted). */
  readonly placementPrefs: readonly string[];
  /**
   * Global-service tasks are created for one node: the scheduler places such a task there
   * if that node passes every filter, and otherwise leaves it pending with the reason.
   */
  readonly nodeId?: string;
}

/** A task that already holds a node (assigned or running), as the store reports it. */
export interface AssignedTask {
  readonly serviceId: string;
  readonly nodeId: string;
  readonly reservations: Resources;
}

/** Failures of a service's tasks on a node within the caller's "recent" window. */
export interface RecentFailure {
  readonly serviceId: string;
  readonly nodeId: string;
  readonly count: number;
}

export interface BatchResult {
  /** Task ID to node ID, in the order the tasks were given. */
  readonly placements: Map<string, string>;
  /** Task ID to a message for `service ps`: why no node fits it now. */
  readonly pending: Map<string, string>;
}

export type Result<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly error: ErrorRecord };

export function ok<T>(value: T): Result<T> {
  return { ok: true, value };
}

export function invalid<T = never>(message: string): Result<T> {
  return { ok: false, error: { code: 'INVALID_ARGUMENT', message } };
}
