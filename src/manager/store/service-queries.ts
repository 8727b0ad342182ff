/**
 * Reads of services and tasks from the state database: records, lookup by
 * ID / unique ID prefix / name, filtered lists. Pure reads; callers decide on
 * linearizability (m.read) or leader-local state (inside onLeader).
 */
import type Database from 'better-sqlite3';
import { stmt } from './statements.js';
import { ShoalError } from '../../errors.js';
import { networkById, resolveNetwork } from './network-queries.js';
import type { ServiceMode, ServiceSpecRecord, TaskState, TaskTemplateSpec, UpdateStatusRecord } from './service-commands.js';

export interface ServiceRecord {
  readonly id: string;
  readonly name: string;
  readonly mode: ServiceMode;
  readonly replicas: number;
  readonly spec: ServiceSpecRecord;
  readonly previousSpec: ServiceSpecRecord | null;
  /** The last rollout of a spec change over the tasks; null if the tasks never needed one. */
  readonly updateStatus: UpdateStatusRecord | null;
  readonly createdAt: number;
  readonly updatedAt: number;
  readonly version: number;
}

export interface TaskStatusRecord {
  readonly state: TaskState;
  readonly message: string;
  readonly err: string;
  readonly exitCode: number;
  readonly at: number;
}

export interface TaskRecord {
  readonly id: string;
  readonly serviceId: string;
  readonly slot: number;
  readonly nodeId: string;
  readonly desiredState: TaskState;
  readonly status: TaskStatusRecord;
  readonly history: readonly TaskStatusRecord[];
  readonly spec: TaskTemplateSpec;
  readonly networks: readonly string[];
  /** Start-first update: the task this one replaces, until this one runs ('' otherwise). */
  readonly replaces: string;
  /** Raft index of the entry that created the task. */
  readonly createdIndex: number;
  readonly createdAt: number;
  readonly updatedAt: number;
  readonly version: number;
}

interface ServiceRow {
  id: string;
  name: string;
  mode: ServiceMode;
  replicas: number;
  spec: string;
  previous_spec: string | null;
  update_status: string | null;
  created_at: number;
  updated_at: number;
  version: number;
}

interface TaskRow {
  id: string;
  service_id: string;
  slot: number;
  node_id: string;
  desired_state: TaskState;
  state: TaskState;
  status_message: string;
  status_err: string;
  exit_code: number;
  status_at: number;
  history: string;
  spec: string;
  networks: string;
  replaces: string;
  created_index: number;
  created_at: number;
  updated_at: number;
  version: number;
}

const SERVICE_COLUMNS = 'id, name, mode, replicas, spec, previous_spec, update_status, created_at, updated_at, version';
const TASK_COLUMNS =
  'id, service_id, slot, node_id, desired_state, state, status_message, status_err, exit_code, status_at, history, spec, networks, replaces, created_index, created_at, updated_at, version';
/** Bound on rows one prefix or name lookup reads (enough to list a few candidates). */
const CANDIDATES_MAX = 11;

function toService(r: ServiceRow): ServiceRecord {
  return {
    id: r.id,
    name: r.name,
    mode: r.mode,
    replicas: r.replicas,
    spec: JSON.parse(r.spec) as ServiceSpecRecord,
    previousSpec: r.previous_spec === null ? null : (JSON.parse(r.previous_spec) as ServiceSpecRecord),
    updateStatus: r.update_status === null ? null : (JSON.parse(r.update_status) as UpdateStatusRecord),
    createdAt: r.created_at,
    updatedAt: r.updated_at,
    version: r.version,
  };
}

function toTask(r: TaskRow): TaskRecord {
  return {
    id: r.id,
    serviceId: r.service_id,
    slot: r.slot,
    nodeId: r.node_id,
    desiredState: r.desired_state,
    status: { state: r.state, message: r.status_message, err: r.status_err, exitCode: r.exit_code, at: r.status_at },
    history: JSON.parse(r.history) as TaskStatusRecord[],
    spec: JSON.parse(r.spec) as TaskTemplateSpec,
    networks: JSON.parse(r.networks) as string[],
    replaces: r.replaces,
    createdIndex: r.created_index,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
    version: r.version,
  };
}

export function serviceById(db: Database.Database, id: string): ServiceRecord | null {
  const r = stmt(db, `SELECT ${SERVICE_COLUMNS} FROM services WHERE id = ?`).get(id) as ServiceRow | undefined;
  return r ? toService(r) : null;
}

export function serviceByName(db: Database.Database, name: string): ServiceRecord | null {
  const r = stmt(db, `SELECT ${SERVICE_COLUMNS} FROM services WHERE name = ?`).get(name) as ServiceRow | undefined;
  return r ? toService(r) : null;
}

export function listServices(db: Database.Database): ServiceRecord[] {
  return (stmt(db, `SELECT ${SERVICE_COLUMNS} FROM services ORDER BY name`).all() as ServiceRow[]).map(toService);
}

