/**
 * Reads of tasks for the dispatcher and the orchestrator (leader-local reads:
 * they run on the leader's own applied state). Each list is bounded by its
 * caller's `limit`, so one loop round does bounded work.
 */
import type Database from 'better-sqlite3';
import { stmt } from './statements.js';
import { taskById, type TaskRecord } from './service-queries.js';
import { ON_NODE_STATES, TERMINAL_TASK_STATES } from './task-commands.js';

const onNodeList = [...ON_NODE_STATES].map((s) => `'${s}'`).join(', ');
const terminalList = [...TERMINAL_TASK_STATES].map((s) => `'${s}'`).join(', ');

function byIds(db: Database.Database, ids: readonly { id: string }[]): TaskRecord[] {
  const out: TaskRecord[] = [];
  for (const { id } of ids) {
    const t = taskById(db, id);
    if (t) out.push(t);
  }
  return out;
}

/** What a worker must know: tasks on its node that are assigned or further and not ended. */
export function tasksForNode(db: Database.Database, nodeId: string): TaskRecord[] {
  const ids = stmt(db, `SELECT id FROM tasks WHERE node_id = ? AND state IN (${onNodeList}) ORDER BY id`).all(nodeId) as { id: string }[];
  return byIds(db, ids);
}

/** The node each of `ids` is on now ('' for an unplaced task; absent for a task that is gone). */
export function nodesOfTasks(db: Database.Database, ids: readonly string[]): Map<string, string> {
  const out = new Map<string, string>();
  const q = stmt(db, 'SELECT node_id FROM tasks WHERE id = ?');
  for (const id of new Set(ids)) {
    const r = q.get(id) as { node_id: string } | undefined;
    if (r) out.set(id, r.node_id);
  }
  return out;
}

/** Whether a task belongs in its node's assignment set. */
export function isAssignedToNode(t: TaskRecord, nodeId: string): boolean {
  return t.nodeId === nodeId && ON_NODE_STATES.has(t.status.state);
}

/** Tasks waiting for a node, oldest first. */
export function pendingTasks(db: Database.Database, limit: number): TaskRecord[] {
  const ids = stmt(db, `SELECT id FROM tasks WHERE desired_state = 'running' AND state = 'pending' ORDER BY created_at, id LIMIT ?`)
    .all(limit) as { id: string }[];
  return byIds(db, ids);
}

/** Tasks that should run but ended: candidates for the restart policy. */
export function endedWantedTasks(db: Database.Database, limit: number): TaskRecord[] {
  const ids = stmt(db, `SELECT id FROM tasks WHERE desired_state = 'running' AND state IN (${terminalList}) ORDER BY status_at, id LIMIT ?`)
    .all(limit) as { id: string }[];
  return byIds(db, ids);
}

/** Tasks that should run on a node that is down or drained (or was removed). */
export function tasksOnLostNodes(db: Database.Database, limit: number): TaskRecord[] {
  const ids = stmt(db, 
      `${tasksOnNodesWhere("n.status = 'down' OR n.availability = 'drain'", "t.desired_state = 'running'")} ORDER BY 1 LIMIT ?`,
    )
    .all(limit) as { id: string }[];
  return byIds(db, ids);
}

/**
 * Tasks on nodes matching `nodeCondition` or on removed nodes, in an on-node state and matching
 * `taskCondition`: columns id, node_id, known (0 for a removed node). Driven from the node tables
 * (small) through tasks_by_node, so an orchestrator round does not scan every task (CROSS JOIN
 * fixes that loop order: with ORDER BY … LIMIT, SQLite would rather scan tasks in ID order).
 */
function tasksOnNodesWhere(nodeCondition: string, taskCondition: string): string {
  return `SELECT t.id AS id, t.node_id AS node_id, 1 AS known FROM nodes n CROSS JOIN tasks t ON t.node_id = n.id
           WHERE (${nodeCondition}) AND ${taskCondition} AND t.state IN (${onNodeList})
          UNION ALL
          SELECT t.id, t.node_id, 0 FROM removed_nodes r CROSS JOIN tasks t ON t.node_id = r.id
           WHERE ${taskCondition} AND t.state IN (${onNodeList})`;
}

