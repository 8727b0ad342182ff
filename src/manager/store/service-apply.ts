import type Database from 'better-sqlite3';
import { stmt } from './statements.js';
import { createHash } from 'node:crypto';
import { ShoalError } from '../../errors.js';
import { allConstraintsMatch, parseConstraint } from '../../scheduler/constraints.js';
import { listNodes } from './queries.js';
import { recordEvent } from './events.js';
import { promoteReplacement } from './task-slots.js';
import { validateServiceSpec, type ServiceCommand, type ServiceSpecRecord, type UpdateStatusRecord } from './service-commands.js';
import { allocateTaskAttachments, registerNetworkReferenceCheck, releaseOwnerAttachments } from './attachments.js';
import { releaseServiceVips, reconcileServiceVips } from './vip-apply.js';
import { checkAdoption, handOver } from './adopt-apply.js';
import { missingNetworkIds, servicesUsingNetwork, serviceById, serviceByName, tasksOfService, type ServiceRecord, type TaskRecord, type TaskStatusRecord } from './service-queries.js';

/**
 * Applies a service command (service-commands.ts) inside the apply
 * transaction. Deterministic: IDs and times come from the command; the set of
 * tasks follows from the spec and the replicated rows alone.
 *
 * Creating, updating or scaling a service reconciles its tasks in the same
 * transaction: a replicated service has `replicas` live slots (scaling down
 * removes tasks that do not run yet first, then those on the most crowded
 * nodes; scaling up fills the lowest free slot numbers), a global service one
 * task per eligible node. Placing and running tasks belongs to the scheduler and the workers
 * (later), so new tasks wait in `pending` with a message that says so.
 */
export function applyServiceCommand(db: Database.Database, cmd: ServiceCommand, index: number): unknown {
  switch (cmd.op) {
    case 'service.create':
      return applyCreate(db, cmd, index);
    case 'service.update':
      return applyUpdate(db, cmd, index);
    case 'service.scale':
      return applyScale(db, cmd, index);
    case 'service.remove':
      return applyRemove(db, cmd, index);
    case 'service.update-status':
      return applyUpdateStatus(db, cmd, index);
  }
}

/** Message of a new task until the scheduler places it or says why it cannot. */
export const PENDING_NO_NODE = 'waiting for the scheduler to place it';
/** Earlier statuses kept per task. */
export const TASK_HISTORY_MAX = 10;

type Cmd<Op extends ServiceCommand['op']> = Extract<ServiceCommand, { op: Op }>;

function applyCreate(db: Database.Database, cmd: Cmd<'service.create'>, index: number): { id: string; version: number } {
  validateServiceSpec(cmd.spec);
  const clash = serviceByName(db, cmd.spec.name);
  if (clash) throw new ShoalError('ALREADY_EXISTS', `a service named "${cmd.spec.name}" already exists (${clash.id}); choose another name, or change that one with \`shoal service update\``);
  if (serviceById(db, cmd.id)) throw new ShoalError('ALREADY_EXISTS', `service ID ${cmd.id} is taken; retry`);
  checkNetworks(db, cmd.spec);
  // Every check of a move comes before the first write: a refused move leaves the container as it was.
  const adoption = cmd.adoptContainer === undefined ? null : checkAdoption(db, cmd.adoptContainer, cmd.spec);
  stmt(db, 
    `INSERT INTO services (id, name, mode, replicas, spec, previous_spec, created_at, updated_at, version)
     VALUES (?, ?, ?, ?, ?, NULL, ?, ?, ?)`,
  ).run(cmd.id, cmd.spec.name, cmd.spec.mode, cmd.spec.replicas, JSON.stringify(cmd.spec), cmd.at, cmd.at, index);
  recordEvent(db, index, 'service', 'create', cmd.id);
  reconcileServiceVips(db, index, cmd.at, cmd.id, cmd.spec);
  reconcileTasks(db, index, cmd.at, cmd.id, cmd.spec, new TaskIds(cmd.taskIdSeed));
  if (adoption) handOver(db, index, cmd.at, cmd.id, adoption);
  return { id: cmd.id, version: index };
}