/** Finds a service by full ID, name, or unique ID prefix (docker's order). */
export function resolveService(db: Database.Database, ref: string): ServiceRecord {
  const wanted = ref.trim();
  if (wanted === '') throw new ShoalError('INVALID_ARGUMENT', 'a service ID, ID prefix or name is required');
  const exact = serviceById(db, wanted) ?? serviceByName(db, wanted);
  if (exact) return exact;
  const byPrefix = stmt(db, `SELECT ${SERVICE_COLUMNS} FROM services WHERE substr(id, 1, ?) = ? ORDER BY id LIMIT ${CANDIDATES_MAX}`)
    .all(wanted.length, wanted) as ServiceRow[];
  if (byPrefix.length === 1 && byPrefix[0]) return toService(byPrefix[0]);
  if (byPrefix.length > 1) throw ambiguous('service', wanted, byPrefix.map((r) => `${r.id} (${r.name})`));
  throw new ShoalError('NOT_FOUND', `service "${wanted}" not found (no service has that ID, ID prefix or name)`);
}

export function taskById(db: Database.Database, id: string): TaskRecord | null {
  const r = stmt(db, `SELECT ${TASK_COLUMNS} FROM tasks WHERE id = ?`).get(id) as TaskRow | undefined;
  return r ? toTask(r) : null;
}

/** Finds a task by full ID or unique ID prefix. */
export function resolveTask(db: Database.Database, ref: string): TaskRecord {
  const wanted = ref.trim();
  if (wanted === '') throw new ShoalError('INVALID_ARGUMENT', 'a task ID or ID prefix is required');
  const exact = taskById(db, wanted);
  if (exact) return exact;
  const byPrefix = stmt(db, `SELECT ${TASK_COLUMNS} FROM tasks WHERE substr(id, 1, ?) = ? ORDER BY id LIMIT ${CANDIDATES_MAX}`)
    .all(wanted.length, wanted) as TaskRow[];
  if (byPrefix.length === 1 && byPrefix[0]) return toTask(byPrefix[0]);
  if (byPrefix.length > 1) throw ambiguous('task', wanted, byPrefix.map((r) => r.id));
  throw new ShoalError('NOT_FOUND', `task "${wanted}" not found (no task has that ID or ID prefix)`);
}

export interface TaskFilter {
  readonly serviceIds?: readonly string[];
  readonly nodeIds?: readonly string[];
  readonly desiredStates?: readonly TaskState[];
}

/** Tasks ordered by service, slot, then creation; empty filter fields do not filter. */
export function listTasks(db: Database.Database, f: TaskFilter = {}): TaskRecord[] {
  const where: string[] = [];
  const params: (string | number)[] = [];
  const inList = (col: string, values: readonly string[] | undefined): void => {
    if (!values || values.length === 0) return;
    where.push(`${col} IN (${values.map(() => '?').join(', ')})`);
    params.push(...values);
  };
  inList('service_id', f.serviceIds);
  inList('node_id', f.nodeIds);
  inList('desired_state', f.desiredStates);
  const sql = `SELECT ${TASK_COLUMNS} FROM tasks ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY service_id, slot, created_at, id`;
  return (stmt(db, sql).all(...params) as TaskRow[]).map(toTask);
}

export function tasksOfService(db: Database.Database, serviceId: string): TaskRecord[] {
  return listTasks(db, { serviceIds: [serviceId] });
}

/** runningCountOf's query (exported so a test can check SQLite's plan for it). */
export const RUNNING_COUNT_OF_SQL = `SELECT COUNT(*) AS n FROM tasks WHERE service_id = ? AND state = 'running'`;

/**
 * Running tasks of one service, for a single service's view (Create/Get/UpdateService, watch
 * events). Reads that service's rows through tasks_by_service, where runningCounts scans every
 * running task of the cluster: a cost per write and per watch event that grew with the cluster.
 */
export function runningCountOf(db: Database.Database, serviceId: string): number {
  const r = stmt(db, RUNNING_COUNT_OF_SQL).get(serviceId) as { n: number };
  return r.n;
}

/** Running tasks per service, for Service.running in lists. */
export function runningCounts(db: Database.Database): Map<string, number> {
  const rows = stmt(db, `SELECT service_id, COUNT(*) AS n FROM tasks WHERE state = 'running' GROUP BY service_id`).all() as {
    service_id: string;
    n: number;
  }[];
  return new Map(rows.map((r) => [r.service_id, r.n]));
}

/** Resolves network references (ID, name or unique ID prefix) to IDs; NOT_FOUND / ambiguous as resolveNetwork says. */
export function resolveNetworkIds(db: Database.Database, refs: readonly string[]): string[] {
  return refs.map((ref) => resolveNetwork(db, ref, 'networks').id);
}

/** Network IDs of `ids` that no longer exist (checked again at apply time). */
export function missingNetworkIds(db: Database.Database, ids: readonly string[]): string[] {
  return ids.filter((id) => networkById(db, id) === null);
}

/** Names of the services whose spec references network `networkId` (they keep it in use). */
export function servicesUsingNetwork(db: Database.Database, networkId: string): { id: string; name: string }[] {
  return listServices(db)
    .filter((s) => s.spec.networks.includes(networkId))
    .map((s) => ({ id: s.id, name: s.name }));
}

function ambiguous(kind: string, ref: string, matches: string[]): ShoalError {
  return new ShoalError(
    'INVALID_ARGUMENT',
    `${kind} "${ref}" is ambiguous; it matches: ${matches.slice(0, 10).join(', ')}${matches.length > 10 ? ', …' : ''}. Give more of the ID`,
  );
}
