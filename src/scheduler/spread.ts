/**
 * The spread choice for one group of identical tasks (same service, constraints, reservations,
 * limit and preferences) over the nodes that passed the static filters.
 *
 * Order of nodes: fewest recent failures of this service (so nodes where it failed come last),
 * then fewest tasks of this service, then fewest tasks overall, then node ID. With placement
 * preferences the nodes form a tree, one level per preference (nodes grouped by the label's
 * value; nodes without the label are a group of their own): each task goes down the branch
 * holding the fewest tasks of this service (ties by value), then to the best node of that leaf.
 *
 * Every heap holds node positions or branches; placing a task changes only the keys on one
 * root-to-leaf path, each the top of its heap, so a placement costs O(depth × log n).
 */
import { Heap } from './heap.js';

/**
 * Mutable per-batch arrays indexed by node position (nodes sorted by ID, so a smaller position
 * is a smaller ID). `serviceTasks` and `failures` hold the current group's service.
 */
export interface SpreadCounters {
  readonly total: Int32Array;
  readonly serviceTasks: Int32Array;
  readonly failures: Int32Array;
}

/**
 * One preference level: each node's group as a rank of its label value in sorted order, nodes
 * without the label ranked after every value. Ranks keep comparisons and grouping integer-only.
 */
export type LevelRanks = Int32Array;

interface Branch {
  /** The rank of the label value shared by this subtree (see LevelRanks). */
  readonly rank: number;
  /** Tasks of this service on the subtree's nodes. Invariant: the sum over its nodes. */
  serviceTasks: number;
  readonly children: Heap<Branch> | null;
  readonly leaf: Heap<number> | null;
}

export function nodeLess(c: SpreadCounters): (a: number, b: number) => boolean {
  const { failures, serviceTasks, total } = c;
  return (a, b) => {
    const fa = failures[a] ?? 0;
    const fb = failures[b] ?? 0;
    if (fa !== fb) return fa < fb;
    const sa = serviceTasks[a] ?? 0;
    const sb = serviceTasks[b] ?? 0;
    if (sa !== sb) return sa < sb;
    const ta = total[a] ?? 0;
    const tb = total[b] ?? 0;
    if (ta !== tb) return ta < tb;
    return a < b;
  };
}

function branchLess(a: Branch, b: Branch): boolean {
  if (a.serviceTasks !== b.serviceTasks) return a.serviceTasks < b.serviceTasks;
  return a.rank < b.rank;
}

/**
 * The same choice as a SpreadTree without preferences, by one scan: cheaper for groups of a
 * few tasks (a new single-task service) than building a heap over every eligible node.
 */
export function pickBest(candidates: readonly number[], less: (a: number, b: number) => boolean, fits: (node: number) => boolean): number {
  let best = -1;
  for (const n of candidates) {
    if ((best < 0 || less(n, best)) && fits(n)) best = n;
  }
  return best;
}

export class SpreadTree {
  private readonly root: Branch;
  private readonly less: (a: number, b: number) => boolean;
  private readonly stepsMax: number;

  /**
   * @param eligible node positions that passed the static filters (taken over, not copied)
   * @param levels one per preference, indexed by node position
   */
  constructor(eligible: number[], levels: readonly LevelRanks[], private readonly counters: SpreadCounters) {
    this.less = nodeLess(counters);
    this.root = this.build(-1, eligible, levels, 0);
    // Each step either places or drops a node or a branch, and there are fewer branches than nodes per level.
    this.stepsMax = eligible.length * (levels.length + 2) + 2;
  }

  /**
   * Chooses the best node that `fits`, lets `place` record the task there (it must raise
   * serviceTasks/total of that node by one), and re-orders. Nodes that do not fit are dropped
   * for good: within a group, free resources only shrink and service counts only grow.
   * Returns the node position, or -1 when no node fits.
   */
  placeNext(fits: (node: number) => boolean, place: (node: number) => void): number {
    const path: Branch[] = [];
    for (let step = 0; step < this.stepsMax; step++) {
      path.length = 0;
      let b = this.root;
      while (b.children !== null) {
        const child = b.children.peek();
        if (child === undefined) return -1; // only the root can be empty; emptied inner branches are removed
        path.push(child);
        b = child;
      }
      const leaf = b.leaf;
      if (leaf === null) throw new Error('spread: a branch with neither children nor nodes');
      let node = leaf.peek();
      while (node !== undefined && !fits(node)) {
        leaf.pop();
        node = leaf.peek();
      }
      if (node === undefined) {
        if (path.length === 0) return -1;
        this.removeExhausted(path);
        continue;
      }
      this.commit(path, leaf, node, place);
      return node;
    }
    throw new Error('spread: placement did not converge within its step bound');
  }

  private commit(path: readonly Branch[], leaf: Heap<number>, node: number, place: (node: number) => void): void {
    const before = this.counters.serviceTasks[node] ?? 0;
    place(node);
    if (this.counters.serviceTasks[node] !== before + 1) throw new Error('spread: place() must count the task on its node');
    leaf.updateTop();
    for (const b of path) b.serviceTasks += 1;
    // Deepest first: each branch on the path is the top of its parent's heap.
    for (let i = path.length - 1; i >= 0; i--) {
      const parent = i === 0 ? this.root : path[i - 1];
      parent?.children?.updateTop();
    }
  }

  /** The leaf at the end of `path` has no fitting node: drop it, and any parent it leaves empty. */
  private removeExhausted(path: readonly Branch[]): void {
    for (let i = path.length - 1; i >= 0; i--) {
      const parent = i === 0 ? this.root : path[i - 1];
      const heap = parent?.children;
      if (heap === null || heap === undefined || heap.peek() !== path[i]) throw new Error('spread: exhausted branch is not on top');
      heap.pop();
      if (heap.size > 0) return;
    }
  }

  private build(rank: number, nodes: number[], levels: readonly LevelRanks[], depth: number): Branch {
    const counts = this.counters.serviceTasks;
    let serviceTasks = 0;
    for (let i = 0; i < nodes.length; i++) serviceTasks += counts[nodes[i] ?? 0] ?? 0;
    const level = levels[depth];
    if (level === undefined) {
      return { rank, serviceTasks, children: null, leaf: new Heap(nodes, this.less) };
    }
    const groups = new Map<number, number[]>();
    for (const n of nodes) {
      const v = level[n] ?? -1;
      const g = groups.get(v);
      if (g === undefined) groups.set(v, [n]);
      else g.push(n);
    }
    const children: Branch[] = [];
    for (const [v, members] of groups) children.push(this.build(v, members, levels, depth + 1));
    return { rank, serviceTasks, children: new Heap(children, branchLess), leaf: null };
  }
}