function applyUpdate(db: Database.Database, cmd: Cmd<'service.update'>, index: number): { id: string; version: number } {
  const old = serviceById(db, cmd.id);
  if (!old) throw new ShoalError('NOT_FOUND', `service ${cmd.id} not found (it was removed)`);
  checkVersion(old.name, old.id, cmd.version, old.version);
  if (cmd.rollback !== undefined && !old.previousSpec) throw new ShoalError('FAILED_PRECONDITION', `service ${old.name} has no previous spec to roll back to`);
  validateServiceSpec(cmd.spec);
  const clash = cmd.spec.name === old.name ? null : serviceByName(db, cmd.spec.name);
  if (clash) throw new ShoalError('ALREADY_EXISTS', `a service named "${cmd.spec.name}" already exists (${clash.id}); choose another name`);
  checkNetworks(db, cmd.spec);
  const status = updateStatusAfter(db, old, cmd, index);
  stmt(db, 'UPDATE services SET name = ?, mode = ?, replicas = ?, spec = ?, previous_spec = ?, update_status = ?, updated_at = ?, version = ? WHERE id = ?').run(
    cmd.spec.name,
    cmd.spec.mode,
    cmd.spec.replicas,
    JSON.stringify(cmd.spec),
    JSON.stringify(old.spec),
    status === null ? null : JSON.stringify(status),
    cmd.at,
    index,
    cmd.id,
  );
  recordEvent(db, index, 'service', 'update', cmd.id);
  reconcileServiceVips(db, index, cmd.at, cmd.id, cmd.spec);
  // Tasks that have not started yet are replaced at once by tasks of the new
  // spec; started ones are replaced by the orchestrator's rolling update
  // (update-plan.ts), batch by batch, as the update config says.
  if (tasksNeedReplacing(old.spec, cmd.spec)) {
    for (const t of tasksOfService(db, cmd.id)) if (!hasStarted(t)) removeTask(db, index, cmd.at, t);
  }
  reconcileTasks(db, index, cmd.at, cmd.id, cmd.spec, new TaskIds(cmd.taskIdSeed));
  return { id: cmd.id, version: index };
}

/**
 * The update status a spec change starts: a rollout (or rollback) when started
 * tasks must be replaced; complete at once when no task had started (those
 * are replaced in the apply); unchanged when the tasks are not concerned.
 */
function updateStatusAfter(db: Database.Database, old: ServiceRecord, cmd: Cmd<'service.update'>, index: number): UpdateStatusRecord | null {
  const back = cmd.rollback !== undefined;
  if (!back && !tasksNeedReplacing(old.spec, cmd.spec)) return old.updateStatus;
  const started = tasksOfService(db, old.id).some((t) => t.desiredState === 'running' && hasStarted(t));
  if (!started) {
    return back
      ? { state: 'rollback-completed', startedIndex: index, startedAt: cmd.at, completedAt: cmd.at, message: `rollback completed (${cmd.rollback ?? ''}); no task had started` }
      : { state: 'completed', startedIndex: index, startedAt: cmd.at, completedAt: cmd.at, message: 'update completed; no task had started' };
  }
  return back
    ? { state: 'rollback-started', startedIndex: index, startedAt: cmd.at, completedAt: 0, message: `rollback started: ${cmd.rollback ?? ''}` }
    : { state: 'updating', startedIndex: index, startedAt: cmd.at, completedAt: 0, message: 'update in progress' };
}

/** The updater's progress; ignored when it concerns an earlier rollout than the stored one. */
function applyUpdateStatus(db: Database.Database, cmd: Cmd<'service.update-status'>, index: number): boolean {
  const s = serviceById(db, cmd.id);
  if (!s || s.updateStatus === null || s.updateStatus.startedIndex !== cmd.startedIndex) return false;
  stmt(db, 'UPDATE services SET update_status = ? WHERE id = ?').run(JSON.stringify(cmd.status), cmd.id);
  recordEvent(db, index, 'service', 'update', cmd.id);
  return true;
}

function applyScale(db: Database.Database, cmd: Cmd<'service.scale'>, index: number): { id: string; version: number } {
  const old = serviceById(db, cmd.id);
  if (!old) throw new ShoalError('NOT_FOUND', `service ${cmd.id} not found (it was removed)`);
  if (cmd.version !== 0) checkVersion(old.name, old.id, cmd.version, old.version);
  if (old.mode === 'global') throw new ShoalError('FAILED_PRECONDITION', `service ${old.name} is global (one task per node); only replicated services can be scaled`);
  const spec: ServiceSpecRecord = { ...old.spec, replicas: cmd.replicas };
  validateServiceSpec(spec);
  stmt(db, 'UPDATE services SET replicas = ?, spec = ?, updated_at = ?, version = ? WHERE id = ?').run(cmd.replicas, JSON.stringify(spec), cmd.at, index, cmd.id);
  recordEvent(db, index, 'service', 'update', cmd.id);
  reconcileTasks(db, index, cmd.at, cmd.id, spec, new TaskIds(cmd.taskIdSeed));
  return { id: cmd.id, version: index };
}

