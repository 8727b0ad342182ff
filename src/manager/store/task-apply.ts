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
import { allocateTaskAttachments, releaseOwnerAttachments } from './attachments.js';
import { recordEvent } from './events.js';
import { attachmentsOfOwner } from './network-queries.js';
import { TASK_HISTORY_MAX } from './service-apply.js';
import { TASK_STATES, type TaskState } from './service-commands.js';
import { serviceById, taskById, type TaskRecord, type TaskStatusRecord } from './service-queries.js';
import { ON_NODE_STATES, TASK_BATCH_ITEMS_MAX, TERMINAL_TASK_STATES, type TaskCommand } from './task-commands.js';
import { predecessorStillRunning } from './task-queries.js';
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
      each(cmd.replacements, (r) => (r.startFirst === true ? startBeside(db, index, cmd.at, r.oldTaskId, r.newTaskId, r.reason) : replace(db, index, cmd.at, r.oldTaskId, r.newTaskId, r.reason)));
      break;
    case 'task.shutdown':
      each(cmd.tasks, (t) => shutdown(db, index, cmd.at, t.taskId, t.reason));
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
  // A task that ended and is not wanted any more gives its addresses back.
  if (TERMINAL_TASK_STATES.has(u.state) && t.desiredState !== 'running') releaseOwnerAttachments(db, index, 'task', t.id);
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
 * Otherwise the new task takes over the old one's addresses on the networks
 * it keeps (an address is never free in between) and is placed only once the
 * old one has stopped (predecessorStillRunning). If a start-first replacement
 * of the old task already exists, it becomes the slot's task instead.
 */
