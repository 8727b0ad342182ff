/**
 * The leader's orchestrator and scheduler loop. Each round reads the leader's
 * applied state and proposes at most a few batched commands:
 * - pending tasks → placements (src/scheduler scheduleBatch: ready, active
 *   nodes; spread by fewest tasks of the service, then fewest overall), plus
 *   the reason for each task that must wait;
 * - tasks that should run but ended → replaced per their restart policy, after
 *   its delay;
 * - tasks on a node that is down, drained or gone → replaced elsewhere;
 * - tasks of a replicated service on a node that no longer satisfies its
 *   constraints (a label was removed) → replaced elsewhere, unless a rolling
 *   update is under way (the updater replaces them, batch by batch);
 * - global services → a task for each eligible node (nodes that join later
 *   too), and tasks shut down on nodes that no longer qualify;
 * - services being updated or rolled back → the next batch of their rolling
 *   update, and its progress (update-plan.ts).
 * Rounds never overlap: the next starts after the previous one's writes have
 * applied, so a round always sees the effect of the last.
 */
import { AssignmentState, globalServiceTasks, scheduleBatch } from '../scheduler/index.js';
import type { SchedNode, SchedTask } from '../scheduler/index.js';
import { isShoalError } from '../errors.js';
import type { Command } from './store/commands.js';
import type { Manager } from './manager.js';
import { planUpdate } from './update-plan.js';
import { missingNetworkIds, serviceById, type ServiceRecord, type TaskRecord } from './store/service-queries.js';
import { TASK_BATCH_ITEMS_MAX, type TaskCommand, type TaskReplacement } from './store/task-commands.js';
import {
  endedWantedTasks,
  liveGlobalTasks,
  pendingTasks,
  placedLiveTasks,
  placedWantedTasksOfService,
  placementInputsVersion,
  predecessorStillRunning,
  recentRestarts,
  stoppingTasksOnLostNodes,
  tasksOnLostNodes,
} from './store/task-queries.js';
import { firstUnmet, IMAGE_ENGINE_CONSTRAINT, parseConstraints, subjectOf } from '../scheduler/constraints.js';
import { tasksOfService } from './store/service-queries.js';
import { newObjectId } from './tokens.js';
import { NodeReadCache, ServiceReadCache } from './orchestrator-reads.js';

/** Round period; a round that found work is followed at once by another. */
export const ORCHESTRATOR_ROUND_MS = 100;

export class Orchestrator {
  private timer: NodeJS.Timeout | null = null;
  /** placementInputsVersion (plus rollouts in progress) at the last constraint check: no change, no check. */
  private constraintsCheckedAt = '';
  /** The nodes and services as of the last round, read again only where the store moved (orchestrator-reads.ts). */
  readonly nodeReads = new NodeReadCache();
  readonly serviceReads = new ServiceReadCache();
  private running = false;
  private stopped = false;

  constructor(private readonly m: Manager) {}

  start(): void {
    this.schedule(ORCHESTRATOR_ROUND_MS);
  }

  stop(): void {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }

