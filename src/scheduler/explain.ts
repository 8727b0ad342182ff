/**
 * Why a task waits. Runs every filter over every node for one task, counts each node under the
 * first filter it fails, and formats the counts for `service ps` and `service create`'s
 * progress, e.g. "no suitable node (3 nodes not available for new tasks; 2 nodes with
 * insufficient memory: need 512MiB, most free 256MiB)".
 */
import { subjectOf } from './constraints.js';
import type { Constraint } from './constraints.js';
import { availabilityFilter, constraintFilter, freeResources, maxPerNodeFilter, resourceFilter } from './filters.js';
import type { AssignmentState } from './state.js';
import type { Resources, SchedNode } from './types.js';
import { formatBytes, formatCpus } from './units.js';

/** What a group of identical tasks asks of a node. */
export interface Requirement {
  readonly serviceId: string;
  readonly constraints: readonly Constraint[];
  readonly reservations: Resources;
  readonly maxReplicasPerNode: number;
}

export interface ReasonCounts {
  nodes: number;
  unavailable: number;
  /** Constraint text -> nodes that fail it first, in the order constraints are listed. */
  constraints: Map<string, number>;
  cpu: number;
  memory: number;
  maxPerNode: number;
  /** Most free CPU (memory) among the nodes rejected for CPU (memory): how far the best of them is from fitting. */
  mostFreeNanoCpus: number;
  mostFreeMemoryBytes: number;
}

export function countReasons(req: Requirement, nodes: readonly SchedNode[], state: AssignmentState): ReasonCounts {
  const counts: ReasonCounts = {
    nodes: nodes.length, unavailable: 0, constraints: new Map(req.constraints.map((c) => [c.text, 0])),
    cpu: 0, memory: 0, maxPerNode: 0, mostFreeNanoCpus: 0, mostFreeMemoryBytes: 0,
  };
  for (const node of nodes) {
    if (availabilityFilter(node) !== null) {
      counts.unavailable += 1;
      continue;
    }
    const unmet = constraintFilter(req.constraints, subjectOf(node));
    if (unmet !== null && unmet.kind === 'constraint') {
      counts.constraints.set(unmet.constraint, (counts.constraints.get(unmet.constraint) ?? 0) + 1);
      continue;
    }
    const free = freeResources(node.capacity, state.reservedOn(node.id));
    const short = resourceFilter(req.reservations, free);
    if (short !== null) {
      if (short.kind === 'cpu') {
        counts.cpu += 1;
        counts.mostFreeNanoCpus = Math.max(counts.mostFreeNanoCpus, free.nanoCpus);
      } else {
        counts.memory += 1;
        counts.mostFreeMemoryBytes = Math.max(counts.mostFreeMemoryBytes, free.memoryBytes);
      }
      continue;
    }
    if (maxPerNodeFilter(req.maxReplicasPerNode, state.serviceTasksOn(req.serviceId, node.id)) !== null) counts.maxPerNode += 1;
  }
  return counts;
}

export function formatReasons(req: Requirement, c: ReasonCounts): string {
  if (c.nodes === 0) return 'no suitable node (no nodes in the cluster)';
  const parts: string[] = [];
  if (c.unavailable > 0) parts.push(`${nodesText(c.unavailable)} not available for new tasks`);
  for (const [text, n] of c.constraints) if (n > 0) parts.push(`${nodesText(n)} not matching constraint ${text}`);
  if (c.cpu > 0) {
    parts.push(`${nodesText(c.cpu)} with insufficient CPU: need ${formatCpus(req.reservations.nanoCpus)}, most free ${formatCpus(c.mostFreeNanoCpus)}`);
  }
  if (c.memory > 0) {
    parts.push(`${nodesText(c.memory)} with insufficient memory: need ${formatBytes(req.reservations.memoryBytes)}, most free ${formatBytes(c.mostFreeMemoryBytes)}`);
  }
  if (c.maxPerNode > 0) {
    const tasks = req.maxReplicasPerNode === 1 ? '1 task' : `${req.maxReplicasPerNode} tasks`;
    parts.push(`${nodesText(c.maxPerNode)} already running the maximum of ${tasks} of this service per node`);
  }
  // A task is explained only when no node fits, so some filter must have rejected every node.
  if (parts.length === 0) throw new Error('explain: asked why a task waits, but a node fits it');
  return `no suitable node (${parts.join('; ')})`;
}

export function explainPending(req: Requirement, nodes: readonly SchedNode[], state: AssignmentState): string {
  return formatReasons(req, countReasons(req, nodes, state));
}

function nodesText(n: number): string {
  return n === 1 ? '1 node' : `${n} nodes`;
}