function applyRemove(db: Database.Database, cmd: Cmd<'service.remove'>, index: number): null {
  const old = serviceById(db, cmd.id);
  if (!old) throw new ShoalError('NOT_FOUND', `service ${cmd.id} not found (it was already removed)`);
  for (const t of tasksOfService(db, cmd.id)) removeTask(db, index, cmd.at, t);
  releaseServiceVips(db, index, cmd.id);
  stmt(db, 'DELETE FROM services WHERE id = ?').run(cmd.id);
  recordEvent(db, index, 'service', 'delete', cmd.id);
  return null;
}

function checkVersion(name: string, id: string, read: number, now: number): void {
  if (read !== now) {
    throw new ShoalError('ABORTED', `service ${name} (${id}) changed since it was read (version ${read}, now ${now}); read it again and retry`);
  }
}

function checkNetworks(db: Database.Database, spec: ServiceSpecRecord): void {
  const missing = missingNetworkIds(db, spec.networks);
  if (missing.length > 0) throw new ShoalError('NOT_FOUND', `network ${missing.join(', ')} not found (it was removed); list networks with \`shoal network ls\``);
}

function tasksNeedReplacing(a: ServiceSpecRecord, b: ServiceSpecRecord): boolean {
  return (
    a.mode !== b.mode ||
    JSON.stringify(a.template) !== JSON.stringify(b.template) ||
    JSON.stringify(a.networks) !== JSON.stringify(b.networks) ||
    JSON.stringify(a.placement) !== JSON.stringify(b.placement)
  );
}

/** A task that a worker has taken (or that ended) is not replaced by the apply. */
function hasStarted(t: TaskRecord): boolean {
  return t.status.state !== 'new' && t.status.state !== 'pending' && t.status.state !== 'allocated';
}

/** Derives the IDs of the tasks one command creates from the proposer's seed: same on every manager. */
class TaskIds {
  private next = 0;
  constructor(private readonly seed: string) {
    if (seed.length < 16) throw new ShoalError('INVALID_ARGUMENT', 'taskIdSeed: too short to derive unique IDs');
  }
  take(): string {
    const digest = createHash('sha256').update(`${this.seed}/${this.next++}`).digest('hex');
    return BigInt('0x' + digest).toString(36).padStart(25, '0').slice(-25);
  }
}

/** Brings the live tasks of a service in line with its spec (see the module comment). */
function reconcileTasks(db: Database.Database, index: number, at: number, serviceId: string, spec: ServiceSpecRecord, ids: TaskIds): void {
  const live = tasksOfService(db, serviceId).filter((t) => t.desiredState === 'running');
  if (spec.mode === 'replicated') {
    for (const t of live) if (t.slot === 0) removeTask(db, index, at, t);
    const slots = new Map<number, TaskRecord[]>();
    for (const t of live) if (t.slot > 0) slots.set(t.slot, [...(slots.get(t.slot) ?? []), t]);
    for (const slot of slotsToRemove(slots, spec.replicas)) for (const t of slots.get(slot) ?? []) removeTask(db, index, at, t);
    // New slots take the lowest numbers not in use (a slot keeps its number, and its history, while it lives).
    let missing = spec.replicas - Math.min(slots.size, spec.replicas);
    for (let slot = 1; missing > 0; slot++) {
      if (slots.has(slot)) continue;
      createTask(db, index, at, ids.take(), serviceId, spec, slot, '', PENDING_NO_NODE);
      missing--;
    }
    return;
  }
  const eligible = eligibleNodes(db, spec);
  const byNode = new Map(live.map((t) => [t.nodeId, t]));
  for (const t of live) if (t.slot !== 0 || !eligible.has(t.nodeId)) removeTask(db, index, at, t);
  for (const [nodeId, hostname] of eligible) {
    if (!byNode.has(nodeId)) {
      createTask(db, index, at, ids.take(), serviceId, spec, 0, nodeId, `waiting for the scheduler to confirm node ${hostname}`);
    }
  }
}

/**
 * Which slots a scale-down removes (as swarm chooses): first those whose task
 * is not running yet (never placed, then placed but not started), then
 * running ones on the nodes with the most tasks of the service, so the spread
 * stays even; ties by the highest slot number. Deterministic.
 */