  private schedule(delayMs: number): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => void this.round(), delayMs);
  }

  private async round(): Promise<void> {
    if (this.running || this.stopped) return;
    this.running = true;
    let busy = false;
    try {
      if (this.m.shell.isLeader) busy = await this.roundOnce();
    } catch (e) {
      if (!this.m.isNotLeader(e)) this.m.log.warn('orchestrator-round-failed', { error: e instanceof Error ? e.message : String(e) });
    } finally {
      this.running = false;
      this.schedule(busy ? 0 : ORCHESTRATOR_ROUND_MS);
    }
  }

  /** One round; true when it proposed something (so another round follows at once). */
  async roundOnce(now = Date.now()): Promise<boolean> {
    // One read of the services per round: every decision below is made on the same state.
    const services = this.serviceReads.list(this.m.store.db);
    const cmds: Command[] = [
      ...this.globalCommands(now, services),
      ...this.replaceCommands(now, services),
      ...this.updateCommands(now, services),
      ...this.placeCommands(now, services),
    ];
    let busy = false;
    for (const c of cmds) {
      try {
        await this.m.write(c);
        busy ||= c.op !== 'task.place' || c.placements.length > 0;
      } catch (e) {
        // One command refused (a rollback that raced a user's change: ABORTED) must not hold back the
        // others of the round (placements come last); the next round decides again from the new state.
        if (this.m.isNotLeader(e) || !isShoalError(e)) throw e;
        if (e.code === 'ABORTED') continue;
        this.m.log.warn('orchestrator-command-refused', { op: c.op, code: e.code, error: e.message });
        if (c.op === 'service.update' && c.rollback !== undefined) await this.rollbackRefused(c.id, c.rollback, e.message, now);
      }
    }
    return busy;
  }

  /** A rollback the store refuses (the old name is taken, …) would be refused every round: the update pauses instead, saying why. */
  private async rollbackRefused(serviceId: string, reason: string, refusal: string, now: number): Promise<void> {
    const st = serviceById(this.m.store.db, serviceId)?.updateStatus;
    if (!st || st.state !== 'updating') return;
    const message = `update paused: ${reason.replace(/^update failed: /, '')}; it cannot be rolled back: ${refusal}`;
    await this.m.write({ op: 'service.update-status', at: now, id: serviceId, startedIndex: st.startedIndex, status: { ...st, state: 'paused', message } });
  }

  /** The nodes as the scheduler sees them (read again only when a node row changed). */
  private nodes(): SchedNode[] {
    return this.nodeReads.get(this.m.store.db);
  }

  private placeCommands(now: number, serviceList: readonly ServiceRecord[]): TaskCommand[] {
    const db = this.m.store.db;
    const waiting: { taskId: string; message: string }[] = [];
    const pending = pendingTasks(db, TASK_BATCH_ITEMS_MAX).filter((t) => {
      // Stop-first: the task that this one replaces must stop before this one starts (task-apply.ts place).
      const before = predecessorStillRunning(db, t);
      if (before === null) return true;
      const message = `waiting for task ${before} to stop (stop-first: this task takes its place)`;
      if (t.status.message !== message) waiting.push({ taskId: t.id, message });
      return false;
    });
    if (pending.length === 0) return waiting.length === 0 ? [] : [{ op: 'task.place', at: now, placements: [], pending: waiting }];
    const services = new Map(serviceList.map((s) => [s.id, s]));
    const state = AssignmentState.build(
      placedLiveTasks(db).map((t) => ({ serviceId: t.serviceId, nodeId: t.nodeId, reservations: { nanoCpus: t.nanoCpus, memoryBytes: t.memoryBytes } })),
    );
    const sched: SchedTask[] = pending.map((t) => {
      const placement = services.get(t.serviceId)?.spec.placement;
      const base: SchedTask = {
        id: t.id,
        serviceId: t.serviceId,
        slot: t.slot,
        // An image needs a container engine on the node (IMAGE_ENGINE_CONSTRAINT explains a pending task).
        constraints: (t.spec.image ?? '') === '' ? (placement?.constraints ?? []) : [...(placement?.constraints ?? []), IMAGE_ENGINE_CONSTRAINT],
        reservations: t.spec.reservations,
        maxReplicasPerNode: placement?.maxReplicasPerNode ?? 0,
        placementPrefs: placement?.preferences ?? [],
      };
      return t.nodeId === '' ? base : { ...base, nodeId: t.nodeId };
    });
    const result = scheduleBatch(sched, this.nodes(), state);
    const byId = new Map(pending.map((t) => [t.id, t]));
    const placements = [...result.placements].map(([taskId, nodeId]) => ({ taskId, nodeId }));
    const notes = [...result.pending]
      .filter(([taskId, message]) => byId.get(taskId)?.status.message !== message)
      .map(([taskId, message]) => ({ taskId, message }))
      .concat(waiting);
    if (placements.length === 0 && notes.length === 0) return [];
    return [{ op: 'task.place', at: now, placements, pending: notes }];
  }

  private replaceCommands(now: number, services: readonly ServiceRecord[]): TaskCommand[] {
    const db = this.m.store.db;
    const replacements: TaskReplacement[] = [];
    const shutdowns: { taskId: string; reason: string }[] = [];
    const seen = new Set<string>();
    const lost = tasksOnLostNodes(db, TASK_BATCH_ITEMS_MAX);
    const nodes = lost.length === 0 ? new Map<string, SchedNode>() : new Map(this.nodes().map((n) => [n.id, n]));
    for (const t of lost) {
      if (t.slot === 0) continue; // global tasks stay with their node (globalCommands shuts them on drain)
      const n = nodes.get(t.nodeId);
      const why = !n ? `node ${t.nodeId} left the cluster` : n.availability === 'drain' ? `node ${n.hostname} is drained` : `node ${n.hostname} is down`;
      replacements.push({ oldTaskId: t.id, newTaskId: newObjectId(), reason: why });
      seen.add(t.id);
    }
    for (const r of this.constraintViolations(services)) {
      if (seen.has(r.oldTaskId)) continue;
      replacements.push(r);
      seen.add(r.oldTaskId);
    }
    for (const t of endedWantedTasks(db, TASK_BATCH_ITEMS_MAX)) {
      if (seen.has(t.id)) continue;
      const decision = restartDecision(t, now, (since) => recentRestarts(db, t, since));
      if (decision.kind === 'replace') replacements.push({ oldTaskId: t.id, newTaskId: newObjectId(), reason: decision.reason, restart: true });
      else if (decision.kind === 'stop') shutdowns.push({ taskId: t.id, reason: decision.reason });
    }
    const out: TaskCommand[] = [];
    if (replacements.length > 0) out.push({ op: 'task.replace', at: now, replacements: replacements.slice(0, TASK_BATCH_ITEMS_MAX) });
    if (shutdowns.length > 0) out.push({ op: 'task.shutdown', at: now, tasks: shutdowns.slice(0, TASK_BATCH_ITEMS_MAX) });
    const stranded = stoppingTasksOnLostNodes(db, TASK_BATCH_ITEMS_MAX);
    if (stranded.length > 0) {
      const why = (t: (typeof stranded)[number]): string => (t.nodeKnown ? `node ${t.nodeId} went down before the task reported stopping` : `node ${t.nodeId} left the cluster`);
      out.push({ op: 'task.orphan', at: now, tasks: stranded.map((t) => ({ taskId: t.id, reason: why(t) })) });
    }
    return out;
  }

  /**
   * Tasks of replicated services whose node no longer satisfies the service's
   * constraints (swarm's constraint enforcer). Checked only when a node or a
   * service changed; services mid-rollout are left to the updater.
   */
  private constraintViolations(all: readonly ServiceRecord[]): TaskReplacement[] {
    const db = this.m.store.db;
    const services = all.filter((s) => s.mode === 'replicated' && s.spec.placement.constraints.length > 0);
    const rolling = services.filter((s) => s.updateStatus?.state === 'updating' || s.updateStatus?.state === 'rollback-started');
    const key = `${placementInputsVersion(db)}:${rolling.map((s) => s.id).join(',')}`;
    if (key === this.constraintsCheckedAt) return [];
    const nodes = new Map(this.nodes().map((n) => [n.id, n]));
    const out: TaskReplacement[] = [];
    for (const s of services) {
      const parsed = parseConstraints(s.spec.placement.constraints);
      if (rolling.includes(s) || !parsed.ok) continue;
      for (const t of placedWantedTasksOfService(db, s.id)) {
        const node = nodes.get(t.nodeId);
        const unmet = node === undefined ? undefined : firstUnmet(parsed.value, subjectOf(node));
        if (node && unmet !== undefined) out.push({ oldTaskId: t.id, newTaskId: newObjectId(), reason: `node ${node.hostname} no longer satisfies constraint ${unmet.text}` });
      }
    }
    // Checked in full only when nothing was left over for a later round.
    if (out.length <= TASK_BATCH_ITEMS_MAX) this.constraintsCheckedAt = key;
    return out.slice(0, TASK_BATCH_ITEMS_MAX);
  }

  /** The next step of every rolling update or rollback in progress. */
  private updateCommands(now: number, services: readonly ServiceRecord[]): Command[] {
    const db = this.m.store.db;
    const rolling = services.filter((s) => s.updateStatus?.state === 'updating' || s.updateStatus?.state === 'rollback-started');
    if (rolling.length === 0) return [];
    const nodes = new Map(this.nodes().map((n) => [n.id, n]));
    const out: Command[] = [];
    const replacements: TaskReplacement[] = [];
    const shutdowns: { taskId: string; reason: string; ifReplaces: string }[] = [];
    for (const s of rolling) {
      const plan = planUpdate(s, tasksOfService(db, s.id), nodes, now);
      if (plan.rollback !== undefined && s.previousSpec !== null) {
        const gone = missingNetworkIds(db, s.previousSpec.networks);
        if (gone.length === 0) {
          out.push({ op: 'service.update', at: now, id: s.id, version: s.version, taskIdSeed: newObjectId() + newObjectId(), spec: s.previousSpec, rollback: plan.rollback });
        } else if (s.updateStatus) {
          // The previous spec cannot come back (its network was removed since): stop here instead.
          const message = `update paused: ${plan.rollback.replace(/^update failed: /, '')}; it cannot be rolled back: network ${gone.join(', ')} of the previous spec was removed`;
          out.push({ op: 'service.update-status', at: now, id: s.id, startedIndex: s.updateStatus.startedIndex, status: { ...s.updateStatus, state: 'paused', message } });
        }
        continue;
      }
      if (plan.status) out.push({ op: 'service.update-status', at: now, id: s.id, startedIndex: s.updateStatus?.startedIndex ?? 0, status: plan.status });
      shutdowns.push(...plan.shutdown);
      for (const r of plan.replace) {
        replacements.push({ oldTaskId: r.taskId, newTaskId: newObjectId(), reason: 'rolling update to the new spec', startFirst: r.startFirst });
      }
    }
    // Shutdowns first: a slot's outdated start-first replacement goes before the slot is replaced again.
    if (shutdowns.length > 0) out.push({ op: 'task.shutdown', at: now, tasks: shutdowns.slice(0, TASK_BATCH_ITEMS_MAX) });
    if (replacements.length > 0) out.push({ op: 'task.replace', at: now, replacements: replacements.slice(0, TASK_BATCH_ITEMS_MAX) });
    return out;
  }

  private globalCommands(now: number, services: readonly ServiceRecord[]): TaskCommand[] {
    const db = this.m.store.db;
    const globals = services.filter((s) => s.mode === 'global');
    if (globals.length === 0) return []; // the node list is read only when there is something to place on it
    const nodes = this.nodes();
    const creates: { id: string; serviceId: string; nodeId: string }[] = [];
    const shutdowns: { taskId: string; reason: string }[] = [];
    for (const s of globals) {
      // An image service's global tasks go only to nodes with a container engine.
      const constraints = (s.spec.template.image ?? '') === '' ? s.spec.placement.constraints : [...s.spec.placement.constraints, IMAGE_ENGINE_CONSTRAINT];
      const diff = globalServiceTasks({ serviceId: s.id, constraints }, nodes, liveGlobalTasks(db, s.id));
      if (!diff.ok) continue; // constraints were validated at create; nothing sensible to do here
      for (const nodeId of diff.value.createOn) creates.push({ id: newObjectId(), serviceId: s.id, nodeId });
      for (const r of diff.value.remove) shutdowns.push({ taskId: r.taskId, reason: r.reason });
    }
    const out: TaskCommand[] = [];
    if (creates.length > 0) out.push({ op: 'task.create', at: now, tasks: creates.slice(0, TASK_BATCH_ITEMS_MAX) });
    if (shutdowns.length > 0) out.push({ op: 'task.shutdown', at: now, tasks: shutdowns.slice(0, TASK_BATCH_ITEMS_MAX) });
    return out;
  }
}

export type RestartDecision = { kind: 'replace'; reason: string } | { kind: 'stop'; reason: string } | { kind: 'wait' };

/**
 * What the restart policy says about a task that should run but ended. Pure
 * apart from `restartsSince`, which counts the slot's earlier tasks.
 */
export function restartDecision(t: TaskRecord, now: number, restartsSince: (sinceMs: number) => number): RestartDecision {
  const p = t.spec.restartPolicy;
  const failed = t.status.state !== 'complete';
  const how = t.status.state === 'complete' ? 'completed' : `${t.status.state} (${t.status.message || 'no message'})`;
  if (p.condition === 'none' || (p.condition === 'on-failure' && !failed)) {
    return { kind: 'stop', reason: `${how}; restart policy ${p.condition} does not restart it` };
  }
  if (p.maxAttempts > 0 && restartsSince(p.windowMs > 0 ? now - p.windowMs : 0) >= p.maxAttempts) {
    return { kind: 'stop', reason: `${how}; restart policy gave up after ${p.maxAttempts} attempts` };
  }
  if (now < t.status.at + p.delayMs) return { kind: 'wait' };
  return { kind: 'replace', reason: `restarted by policy ${p.condition}: task ${how}` };
}