/** Tasks being shut down that still hold a node which is down or was removed: they will not report stopping. */
export function stoppingTasksOnLostNodes(db: Database.Database, limit: number): { id: string; nodeId: string; nodeKnown: boolean }[] {
  const rows = stmt(db, `${tasksOnNodesWhere("n.status = 'down'", "t.desired_state != 'running'")} ORDER BY 1 LIMIT ?`).all(limit) as {
    id: string;
    node_id: string;
    known: number;
  }[];
  return rows.map((r) => ({ id: r.id, nodeId: r.node_id, nodeKnown: r.known === 1 }));
}

/**
 * Tasks holding a node's resources and spread counts: placed and not ended.
 * A task being shut down counts until its node reports it stopped: its
 * process still holds what it reserved.
 */
export function placedLiveTasks(db: Database.Database): { serviceId: string; nodeId: string; nanoCpus: number; memoryBytes: number }[] {
  const rows = stmt(db, `SELECT service_id, node_id, spec FROM tasks WHERE node_id != '' AND state IN (${onNodeList})`)
    .all() as { service_id: string; node_id: string; spec: string }[];
  return rows.map((r) => {
    const spec = JSON.parse(r.spec) as { reservations?: { nanoCpus?: number; memoryBytes?: number } };
    return { serviceId: r.service_id, nodeId: r.node_id, nanoCpus: spec.reservations?.nanoCpus ?? 0, memoryBytes: spec.reservations?.memoryBytes ?? 0 };
  });
}

/**
 * Live (wanted) tasks of a global service with the node each is for. A
 * start-first replacement is not counted: it shares its node with the task it
 * replaces and takes over from it (task-apply.ts).
 */
export function liveGlobalTasks(db: Database.Database, serviceId: string): { id: string; nodeId: string }[] {
  const rows = stmt(db, `SELECT id, node_id FROM tasks WHERE service_id = ? AND desired_state = 'running' AND slot = 0 AND replaces = '' ORDER BY id`).all(serviceId) as {
    id: string;
    node_id: string;
  }[];
  return rows.map((r) => ({ id: r.id, nodeId: r.node_id }));
}

/**
 * Restarts by policy in a slot (or a global service's node) since `sinceMs`:
 * tasks the restart policy created, for max-attempts. A task replaced by a
 * rolling update, a lost node or a constraint is not an attempt.
 */
export function recentRestarts(db: Database.Database, t: TaskRecord, sinceMs: number): number {
  const key = t.slot > 0 ? 'slot = ?' : 'slot = 0 AND node_id = ?';
  const r = stmt(db, `SELECT COUNT(*) AS n FROM tasks WHERE service_id = ? AND ${key} AND by_restart = 1 AND created_at >= ?`)
    .get(t.serviceId, t.slot > 0 ? t.slot : t.nodeId, sinceMs) as { n: number };
  return r.n;
}

/**
 * An earlier task of the same slot (same node, for a global service) that is
 * being shut down but still holds its node, which is not down (ready, or
 * unknown around a leader change: it will report, or be marked down): the ID
 * of the first, or null. A new task of the slot waits for it.
 */
export function predecessorStillRunning(db: Database.Database, t: TaskRecord): string | null {
  const key = t.slot > 0 ? 't.slot = ?' : 't.slot = 0 AND t.node_id = ?';
  const r = stmt(db, 
    `SELECT t.id FROM tasks t JOIN nodes n ON n.id = t.node_id
     WHERE t.service_id = ? AND ${key} AND t.id != ? AND t.desired_state != 'running'
       AND t.state IN (${onNodeList}) AND n.status != 'down'
     ORDER BY t.id LIMIT 1`,
  ).get(t.serviceId, t.slot > 0 ? t.slot : t.nodeId, t.id) as { id: string } | undefined;
  return r?.id ?? null;
}

/** Placed, wanted tasks of one service with their nodes (for the constraint enforcer). */
export function placedWantedTasksOfService(db: Database.Database, serviceId: string): { id: string; nodeId: string }[] {
  const rows = stmt(db, `SELECT id, node_id FROM tasks WHERE service_id = ? AND desired_state = 'running' AND node_id != '' AND state IN (${onNodeList}) ORDER BY id`)
    .all(serviceId) as { id: string; node_id: string }[];
  return rows.map((r) => ({ id: r.id, nodeId: r.node_id }));
}

/** Changes when a node or a service spec changes: the constraint enforcer re-checks only then. */
export function placementInputsVersion(db: Database.Database): string {
  const r = stmt(db, 'SELECT (SELECT MAX(version) FROM nodes) AS n, (SELECT MAX(version) FROM services) AS s').get() as { n: number | null; s: number | null };
  return `${r.n ?? 0}:${r.s ?? 0}`;
}
