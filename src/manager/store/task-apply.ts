/**
 * Applies task-lifecycle commands (task-commands.ts) inside the apply
 * transaction. Deterministic: times and IDs come from the command, decisions
 * from the replicated rows. Each item runs under its own savepoint, so an item
 * that fails (e.g. no free address for a replacement) is skipped alone and the
 * rest of the batch applies; the failure is the same on every manager.
 */
import type Database from 'better-sqlite3';
import { stmt } from './statements.js';
import { isShoalError } from '../../errors.js';
import { allocateTaskAttachments, releaseAttachment, releaseOwnerAttachments } from './attachments.js';
import { recordEvent } from './events.js';
import { attachmentsOfOwner } from './network-queries.js';
import { TASK_HISTORY_MAX } from './service-apply.js';
import { TASK_STATES, type TaskState } from './service-commands.js';
import { serviceById, taskById, type TaskRecord, type TaskStatusRecord } from './service-queries.js';
import { ON_NODE_STATES, TASK_BATCH_ITEMS_MAX, TERMINAL_TASK_STATES, type TaskCommand } from './task-commands.js';
import { predecessorStillRunning } from './task-queries.js';
import { liveReplacementOf, promoteReplacement } from './task-slots.js';
import { TASK_HISTORY_LIMIT_MAX, taskHistoryLimit } from './cluster-settings.js';


export interface TaskApplyResult {
  readonly applied: number;
  readonly skipped: number;
}

export function applyTaskCommand(db: Database.Database, cmd: TaskCommand, index: number): TaskApplyResult {
  const items = itemCount(cmd);
  if (items > TASK_BATCH_ITEMS_MAX) throw new Error(`${cmd.op} carries ${items} items, more than ${TASK_BATCH_ITEMS_MAX}`);
  let applied = 0;
  let skipped = 0;
  const each = <T>(list: readonly T[], fn: (item: T) => boolean): void => {
    for (const item of list) {
      if (inSavepoint(db, () => fn(item))) applied++;
      else skipped++;
    }
  };
  switch (cmd.op) {
    case 'task.place':
      each(cmd.placements, (p) => place(db, index, cmd.at, p.taskId, p.nodeId));
      each(cmd.pending, (p) => notePending(db, index, cmd.at, p.taskId, p.message));
      break;
    case 'task.status':
      each(cmd.updates, (u) => updateStatus(db, index, cmd.at, u));
      break;
    case 'task.replace':
      each(cmd.replacements, (r) => (r.startFirst === true ? startBeside(db, index, cmd.at, r.oldTaskId, r.newTaskId, r.reason) : replace(db, index, cmd.at, r.oldTaskId, r.newTaskId, r.reason, r.restart === true)));
      break;
    case 'task.shutdown':
      each(cmd.tasks, (t) => shutdown(db, index, cmd.at, t.taskId, t.reason, t.ifReplaces));
      break;
    case 'task.orphan':
      each(cmd.tasks, (t) => orphanLost(db, index, cmd.at, t.taskId, t.reason));
      break;
    case 'task.create':
      each(cmd.tasks, (t) => createGlobal(db, index, cmd.at, t.id, t.serviceId, t.nodeId));
      break;
  }
  return { applied, skipped };
}

function itemCount(cmd: TaskCommand): number {
  switch (cmd.op) {
    case 'task.place':
      return cmd.placements.length + cmd.pending.length;
    case 'task.status':
      return cmd.updates.length;
    case 'task.replace':
      return cmd.replacements.length;
    case 'task.shutdown':
    case 'task.orphan':
    case 'task.create':
      return cmd.tasks.length;
  }
}

/** Runs one item; an expected error (ShoalError) rolls back that item only and counts as skipped. */
function inSavepoint(db: Database.Database, fn: () => boolean): boolean {
  db.exec('SAVEPOINT task_item');
  try {
    const done = fn();
    db.exec('RELEASE task_item');
    return done;
  } catch (e) {
    db.exec('ROLLBACK TO task_item');
    db.exec('RELEASE task_item');
    if (isShoalError(e)) return false;
    throw e;
  }
}

