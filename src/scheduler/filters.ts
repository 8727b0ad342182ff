/**
 * The filters: each a small pure function over one task requirement and one node, returning
 * null (the node passes) or the reason it does not. They run in the order below, and a node is
 * counted under the first filter it fails, so the pending explanation adds up to the node count.
 */
import { firstUnmet } from './constraints.js';
import type { Constraint, ConstraintSubject } from './constraints.js';
import type { Resources, SchedNode } from './types.js';

export type Rejection =
  | { readonly kind: 'unavailable' }
  | { readonly kind: 'constraint'; readonly constraint: string }
  | { readonly kind: 'cpu' }
  | { readonly kind: 'memory' }
  | { readonly kind: 'max-per-node'; readonly max: number };

export const unavailable: Rejection = Object.freeze({ kind: 'unavailable' });
const insufficientCpu: Rejection = Object.freeze({ kind: 'cpu' });
const insufficientMemory: Rejection = Object.freeze({ kind: 'memory' });

/** New tasks go only to nodes that are up and whose operator has not paused or drained them. */
export function availabilityFilter(node: Pick<SchedNode, 'status' | 'availability'>): Rejection | null {
  return node.status === 'ready' && node.availability === 'active' ? null : unavailable;
}

export function constraintFilter(constraints: readonly Constraint[], node: ConstraintSubject): Rejection | null {
  const unmet = firstUnmet(constraints, node);
  return unmet === undefined ? null : { kind: 'constraint', constraint: unmet.text };
}

/** `free` is the node's capacity minus what its tasks reserve (never negative). */
export function resourceFilter(need: Resources, free: Resources): Rejection | null {
  if (need.nanoCpus > free.nanoCpus) return insufficientCpu;
  if (need.memoryBytes > free.memoryBytes) return insufficientMemory;
  return null;
}

/** `max` 0 means unlimited; `serviceTasks` is how many tasks of this service the node holds. */
export function maxPerNodeFilter(max: number, serviceTasks: number): Rejection | null {
  return max > 0 && serviceTasks >= max ? { kind: 'max-per-node', max } : null;
}

export function freeResources(capacity: Resources, reserved: Resources): Resources {
  return {
    nanoCpus: Math.max(0, capacity.nanoCpus - reserved.nanoCpus),
    memoryBytes: Math.max(0, capacity.memoryBytes - reserved.memoryBytes),
  };
}