function slotsToRemove(slots: ReadonlyMap<number, readonly TaskRecord[]>, replicas: number): number[] {
  const excess = slots.size - replicas;
  if (excess <= 0) return [];
  if (replicas === 0) return [...slots.keys()];
  const progress = (t: TaskRecord | undefined): number => (!t || t.nodeId === '' ? 0 : t.status.state === 'running' ? 2 : 1);
  // Slots grouped by their primary task's node ('' = not placed), each group in removal order; all
  // slots of a group share its crowd, so the next slot to remove is always one of the groups' heads.
  const groups = new Map<string, { slot: number; progress: number }[]>();
  for (const [slot, tasks] of slots) {
    const primary = tasks.find((t) => t.replaces === '') ?? tasks[0];
    const node = primary?.nodeId ?? '';
    const group = groups.get(node) ?? [];
    group.push({ slot, progress: progress(primary) });
    groups.set(node, group);
  }
  const crowd = new Map<string, number>();
  for (const [node, group] of groups) {
    group.sort((a, b) => b.progress - a.progress || a.slot - b.slot); // the next to remove is last (pop)
    crowd.set(node, node === '' ? 0 : group.length);
  }
  const out: number[] = [];
  while (out.length < excess) {
    let best: { node: string; slot: number; progress: number; crowd: number } | null = null;
    for (const [node, group] of groups) {
      const head = group[group.length - 1];
      if (!head) continue;
      const c = crowd.get(node) ?? 0;
      const better = !best || head.progress < best.progress || (head.progress === best.progress && (c > best.crowd || (c === best.crowd && head.slot > best.slot)));
      if (better) best = { node, slot: head.slot, progress: head.progress, crowd: c };
    }
    if (!best) break;
    groups.get(best.node)?.pop();
    // Removals already chosen count: "most tasks on its node" is about what remains.
    if (best.node !== '') crowd.set(best.node, best.crowd - 1);
    out.push(best.slot);
  }
  return out;
}

/** Nodes a global service runs on: active ones that satisfy its constraints (ID → hostname, in ID order). */
function eligibleNodes(db: Database.Database, spec: ServiceSpecRecord): Map<string, string> {
  const constraints = spec.placement.constraints.map(parseConstraint);
  const nodes = listNodes(db)
    .filter((n) => n.availability === 'active')
    .filter((n) => allConstraintsMatch(constraints, { id: n.id, hostname: n.hostname, role: n.role, os: '', arch: '', labels: n.labels }))
    .sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  return new Map(nodes.map((n) => [n.id, n.hostname]));
}

function createTask(
  db: Database.Database,
  index: number,
  at: number,
  id: string,
  serviceId: string,
  spec: ServiceSpecRecord,
  slot: number,
  nodeId: string,
  message: string,
): void {
  const history: TaskStatusRecord[] = [{ state: 'new', message: 'created', err: '', exitCode: 0, at }];
  stmt(db, 
    `INSERT INTO tasks (id, service_id, slot, node_id, desired_state, state, status_message, status_err, exit_code, status_at,
                        history, spec, networks, created_index, created_at, updated_at, version)
     VALUES (?, ?, ?, ?, 'running', 'pending', ?, '', 0, ?, ?, ?, ?, ?, ?, ?, ?)`,
  ).run(id, serviceId, slot, nodeId, message, at, JSON.stringify(history.slice(-TASK_HISTORY_MAX)), JSON.stringify(spec.template), JSON.stringify(spec.networks), index, at, at, index);
  allocateTaskAttachments(db, index, id, nodeId, spec.networks, at);
  recordEvent(db, index, 'task', 'create', id);
}

/** Deletes a task (its addresses go back); a start-first replacement of it takes its slot. */
function removeTask(db: Database.Database, index: number, at: number, t: TaskRecord): void {
  releaseOwnerAttachments(db, index, 'task', t.id);
  stmt(db, 'DELETE FROM tasks WHERE id = ?').run(t.id);
  recordEvent(db, index, 'task', 'delete', t.id);
  promoteReplacement(db, index, at, t.id);
}

/** Services keep the networks in their spec in use: `network rm` refuses while one does. */
registerNetworkReferenceCheck((db, networkId) => servicesUsingNetwork(db, networkId).map((s) => ({ kind: 'service' as const, id: s.id, name: s.name })));
