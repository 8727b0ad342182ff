/**
 * `scheduleBatch`: places a batch of new tasks on nodes, or says why each waits.
 *
 * Tasks are grouped by everything that decides where they may go (service, constraints,
 * reservations, per-node limit, preferences, pinned node). For each group, in order of first
 * appearance, the static filters (availability, constraints) run once over all nodes (cached by
 * constraint set), then a SpreadTree hands out nodes one task at a time while the dynamic
 * filters (resources, per-node limit) are checked on the candidate only. The state is updated
 * as tasks are placed, so the batch spreads and later groups see earlier placements.
 *
 * Cost: O(N log N) to index nodes, then per group O(E + S) to set up (E eligible nodes, S nodes
 * holding the service) and O(depth × log E) per task. A group that runs out of nodes costs one
 * O(N) explanation, shared by all its remaining tasks.
 */
import { parseConstraints, subjectOf } from './constraints.js';
import type { Constraint, ConstraintSubject } from './constraints.js';
import { explainPending } from './explain.js';
import type { Requirement } from './explain.js';
import { availabilityFilter, constraintFilter } from './filters.js';
import { parsePlacementPrefs, preferenceValue } from './preferences.js';
import { SpreadTree, nodeLess, pickBest } from './spread.js';
import type { LevelRanks, SpreadCounters } from './spread.js';
import type { SpreadPreference } from './preferences.js';
import type { AssignmentState } from './state.js';
import type { BatchResult, SchedNode, SchedTask } from './types.js';

/** Callers split larger work into batches of at most this many tasks. */
export const batchTasksMax = 200_000;
/** A sanity bound on cluster size, so typed arrays stay small. */
export const nodesMax = 100_000;
/** Groups of at most this many tasks without preferences are placed by a scan instead of a heap. */
const scanGroupTasksMax = 4;

/** The nodes of one batch, sorted by ID, with the per-node counters the spread reads. */
interface NodeIndex {
  readonly nodes: readonly SchedNode[];
  readonly subjects: readonly ConstraintSubject[];
  readonly position: ReadonlyMap<string, number>;
  readonly freeNanoCpus: Float64Array;
  readonly freeMemoryBytes: Float64Array;
  readonly counters: SpreadCounters;
  /** Preference descriptor -> per-node value ranks, computed on first use in the batch. */
  readonly levelRanks: Map<string, LevelRanks>;
}

interface Group {
  readonly first: SchedTask;
  readonly taskPositions: number[];
}

export function scheduleBatch(tasks: readonly SchedTask[], nodes: readonly SchedNode[], state: AssignmentState): BatchResult {
  if (tasks.length > batchTasksMax) throw new Error(`scheduleBatch: ${tasks.length} tasks exceed the batch bound ${batchTasksMax}`);
  const index = indexNodes(nodes, state);
  const eligibleCache = new Map<string, readonly number[]>();
  const outcome: (string | { pending: string })[] = new Array<string | { pending: string }>(tasks.length);
  for (const group of groupTasks(tasks)) placeGroup(group, tasks, index, state, eligibleCache, outcome);

  const placements = new Map<string, string>();
  const pending = new Map<string, string>();
  tasks.forEach((t, i) => {
    const o = outcome[i];
    if (o === undefined) throw new Error(`scheduleBatch: task ${t.id} got no outcome`);
    if (typeof o === 'string') placements.set(t.id, o);
    else pending.set(t.id, o.pending);
  });
  return { placements, pending };
}