/** pending → assigned on a node; the task's addresses move with it (they were allocated at creation). */
function place(db: Database.Database, index: number, at: number, taskId: string, nodeId: string): boolean {
  const t = taskById(db, taskId);
  if (!t || t.desiredState !== 'running' || t.status.state !== 'pending') return false;
  if (t.nodeId !== '' && t.nodeId !== nodeId) return false; // a global task is pinned to its node
  if (!stmt(db, 'SELECT 1 FROM nodes WHERE id = ?').get(nodeId)) return false;
  // Stop-first: a task that took over its predecessor's addresses must not start while that one still runs.
  if (predecessorStillRunning(db, t) !== null) return false;
  setStatus(db, index, t, { state: 'assigned', message: 'assigned to a node', err: '', exitCode: 0, at }, nodeId);
  ensureAttachments(db, index, t, nodeId, at);
  recordEvent(db, index, 'task', 'update', taskId);
  return true;
}

/** A task that waits gets the scheduler's reason; unchanged messages are not rewritten. */
function notePending(db: Database.Database, index: number, at: number, taskId: string, message: string): boolean {
  const t = taskById(db, taskId);
  if (!t || t.status.state !== 'pending' || t.status.message === message) return false;
  stmt(db, 'UPDATE tasks SET status_message = ?, status_at = ?, updated_at = ?, version = ? WHERE id = ?').run(message, at, at, index, taskId);
  recordEvent(db, index, 'task', 'update', taskId);
  return true;
}

/** Only forward transitions from the node that holds the task; nothing after a terminal state. */
function updateStatus(db: Database.Database, index: number, at: number, u: Extract<TaskCommand, { op: 'task.status' }>['updates'][number]): boolean {
  const t = taskById(db, u.taskId);
  if (!t || t.nodeId !== u.nodeId) return false;
  if (!isForward(t.status.state, u.state)) return false;
  setStatus(db, index, t, { state: u.state, message: u.message, err: u.err, exitCode: u.exitCode, at: u.at }, t.nodeId, at);
  // A task that ended and is not wanted any more gives its addresses to its slot's successor, or back.
  if (TERMINAL_TASK_STATES.has(u.state) && t.desiredState !== 'running') handOverOrRelease(db, index, t, false);
  recordEvent(db, index, 'task', 'update', t.id);
  // Start-first: once the new task runs, the one it replaces is shut down (and the new one takes the slot).
  if (u.state === 'running' && t.replaces !== '' && t.desiredState === 'running') {
    const old = taskById(db, t.replaces);
    if (old && old.desiredState === 'running') retire(db, index, at, old, `replaced by task ${t.id} (start-first update)`, false);
    else promoteReplacement(db, index, at, t.replaces);
  }
  return true;
}

export function isForward(from: TaskState, to: TaskState): boolean {
  if (TERMINAL_TASK_STATES.has(from)) return false;
  return TASK_STATES.indexOf(to) > TASK_STATES.indexOf(from);
}

/**
 * The old task is shut down (desired) and a new pending one takes its slot,
 * built from the service's current spec. An old task whose node is down is
 * marked orphaned and gives its addresses back now: its node cannot report.
 * Otherwise the new task gets the old one's addresses on the networks it
 * keeps when the old one ends (handOverOrRelease; at once if it already has),
 * so an address is never free in between, and it is placed only once the old
 * one has stopped (predecessorStillRunning). If a start-first replacement of
 * the old task already exists, it becomes the slot's task instead.
 */
