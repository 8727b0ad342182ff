import type Database from 'better-sqlite3';
import { stmt } from './statements.js';
import { ShoalError } from '../../errors.js';
import type { Availability, NodeRole } from './commands.js';
import { readCluster } from './apply.js';

export { taskHistoryLimit, TASK_HISTORY_LIMIT_DEFAULT, TASK_HISTORY_LIMIT_MAX } from './cluster-settings.js';

/** A node as the store holds it (reachability and leadership are overlaid by the manager). */
export interface NodeRecord {
  readonly id: string;
  readonly raftId: number;
  readonly hostname: string;
  readonly role: NodeRole;
  readonly availability: Availability;
  readonly addr: string;
  readonly reachable: boolean;
  readonly status: 'unknown' | 'ready' | 'down';
  readonly statusMessage: string;
  /** `engine`: the container engine the node reported, '' = none. */
  readonly platform: { readonly os: string; readonly arch: string; readonly engine: string };
  readonly resources: { readonly nanoCpus: number; readonly memoryBytes: number };
  readonly labels: Readonly<Record<string, string>>;
  readonly createdAt: number;
  readonly updatedAt: number;
  readonly version: number;
}

interface NodeRow {
  id: string;
  raft_id: number;
  hostname: string;
  role: NodeRole;
  availability: Availability;
  addr: string;
  reachable: number;
  status: 'unknown' | 'ready' | 'down';
  status_message: string;
  platform_os: string;
  platform_arch: string;
  platform_engine: string;
  nano_cpus: number;
  memory_bytes: number;
  labels: string;
  created_at: number;
  updated_at: number;
  version: number;
}

const NODE_COLUMNS =
  'id, raft_id, hostname, role, availability, addr, reachable, status, status_message, platform_os, platform_arch, platform_engine, nano_cpus, memory_bytes, labels, created_at, updated_at, version';

function toNode(r: NodeRow): NodeRecord {
  return {
    id: r.id,
    raftId: r.raft_id,
    hostname: r.hostname,
    role: r.role,
    availability: r.availability,
    addr: r.addr,
    reachable: r.reachable === 1,
    status: r.status,
    statusMessage: r.status_message,
    platform: { os: r.platform_os, arch: r.platform_arch, engine: r.platform_engine },
    resources: { nanoCpus: r.nano_cpus, memoryBytes: r.memory_bytes },
    labels: JSON.parse(r.labels) as Record<string, string>,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
    version: r.version,
  };
}

export function listNodes(db: Database.Database): NodeRecord[] {
  return (stmt(db, `SELECT ${NODE_COLUMNS} FROM nodes ORDER BY hostname, id`).all() as NodeRow[]).map(toNode);
}

/** Only the managers: what membership, joins and session handshakes need (not every worker). */
export function listManagers(db: Database.Database): NodeRecord[] {
  return (stmt(db, `SELECT ${NODE_COLUMNS} FROM nodes WHERE role = 'manager' ORDER BY hostname, id`).all() as NodeRow[]).map(toNode);
}

/** Every node's ID and liveness, without the rest: the dispatcher's periodic scan. */
export function nodeLiveness(db: Database.Database): { id: string; status: NodeRecord['status'] }[] {
  return stmt(db, 'SELECT id, status FROM nodes').all() as { id: string; status: NodeRecord['status'] }[];
}

/** One node by its full ID, or null: a single row, where listNodes().find() would read and parse every node. */
export function nodeById(db: Database.Database, id: string): NodeRecord | null {
  const r = stmt(db, `SELECT ${NODE_COLUMNS} FROM nodes WHERE id = ?`).get(id) as NodeRow | undefined;
  return r ? toNode(r) : null;
}

export function nodeByRaftId(db: Database.Database, raftId: number): NodeRecord | null {
  const r = stmt(db, `SELECT ${NODE_COLUMNS} FROM nodes WHERE raft_id = ?`).get(raftId) as NodeRow | undefined;
  return r ? toNode(r) : null;
}

/**
 * Finds a node by full ID, unique ID prefix, or hostname, in that order.
 * An ambiguous prefix or hostname is an error that lists the candidates.
 */
export function resolveNode(db: Database.Database, ref: string): NodeRecord {
  const wanted = ref.trim();
  if (wanted === '') throw new ShoalError('INVALID_ARGUMENT', 'a node ID, ID prefix or hostname is required');
  const exact = stmt(db, `SELECT ${NODE_COLUMNS} FROM nodes WHERE id = ?`).get(wanted) as NodeRow | undefined;
  if (exact) return toNode(exact);
  const byPrefix = stmt(db, `SELECT ${NODE_COLUMNS} FROM nodes WHERE substr(id, 1, ?) = ? LIMIT 11`)
    .all(wanted.length, wanted) as NodeRow[];
  if (byPrefix.length === 1 && byPrefix[0]) return toNode(byPrefix[0]);
  if (byPrefix.length > 1) throw ambiguous('node', wanted, byPrefix.map((r) => `${r.id} (${r.hostname})`));
  const byName = stmt(db, `SELECT ${NODE_COLUMNS} FROM nodes WHERE hostname = ? LIMIT 11`).all(wanted) as NodeRow[];
  if (byName.length === 1 && byName[0]) return toNode(byName[0]);
  if (byName.length > 1) throw ambiguous('node', wanted, byName.map((r) => `${r.id} (${r.hostname})`));
  throw new ShoalError('NOT_FOUND', `node "${wanted}" not found (no node has that ID, ID prefix or hostname)`);
}

function ambiguous(kind: string, ref: string, matches: string[]): ShoalError {
  return new ShoalError('INVALID_ARGUMENT', `${kind} "${ref}" is ambiguous; it matches: ${matches.slice(0, 10).join(', ')}${matches.length > 10 ? ', …' : ''}`);
}

export interface ClusterRecord {
  readonly id: string;
  readonly createdAt: number;
  readonly updatedAt: number;
  /** Raft index of the last change: what `cluster.update` compares for optimistic concurrency. */
  readonly version: number;
  /** Ended tasks kept per slot (cluster-settings.ts). */
  readonly taskHistoryLimit: number;
  readonly tokenKey: string;
  readonly workerTokenGen: number;
  readonly managerTokenGen: number;
  readonly workerTokenHash: string;
  readonly managerTokenHash: string;
  readonly settings: ReturnType<typeof readCluster>['parsedSettings'];
}

export function getCluster(db: Database.Database): ClusterRecord {
  const c = readCluster(db);
  return {
    id: c.id,
    createdAt: c.created_at,
    updatedAt: c.updated_at,
    version: c.version,
    taskHistoryLimit: c.task_history_limit,
    tokenKey: c.token_key,
    workerTokenGen: c.worker_token_gen,
    managerTokenGen: c.manager_token_gen,
    workerTokenHash: c.worker_token_hash,
    managerTokenHash: c.manager_token_hash,
    settings: c.parsedSettings,
  };
}