function indexNodes(nodes: readonly SchedNode[], state: AssignmentState): NodeIndex {
  if (nodes.length > nodesMax) throw new Error(`scheduleBatch: ${nodes.length} nodes exceed the bound ${nodesMax}`);
  const sorted = [...nodes].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  const n = sorted.length;
  const position = new Map<string, number>();
  const freeNanoCpus = new Float64Array(n);
  const freeMemoryBytes = new Float64Array(n);
  const total = new Int32Array(n);
  sorted.forEach((node, i) => {
    if (position.has(node.id)) throw new Error(`scheduleBatch: node ${node.id} is listed twice`);
    const cap = node.capacity;
    if (!(cap.nanoCpus >= 0 && cap.memoryBytes >= 0)) throw new Error(`scheduleBatch: node ${node.id} has a negative or non-numeric capacity`);
    position.set(node.id, i);
    const reserved = state.reservedOn(node.id);
    freeNanoCpus[i] = Math.max(0, node.capacity.nanoCpus - reserved.nanoCpus);
    freeMemoryBytes[i] = Math.max(0, node.capacity.memoryBytes - reserved.memoryBytes);
    total[i] = state.tasksOn(node.id);
  });
  return {
    nodes: sorted, subjects: sorted.map(subjectOf), position, freeNanoCpus, freeMemoryBytes,
    counters: { total, serviceTasks: new Int32Array(n), failures: new Int32Array(n) },
    levelRanks: new Map(),
  };
}

/** Groups in order of first appearance; within a group, tasks keep their input order. */
function groupTasks(tasks: readonly SchedTask[]): Group[] {
  const seenIds = new Set<string>();
  const groups = new Map<string, Group>();
  tasks.forEach((t, i) => {
    if (seenIds.has(t.id)) throw new Error(`scheduleBatch: task ${t.id} is listed twice`);
    seenIds.add(t.id);
    const key = groupKey(t);
    const g = groups.get(key);
    if (g === undefined) groups.set(key, { first: t, taskPositions: [i] });
    else g.taskPositions.push(i);
  });
  return [...groups.values()];
}

function groupKey(t: SchedTask): string {
  // \u0001 and \u0002 cannot appear in IDs or expressions the API accepts, so keys do not collide.
  return [
    t.serviceId, t.constraints.join('\u0002'), t.reservations.nanoCpus, t.reservations.memoryBytes,
    t.maxReplicasPerNode, t.placementPrefs.join('\u0002'), t.nodeId ?? '',
  ].join('\u0001');
}

function placeGroup(
  group: Group,
  tasks: readonly SchedTask[],
  index: NodeIndex,
  state: AssignmentState,
  eligibleCache: Map<string, readonly number[]>,
  outcome: (string | { pending: string })[],
): void {
  const t = group.first;
  const setPendingFrom = (from: number, message: string): void => {
    for (let k = from; k < group.taskPositions.length; k++) outcome[group.taskPositions[k] ?? -1] = { pending: message };
  };
  const constraints = parseConstraints(t.constraints);
  const prefs = parsePlacementPrefs(t.placementPrefs);
  if (!constraints.ok || !prefs.ok) {
    const error = !constraints.ok ? constraints.error : !prefs.ok ? prefs.error : undefined;
    setPendingFrom(0, `invalid placement: ${error?.message ?? 'unknown error'}`);
    return;
  }
  const req: Requirement = { serviceId: t.serviceId, constraints: constraints.value, reservations: t.reservations, maxReplicasPerNode: t.maxReplicasPerNode };
  const candidates = candidatesOf(t, constraints.value, index, eligibleCache);
  if (candidates === 'unknown-node') {
    setPendingFrom(0, `no suitable node (node ${t.nodeId ?? ''} is not in the cluster)`);
    return;
  }
  loadServiceCounters(t.serviceId, candidates, index, state);
  const { fits, place } = dynamicFilters(t, index);
  const counters = index.counters;
  const taskCount = group.taskPositions.length;
  const scan = prefs.value.length === 0 && taskCount <= scanGroupTasksMax;
  const less = nodeLess(counters);
  const tree = scan ? undefined : new SpreadTree([...candidates], prefs.value.map((p) => levelRanksOf(p, index)), counters);
  for (let k = 0; k < taskCount; k++) {
    let n: number;
    if (tree === undefined) {
      n = pickBest(candidates, less, fits);
      if (n >= 0) place(n);
    } else {
      n = tree.placeNext(fits, place);
    }
    if (n < 0) {
      const considered = t.nodeId === undefined ? index.nodes : index.nodes.filter((node) => node.id === t.nodeId);
      setPendingFrom(k, explainPending(req, considered, state));
      return;
    }
    const node = index.nodes[n];
    if (node === undefined) throw new Error('scheduleBatch: spread chose a node outside the index');
    state.assign(t.serviceId, node.id, t.reservations);
    outcome[group.taskPositions[k] ?? -1] = node.id;
  }
}