function replace(db: Database.Database, index: number, at: number, oldId: string, newId: string, reason: string, restart = false): boolean {
  const old = taskById(db, oldId);
  if (!old || old.desiredState !== 'running') return false;
  const service = serviceById(db, old.serviceId);
  if (!service) return false;
  const nodeDown = old.nodeId !== '' && nodeStatus(db, old.nodeId) !== 'ready';
  const orphan = nodeDown && ON_NODE_STATES.has(old.status.state);
  if (liveReplacementOf(db, old.id) !== null) {
    retire(db, index, at, old, reason, orphan);
    reapDeadTasks(db, index, old);
    return true;
  }
  // A task replacing a start-first replacement still replaces the original task, if that one still runs.
  const replaces = old.replaces !== '' && taskById(db, old.replaces)?.desiredState === 'running' ? old.replaces : '';
  // An orphan may still run on its unreachable node with its addresses: those are not handed on.
  const awaited = orphan ? [] : attachmentsOfOwner(db, 'task', old.id).map((a) => a.networkId);
  const ended = retire(db, index, at, old, reason, orphan, false);
  const pinned = service.mode === 'global' ? old.nodeId : '';
  insertTask(db, index, at, newId, old.serviceId, old.slot, pinned, `replaces ${old.id}: ${reason}`, replaces, awaited, restart);
  if (ended) handOverOrRelease(db, index, old, orphan);
  reapDeadTasks(db, index, old);
  return true;
}

/**
 * Start-first: a new task of the current spec beside the old one, which keeps
 * running until the new one runs (updateStatus). Skipped when the old task is
 * itself a replacement or already has one.
 */
function startBeside(db: Database.Database, index: number, at: number, oldId: string, newId: string, reason: string): boolean {
  const old = taskById(db, oldId);
  if (!old || old.desiredState !== 'running' || old.replaces !== '') return false;
  if (liveReplacementOf(db, old.id) !== null) return false;
  const service = serviceById(db, old.serviceId);
  if (!service) return false;
  const pinned = service.mode === 'global' ? old.nodeId : '';
  insertTask(db, index, at, newId, old.serviceId, old.slot, pinned, `replaces ${old.id} (start-first): ${reason}`, old.id);
  return true;
}

/**
 * A task that ended (or was orphaned) lets go of its addresses: each one the
 * slot's waiting successor (a pending task of the same slot that wants that
 * network and has no address on it yet) takes over, keeping the address;
 * the rest go back to the pool. An orphan may still run where its node cannot
 * be reached, so its addresses are never handed on.
 */
function handOverOrRelease(db: Database.Database, index: number, t: TaskRecord, orphan: boolean): void {
  const held = attachmentsOfOwner(db, 'task', t.id);
  if (held.length === 0) return;
  const next = orphan ? null : waitingSuccessorOf(db, t);
  const nextHas = new Set(next ? attachmentsOfOwner(db, 'task', next.id).map((a) => a.networkId) : []);
  for (const a of held) {
    if (next && next.networks.includes(a.networkId) && !nextHas.has(a.networkId)) {
      stmt(db, "UPDATE attachments SET owner_id = ?, node_id = ?, version = ? WHERE id = ? AND owner_kind = 'task'").run(next.id, next.nodeId, index, a.id);
    } else {
      releaseAttachment(db, a);
    }
  }
}

/** The newest live, not yet placed task of `t`'s slot (same node, for a global service), other than `t`. */
function waitingSuccessorOf(db: Database.Database, t: TaskRecord): TaskRecord | null {
  const key = t.slot > 0 ? 'slot = ?' : 'slot = 0 AND node_id = ?';
  const r = stmt(db, 
    `SELECT id FROM tasks WHERE service_id = ? AND ${key} AND id != ? AND desired_state = 'running' AND replaces = ''
       AND state IN ('new', 'pending') ORDER BY created_index DESC, id DESC LIMIT 1`,
  ).get(t.serviceId, t.slot > 0 ? t.slot : t.nodeId, t.id) as { id: string } | undefined;
  return r ? taskById(db, r.id) : null;
}

/**
 * Desired shutdown. `ifReplaces`: only while the task is still a start-first
 * replacement of that task — a replacement promoted meanwhile owns its slot
 * and must not be shut down by a decision about the replacement it was.
 */
function shutdown(db: Database.Database, index: number, at: number, taskId: string, reason: string, ifReplaces: string | undefined): boolean {
  const t = taskById(db, taskId);
  if (!t || t.desiredState !== 'running') return false;
  if (ifReplaces !== undefined && t.replaces !== ifReplaces) return false;
  retire(db, index, at, t, reason, false);
  return true;
}

