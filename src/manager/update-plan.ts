/**
 * The rolling updater's decision for one service, as a pure function of the
 * service, its tasks, the nodes and the time. The orchestrator calls it every
 * round for each service whose update status is `updating` or
 * `rollback-started` and turns the plan into commands; all progress lives in
 * the replicated rows (task specs, creation times, statuses, the service's
 * update status), so a new leader picks a rollout up where the old one was.
 *
 * Per slot (per node for a global service):
 * - a task whose spec differs from the service's (command, env, resources,
 *   restart policy, networks — or, for a replicated service, whose node no
 *   longer satisfies the constraints) is outdated and waits its turn;
 * - a task of the current spec created since the rollout started is in
 *   flight until it has run for `delayMs` (the wait between batches);
 * - at most `parallelism` slots are in flight (0 = no limit); free places
 *   go to outdated slots in slot order;
 * - a start-first replacement that is itself outdated (the spec moved on, or
 *   was rolled back, before it ran) is shut down; its slot keeps the task it
 *   was to replace.
 * A task of the current spec that failed since the rollout started — before
 * it ran, or within `monitorMs` of starting — triggers the failure action
 * once the failures exceed `maxFailureRatio` of the slots updated so far. A
 * rollback uses the spec's `rollbackConfig` (pause or continue); without one,
 * the update config, and its first failure pauses it. When no slot is outdated or in
 * flight and every new task has been watched for `monitorMs`, the rollout is
 * complete.
 */
import { firstUnmet, parseConstraints, subjectOf } from '../scheduler/constraints.js';
import type { SchedNode } from '../scheduler/types.js';
import type { ServiceSpecRecord, TaskTemplateSpec, UpdateStatusRecord } from './store/service-commands.js';
import type { ServiceRecord, TaskRecord } from './store/service-queries.js';

export interface UpdatePlan {
  /** Outdated tasks to replace now, in slot order. */
  readonly replace: readonly { readonly taskId: string; readonly startFirst: boolean }[];
  /** Start-first replacements that are outdated before they ran (each only while it still replaces `ifReplaces`). */
  readonly shutdown: readonly { readonly taskId: string; readonly reason: string; readonly ifReplaces: string }[];
  /** A new update status to record (paused, completed…). */
  readonly status?: UpdateStatusRecord;
  /** Roll back to the previous spec, for this reason (failure action `rollback`). */
  readonly rollback?: string;
}

const NOTHING: UpdatePlan = { replace: [], shutdown: [] };
const FAILED_STATES: ReadonlySet<string> = new Set(['failed', 'rejected']);

export function planUpdate(service: ServiceRecord, tasks: readonly TaskRecord[], nodes: ReadonlyMap<string, SchedNode>, now: number): UpdatePlan {
  const st = service.updateStatus;
  if (st === null || (st.state !== 'updating' && st.state !== 'rollback-started')) return NOTHING;
  const rollingBack = st.state === 'rollback-started';
  const spec = service.spec;
  // A rollback follows the rollback settings of the spec it returns to (docker's rule); without
  // them, the update settings, and its first failure pauses it.
  const rollbackCfg = rollingBack ? spec.rollbackConfig : undefined;
  const cfg = rollbackCfg ?? spec.updateConfig;
  const outdated = outdatedCheck(spec, nodes);

  // Tasks created by or since the entry that started the rollout are its new tasks (Raft indexes: no clocks compared).
  const isNew = (t: TaskRecord): boolean => t.createdIndex >= st.startedIndex;
  const failures = monitoredFailures(tasks, isNew, cfg.monitorMs, outdated);
  const failed = failures[0];
  const strict = rollingBack && rollbackCfg === undefined;
  const tolerated = !strict && failures.length / Math.max(1, updatedSlots(tasks, isNew, outdated)) <= (cfg.maxFailureRatio ?? 0);
  if (failed !== undefined && !tolerated && (strict || cfg.failureAction !== 'continue')) {
    const what = `task ${failed.id} (slot ${slotName(failed)}) ${failed.status.state}: ${failed.status.message || failed.status.err || 'no message'}`;
    if (rollingBack) return { ...NOTHING, status: { ...st, state: 'rollback-paused', message: `rollback paused: ${what}` } };
    if (cfg.failureAction === 'rollback' && service.previousSpec !== null) return { ...NOTHING, rollback: `update failed: ${what}` };
    return { ...NOTHING, status: { ...st, state: 'paused', message: `update paused: ${what}` } };
  }

  const groups = new Map<string, { primary?: TaskRecord; replacement?: TaskRecord }>();
  for (const t of tasks) {
    if (t.desiredState !== 'running') continue;
    const key = t.slot > 0 ? `s${t.slot}` : `n${t.nodeId}`;
    const g = groups.get(key) ?? {};
    if (t.replaces !== '') g.replacement = t;
    else g.primary = t;
    groups.set(key, g);
  }
  let inFlight = 0;
  let watching = false;
  // A global service's slot on a node that is not ready waits for the node (or its removal) without
  // holding back the other nodes; the rollout completes only once it is done.
  let waitingForNodes = false;
  const nodeReady = (id: string): boolean => nodes.get(id)?.status === 'ready';
  const candidates: TaskRecord[] = [];
  const shutdown: { taskId: string; reason: string; ifReplaces: string }[] = [];
  for (const g of groups.values()) {
    const anyTask = g.primary ?? g.replacement;
    if (spec.mode === 'global' && anyTask && !nodeReady(anyTask.nodeId)) {
      waitingForNodes = true;
      continue;
    }
    if (g.replacement) {
      if (outdated(g.replacement)) {
        shutdown.push({ taskId: g.replacement.id, reason: 'the spec changed before this start-first replacement ran', ifReplaces: g.replacement.replaces });
      }
      else {
        inFlight++;
        continue;
      }
    }
    const p = g.primary;
    if (!p) continue;
    if (outdated(p)) {
      candidates.push(p);
      continue;
    }
    if (!isNew(p)) continue; // already of this spec before the rollout: nothing to do
    const ranAt = runningSince(p);
    if (ranAt === null) {
      inFlight++;
      continue;
    }
    if (now - ranAt < cfg.delayMs) inFlight++;
    if (now - ranAt < cfg.monitorMs) watching = true;
  }
  const places = cfg.parallelism === 0 ? candidates.length : Math.max(0, cfg.parallelism - inFlight);
  const replace = candidates
    .sort(bySlot)
    .slice(0, places)
    .map((t) => ({ taskId: t.id, startFirst: cfg.order === 'start-first' }));
  if (candidates.length === 0 && inFlight === 0 && shutdown.length === 0 && !watching && !waitingForNodes) {
    const state = rollingBack ? 'rollback-completed' : 'completed';
    return { ...NOTHING, status: { state, startedIndex: st.startedIndex, startedAt: st.startedAt, completedAt: now, message: rollingBack ? `rollback completed (${st.message})` : 'update completed' } };
  }
  return { replace, shutdown };
}

