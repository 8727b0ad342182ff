/**
 * Global services: one task per eligible node. This computes the difference between what runs
 * and what should, as a pure function; the orchestrator turns it into task creations (each
 * pinned to its node through `SchedTask.nodeId`, so `scheduleBatch` still checks resources and
 * explains a task that does not fit) and removals.
 *
 * A node needs a task when it is ready, active and satisfies the constraints. An existing task
 * is removed when its node left the cluster, was drained, or no longer satisfies the
 * constraints; on a paused, down or unknown node it stays (the node may come back) but no new
 * task is created there.
 */
import { firstUnmet, parseConstraints, subjectOf } from './constraints.js';
import { availabilityFilter } from './filters.js';
import { ok } from './types.js';
import type { Result, SchedNode } from './types.js';

export interface GlobalServiceSpec {
  readonly serviceId: string;
  readonly constraints: readonly string[];
}

/** A task of the service that is not yet finished, and the node it is for. */
export interface ExistingTask {
  readonly id: string;
  readonly nodeId: string;
}

export interface GlobalDiff {
  /** Node IDs that need a new task, in ID order. */
  readonly createOn: readonly string[];
  /** Tasks to shut down, in task ID order, each with the reason for the task's status message. */
  readonly remove: readonly { readonly taskId: string; readonly reason: string }[];
}

export function globalServiceTasks(spec: GlobalServiceSpec, nodes: readonly SchedNode[], existing: readonly ExistingTask[]): Result<GlobalDiff> {
  const parsed = parseConstraints(spec.constraints);
  if (!parsed.ok) return parsed;
  const byId = new Map<string, SchedNode>();
  for (const n of nodes) {
    if (byId.has(n.id)) throw new Error(`globalServiceTasks: node ${n.id} is listed twice`);
    byId.set(n.id, n);
  }
  const remove: { taskId: string; reason: string }[] = [];
  const covered = new Set<string>();
  const ordered = [...existing].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  for (const task of ordered) {
    const node = byId.get(task.nodeId);
    const reason = node === undefined
      ? `node ${task.nodeId} is no longer in the cluster`
      : node.availability === 'drain'
        ? `node ${node.hostname} is drained`
        : unmetReason(parsed.value, node);
    if (reason !== undefined) remove.push({ taskId: task.id, reason });
    else if (covered.has(task.nodeId)) remove.push({ taskId: task.id, reason: `node ${task.nodeId} already runs a task of this global service` });
    else covered.add(task.nodeId);
  }
  const createOn = [...byId.values()]
    .filter((n) => !covered.has(n.id) && availabilityFilter(n) === null && firstUnmet(parsed.value, subjectOf(n)) === undefined)
    .map((n) => n.id)
    .sort();
  return ok({ createOn, remove });
}

function unmetReason(constraints: Parameters<typeof firstUnmet>[0], node: SchedNode): string | undefined {
  const unmet = firstUnmet(constraints, subjectOf(node));
  return unmet === undefined ? undefined : `node ${node.hostname} no longer satisfies constraint ${unmet.text}`;
}