/**
 * A task being shut down whose node went down or left before it reported
 * stopping: it is orphaned and its addresses go back to the pool (the node
 * cannot report; if it returns, its agent stops the task).
 */
function orphanLost(db: Database.Database, index: number, at: number, taskId: string, reason: string): boolean {
  const t = taskById(db, taskId);
  if (!t || t.desiredState === 'running' || !ON_NODE_STATES.has(t.status.state)) return false;
  if (nodeStatus(db, t.nodeId) === 'ready') return false;
  setStatus(db, index, t, { state: 'orphaned', message: reason, err: '', exitCode: 0, at }, t.nodeId);
  handOverOrRelease(db, index, t, true);
  recordEvent(db, index, 'task', 'update', t.id);
  return true;
}

/**
 * Desired shutdown; ends a task that never reached a node (or whose node is
 * gone) at once. Returns whether the task has ended; its addresses are then
 * settled here, unless `settle` is false (the caller settles them).
 */
function retire(db: Database.Database, index: number, at: number, t: TaskRecord, reason: string, orphan: boolean, settle = true): boolean {
  stmt(db, "UPDATE tasks SET desired_state = 'shutdown', updated_at = ?, version = ? WHERE id = ?").run(at, index, t.id);
  promoteReplacement(db, index, at, t.id);
  const neverPlaced = !ON_NODE_STATES.has(t.status.state) && !TERMINAL_TASK_STATES.has(t.status.state);
  if (orphan) setStatus(db, index, t, { state: 'orphaned', message: reason, err: '', exitCode: 0, at }, t.nodeId);
  else if (neverPlaced) setStatus(db, index, t, { state: 'shutdown', message: reason, err: '', exitCode: 0, at }, t.nodeId);
  // A task still on its node keeps its state until the node reports it stopped; the reason shows meanwhile (service ps).
  else if (!TERMINAL_TASK_STATES.has(t.status.state)) stmt(db, 'UPDATE tasks SET status_message = ? WHERE id = ?').run(reason, t.id);
  const ended = orphan || neverPlaced || TERMINAL_TASK_STATES.has(t.status.state);
  if (ended && settle) handOverOrRelease(db, index, t, orphan);
  recordEvent(db, index, 'task', 'update', t.id);
  return ended;
}

function createGlobal(db: Database.Database, index: number, at: number, id: string, serviceId: string, nodeId: string): boolean {
  const s = serviceById(db, serviceId);
  if (!s || s.mode !== 'global') return false;
  if (!stmt(db, 'SELECT 1 FROM nodes WHERE id = ?').get(nodeId)) return false;
  const live = stmt(db, "SELECT 1 FROM tasks WHERE service_id = ? AND node_id = ? AND desired_state = 'running'").get(serviceId, nodeId);
  if (live) return false;
  insertTask(db, index, at, id, serviceId, 0, nodeId, 'created for a node that joined or became eligible');
  return true;
}

/**
 * A new pending task of the service's current spec. Addresses on `awaited`
 * networks are not allocated: the predecessor hands its own over when it
 * ends (or, if it is gone by the time this task is placed, they are
 * allocated then).
 */