/** Whether a task runs something other than the service's spec asks for now. */
function outdatedCheck(spec: ServiceSpecRecord, nodes: ReadonlyMap<string, SchedNode>): (t: TaskRecord) => boolean {
  const template = templateKey(spec.template);
  const networks = [...spec.networks].sort().join(',');
  const parsed = parseConstraints(spec.placement.constraints);
  const constraints = spec.mode === 'replicated' && parsed.ok ? parsed.value : [];
  return (t) => {
    if (templateKey(t.spec) !== template) return true;
    if ([...t.networks].sort().join(',') !== networks) return true;
    if (constraints.length === 0 || t.nodeId === '') return false;
    const node = nodes.get(t.nodeId);
    return node !== undefined && firstUnmet(constraints, subjectOf(node)) !== undefined;
  };
}

/** Key order is fixed by the record's construction (service-view.ts, the apply), so JSON compares specs. */
function templateKey(t: TaskTemplateSpec): string {
  // Image fields only when set, so a process service's key is what it was before they existed.
  const image = (t.image ?? '') === '' ? [] : [t.image, t.pull ?? 'missing'];
  return JSON.stringify([t.command, t.args, t.env, t.reservations.nanoCpus, t.reservations.memoryBytes, t.restartPolicy, t.forceUpdate ?? 0, ...image]);
}

/**
 * Tasks of the current spec created since the rollout started that failed
 * before they ran or within `monitorMs` of starting, oldest failure first.
 */
function monitoredFailures(tasks: readonly TaskRecord[], isNew: (t: TaskRecord) => boolean, monitorMs: number, outdated: (t: TaskRecord) => boolean): TaskRecord[] {
  return tasks
    .filter((t) => isNew(t) && FAILED_STATES.has(t.status.state) && !outdated(t))
    .filter((t) => {
      const ranAt = runningSince(t);
      return ranAt === null || t.status.at - ranAt <= monitorMs;
    })
    .sort((a, b) => a.status.at - b.status.at || (a.id < b.id ? -1 : 1));
}

/** Slots (nodes, for a global service) that got a task of the current spec since the rollout started. */
function updatedSlots(tasks: readonly TaskRecord[], isNew: (t: TaskRecord) => boolean, outdated: (t: TaskRecord) => boolean): number {
  return new Set(tasks.filter((t) => isNew(t) && !outdated(t)).map((t) => (t.slot > 0 ? `s${t.slot}` : `n${t.nodeId}`))).size;
}

/** When the task reached `running` (worker's clock), or null if it never did. */
export function runningSince(t: TaskRecord): number | null {
  if (t.status.state === 'running') return t.status.at;
  return t.history.find((h) => h.state === 'running')?.at ?? null;
}

function slotName(t: TaskRecord): string {
  return t.slot > 0 ? String(t.slot) : `on node ${t.nodeId}`;
}

function bySlot(a: TaskRecord, b: TaskRecord): number {
  return a.slot - b.slot || (a.nodeId < b.nodeId ? -1 : a.nodeId > b.nodeId ? 1 : 0);
}