function replace(db: Database.Database, index: number, at: number, oldId: string, newId: string, reason: string): boolean {
  const old = taskById(db, oldId);
  if (!old || old.desiredState !== 'running') return false;
  const service = serviceById(db, old.serviceId);
  if (!service) return false;
  if (liveReplacementOf(db, old.id) !== null) {
    retire(db, index, at, old, reason, false);
    reapDeadTasks(db, index, old);
    return true;
  }
  const nodeDown = old.nodeId !== '' && nodeStatus(db, old.nodeId) !== 'ready';
  const orphan = nodeDown && ON_NODE_STATES.has(old.status.state);
  // A task replacing a start-first replacement still replaces the original task, if that one still runs.
  const replaces = old.replaces !== '' && taskById(db, old.replaces)?.desiredState === 'running' ? old.replaces : '';
  // An orphan may still run on its unreachable node with its addresses: those are not handed on.
  if (!orphan) transferAttachments(db, index, old.id, newId, service.spec.networks);
  retire(db, index, at, old, reason, orphan);
  const pinned = service.mode === 'global' ? old.nodeId : '';
  insertTask(db, index, at, newId, old.serviceId, old.slot, pinned, `replaces ${old.id}: ${reason}`, replaces);
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

/** Hands `fromId`'s attachments on `networkIds` to task `toId` (not yet inserted), keeping their addresses. */
function transferAttachments(db: Database.Database, index: number, fromId: string, toId: string, networkIds: readonly string[]): void {
  const keep = new Set(networkIds);
  for (const a of attachmentsOfOwner(db, 'task', fromId)) {
    if (!keep.has(a.networkId)) continue;
    stmt(db, "UPDATE attachments SET owner_id = ?, version = ? WHERE id = ? AND owner_kind = 'task'").run(toId, index, a.id);
  }
}

/** The live start-first replacement of a task, if any. */
function liveReplacementOf(db: Database.Database, taskId: string): string | null {
  const r = stmt(db, "SELECT id FROM tasks WHERE replaces = ? AND desired_state = 'running'").get(taskId) as { id: string } | undefined;
  return r?.id ?? null;
}

/** A replacement whose original task is gone or retired becomes the slot's task. */
function promoteReplacement(db: Database.Database, index: number, at: number, replacedId: string): void {
  const id = liveReplacementOf(db, replacedId);
  if (id === null) return;
  stmt(db, "UPDATE tasks SET replaces = '', updated_at = ?, version = ? WHERE id = ?").run(at, index, id);
  recordEvent(db, index, 'task', 'update', id);
}

function shutdown(db: Database.Database, index: number, at: number, taskId: string, reason: string): boolean {
  const t = taskById(db, taskId);
  if (!t || t.desiredState !== 'running') return false;
  retire(db, index, at, t, reason, false);
  return true;
}

/** Desired shutdown; ends a task that never reached a node (or whose node is gone) at once. */
function retire(db: Database.Database, index: number, at: number, t: TaskRecord, reason: string, orphan: boolean): void {
  stmt(db, "UPDATE tasks SET desired_state = 'shutdown', updated_at = ?, version = ? WHERE id = ?").run(at, index, t.id);
  promoteReplacement(db, index, at, t.id);
  const neverPlaced = !ON_NODE_STATES.has(t.status.state) && !TERMINAL_TASK_STATES.has(t.status.state);
  if (orphan) setStatus(db, index, t, { state: 'orphaned', message: reason, err: '', exitCode: 0, at }, t.nodeId);
  else if (neverPlaced) setStatus(db, index, t, { state: 'shutdown', message: reason, err: '', exitCode: 0, at }, t.nodeId);
  // A task still on its node keeps its state until the node reports it stopped; the reason shows meanwhile (service ps).
  else if (!TERMINAL_TASK_STATES.has(t.status.state)) stmt(db, 'UPDATE tasks SET status_message = ? WHERE id = ?').run(reason, t.id);
  const ended = orphan || neverPlaced || TERMINAL_TASK_STATES.has(t.status.state);
  if (ended) releaseOwnerAttachments(db, index, 'task', t.id);
  recordEvent(db, index, 'task', 'update', t.id);
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

/** A new pending task of the service's current spec; networks it already holds (taken over) are not allocated again. */
function insertTask(db: Database.Database, index: number, at: number, id: string, serviceId: string, slot: number, nodeId: string, message: string, replaces = ''): void {
  const s = serviceById(db, serviceId);
  if (!s) throw new Error(`insertTask: service ${serviceId} vanished inside the apply`);
  const history: TaskStatusRecord[] = [{ state: 'new', message: 'created', err: '', exitCode: 0, at }];
  stmt(db, 
    `INSERT INTO tasks (id, service_id, slot, node_id, desired_state, state, status_message, status_err, exit_code, status_at,
                        history, spec, networks, replaces, created_at, updated_at, version)
     VALUES (?, ?, ?, ?, 'running', 'pending', ?, '', 0, ?, ?, ?, ?, ?, ?, ?, ?)`,
  ).run(id, serviceId, slot, nodeId, message, at, JSON.stringify(history), JSON.stringify(s.spec.template), JSON.stringify(s.spec.networks), replaces, at, at, index);
  const held = new Set(attachmentsOfOwner(db, 'task', id).map((a) => a.networkId));
  allocateTaskAttachments(db, index, id, nodeId, s.spec.networks.filter((n) => !held.has(n)), at);
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

/**
 * Keeps the newest ended, unwanted tasks of a slot — as many as the cluster's
 * task history limit says, or as the restart policy's max attempts needs to
 * count (recentRestarts), bounded by TASK_HISTORY_LIMIT_MAX; older ones go.
 */
function reapDeadTasks(db: Database.Database, index: number, t: TaskRecord): void {
  const key = t.slot > 0 ? 'slot = ?' : 'node_id = ? AND slot = 0';
  const dead = stmt(db, `SELECT id, state FROM tasks WHERE service_id = ? AND ${key} AND desired_state != 'running' ORDER BY created_at DESC, id DESC`)
    .all(t.serviceId, t.slot > 0 ? t.slot : t.nodeId) as { id: string; state: TaskState }[];
  const ended = dead.filter((d) => TERMINAL_TASK_STATES.has(d.state));
  const keep = Math.min(TASK_HISTORY_LIMIT_MAX, Math.max(taskHistoryLimit(db), t.spec.restartPolicy.maxAttempts));
  for (const d of ended.slice(keep)) {
    releaseOwnerAttachments(db, index, 'task', d.id);
    stmt(db, 'DELETE FROM tasks WHERE id = ?').run(d.id);
    recordEvent(db, index, 'task', 'delete', d.id);
  }
}