function insertTask(
  db: Database.Database,
  index: number,
  at: number,
  id: string,
  serviceId: string,
  slot: number,
  nodeId: string,
  message: string,
  replaces = '',
  awaited: readonly string[] = [],
  restart = false,
): void {
  const s = serviceById(db, serviceId);
  if (!s) throw new Error(`insertTask: service ${serviceId} vanished inside the apply`);
  const history: TaskStatusRecord[] = [{ state: 'new', message: 'created', err: '', exitCode: 0, at }];
  stmt(db, 
    `INSERT INTO tasks (id, service_id, slot, node_id, desired_state, state, status_message, status_err, exit_code, status_at,
                        history, spec, networks, replaces, by_restart, created_index, created_at, updated_at, version)
     VALUES (?, ?, ?, ?, 'running', 'pending', ?, '', 0, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  ).run(id, serviceId, slot, nodeId, message, at, JSON.stringify(history), JSON.stringify(s.spec.template), JSON.stringify(s.spec.networks), replaces, restart ? 1 : 0, index, at, at, index);
  allocateTaskAttachments(db, index, id, nodeId, s.spec.networks.filter((n) => !awaited.includes(n)), at);
  recordEvent(db, index, 'task', 'create', id);
}

/** The task's attachments follow it to its node; missing ones (never allocated) are allocated now. */
function ensureAttachments(db: Database.Database, index: number, t: TaskRecord, nodeId: string, at: number): void {
  stmt(db, "UPDATE attachments SET node_id = ?, version = ? WHERE owner_kind = 'task' AND owner_id = ?").run(nodeId, index, t.id);
  const have = new Set(attachmentsOfOwner(db, 'task', t.id).map((a) => a.networkId));
  const missing = t.networks.filter((n) => !have.has(n));
  if (missing.length > 0) allocateTaskAttachments(db, index, t.id, nodeId, missing, at);
}

function setStatus(db: Database.Database, index: number, t: TaskRecord, s: TaskStatusRecord, nodeId: string, at = s.at): void {
  const history = [...t.history, t.status].slice(-TASK_HISTORY_MAX);
  stmt(db, 
    `UPDATE tasks SET node_id = ?, state = ?, status_message = ?, status_err = ?, exit_code = ?, status_at = ?, history = ?,
                      updated_at = ?, version = ? WHERE id = ?`,
  ).run(nodeId, s.state, s.message, s.err, s.exitCode, s.at, JSON.stringify(history), at, index, t.id);
}

function nodeStatus(db: Database.Database, nodeId: string): string {
  const r = stmt(db, 'SELECT status FROM nodes WHERE id = ?').get(nodeId) as { status: string } | undefined;
  return r?.status ?? 'removed';
}

/** Ended tasks of the rollout in progress kept per slot beyond the history limit: failures past these exceed any ratio ≤ 1 anyway. */
const ROLLOUT_TASKS_KEPT_PER_SLOT = 5;

/**
 * Keeps the newest ended, unwanted tasks of a slot — as many as the cluster's
 * task history limit says, or as the restart policy's max attempts needs to
 * count (recentRestarts), bounded by TASK_HISTORY_LIMIT_MAX — plus a few of
 * the rollout in progress; older ones go.
 */
function reapDeadTasks(db: Database.Database, index: number, t: TaskRecord): void {
  const key = t.slot > 0 ? 'slot = ?' : 'node_id = ? AND slot = 0';
  const dead = stmt(db, `SELECT id, state, created_index FROM tasks WHERE service_id = ? AND ${key} AND desired_state != 'running' ORDER BY created_at DESC, id DESC`)
    .all(t.serviceId, t.slot > 0 ? t.slot : t.nodeId) as { id: string; state: TaskState; created_index: number }[];
  // While a rollout goes on, a few of its own ended tasks stay: the updater counts their failures (max failure ratio).
  const st = serviceById(db, t.serviceId)?.updateStatus;
  const rolloutSince = st && (st.state === 'updating' || st.state === 'rollback-started') ? st.startedIndex : Infinity;
  const ended = dead.filter((d) => TERMINAL_TASK_STATES.has(d.state));
  const keep = Math.min(TASK_HISTORY_LIMIT_MAX, Math.max(taskHistoryLimit(db), t.spec.restartPolicy.maxAttempts));
  let rolloutKept = 0;
  for (const d of ended.slice(keep)) {
    if (d.created_index >= rolloutSince && rolloutKept++ < ROLLOUT_TASKS_KEPT_PER_SLOT) continue;
    releaseOwnerAttachments(db, index, 'task', d.id);
    stmt(db, 'DELETE FROM tasks WHERE id = ?').run(d.id);
    recordEvent(db, index, 'task', 'delete', d.id);
  }
}