/**
 * The filters that change as tasks are placed (resources, per-node limit), over the batch's
 * arrays, and the bookkeeping of one placement on them.
 */
function dynamicFilters(t: SchedTask, index: NodeIndex): { fits: (n: number) => boolean; place: (n: number) => void } {
  const { freeNanoCpus, freeMemoryBytes, counters } = index;
  const needCpu = t.reservations.nanoCpus;
  const needMem = t.reservations.memoryBytes;
  const max = t.maxReplicasPerNode;
  const fits = (n: number): boolean =>
    (freeNanoCpus[n] ?? 0) >= needCpu && (freeMemoryBytes[n] ?? 0) >= needMem && (max === 0 || (counters.serviceTasks[n] ?? 0) < max);
  const place = (n: number): void => {
    freeNanoCpus[n] = (freeNanoCpus[n] ?? 0) - needCpu;
    freeMemoryBytes[n] = (freeMemoryBytes[n] ?? 0) - needMem;
    counters.serviceTasks[n] = (counters.serviceTasks[n] ?? 0) + 1;
    counters.total[n] = (counters.total[n] ?? 0) + 1;
  };
  return { fits, place };
}

/** Each node's rank of its value for the preference: sorted values 0..m-1, no label = m. */
function levelRanksOf(pref: SpreadPreference, index: NodeIndex): LevelRanks {
  const cached = index.levelRanks.get(pref.text);
  if (cached !== undefined) return cached;
  const values = index.subjects.map((s) => preferenceValue(pref, s));
  const distinct = [...new Set(values.filter((v): v is string => v !== undefined))].sort();
  const rankOf = new Map(distinct.map((v, i) => [v, i]));
  const ranks = new Int32Array(values.length);
  values.forEach((v, i) => {
    ranks[i] = v === undefined ? distinct.length : (rankOf.get(v) ?? distinct.length);
  });
  index.levelRanks.set(pref.text, ranks);
  return ranks;
}

/** Positions of nodes passing the static filters, cached per constraint set; for a pinned task, that node only. */
function candidatesOf(t: SchedTask, constraints: readonly Constraint[], index: NodeIndex, cache: Map<string, readonly number[]>): readonly number[] | 'unknown-node' {
  if (t.nodeId !== undefined) {
    const pinned = index.position.get(t.nodeId);
    if (pinned === undefined) return 'unknown-node';
    const node = index.nodes[pinned] as SchedNode;
    const passes = availabilityFilter(node) === null && constraintFilter(constraints, index.subjects[pinned] as ConstraintSubject) === null;
    return passes ? [pinned] : [];
  }
  const key = t.constraints.join('\u0002');
  let eligible = cache.get(key);
  if (eligible === undefined) {
    const found: number[] = [];
    index.nodes.forEach((node, i) => {
      if (availabilityFilter(node) === null && constraintFilter(constraints, index.subjects[i] as ConstraintSubject) === null) found.push(i);
    });
    eligible = found;
    cache.set(key, eligible);
  }
  return eligible;
}

/** Loads this service's per-node task and failure counts into the shared counters for the candidates. */
function loadServiceCounters(serviceId: string, candidates: readonly number[], index: NodeIndex, state: AssignmentState): void {
  const { serviceTasks, failures } = index.counters;
  for (const n of candidates) {
    serviceTasks[n] = 0;
    failures[n] = 0;
  }
  for (const [nodeId, count] of state.serviceNodes(serviceId)) {
    const n = index.position.get(nodeId);
    if (n !== undefined) serviceTasks[n] = count;
  }
  for (const [nodeId, count] of state.serviceFailures(serviceId)) {
    const n = index.position.get(nodeId);
    if (n !== undefined) failures[n] = count;
  }
}
