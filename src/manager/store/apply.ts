import type Database from 'better-sqlite3';
import { stmt } from './statements.js';
import { ShoalError } from '../../errors.js';
import type { ClusterSettings, Command, CoreCommand } from './commands.js';
import { recordEvent } from './events.js';
import { releaseNodeContainers } from './attachments.js';
import { applyNetworkCommand } from './network-apply.js';
import { isNetworkCommand } from './network-commands.js';
import { applyCaCommand, isCaCommand } from './ca-rotation.js';
import { applyServiceCommand } from './service-apply.js';
import { isServiceCommand } from './service-commands.js';
import { applyTaskCommand } from './task-apply.js';
import { isTaskCommand } from './task-commands.js';
import { clusterTokenDigest, deriveJoinToken, hashJoinToken } from '../tokens.js';
import { denyNodeCertificates, insertRootCA, readRootCA } from './security-store.js';
import { DEFAULT_CERT_EXPIRY_MS } from '../../security/pki.js';
import { checkTaskHistoryLimit } from './cluster-settings.js';
import { recallRequest, rememberRequest, requireSameOp } from './request-ids.js';
import { applyPromotionDone, applyRoleChange } from './role-changes.js';

/**
 * Applies one committed command to the state database. Runs inside the
 * transaction that also records the applied index. Must be deterministic: the
 * same command on the same rows gives the same result on every manager. A
 * ShoalError thrown here is the command's result (e.g. NOT_FOUND), recorded
 * alike everywhere; its partial changes are rolled back.
 */
export function applyCommand(db: Database.Database, cmd: Command, index: number): unknown {
  const requestId = cmd.requestId;
  if (requestId === undefined) return applyOp(db, cmd, index);
  // A repeat of an applied request changes nothing and answers what the first one did.
  const prior = recallRequest(db, requestId);
  if (prior) {
    requireSameOp(requestId, prior, cmd.op);
    return prior.result;
  }
  const result = applyOp(db, cmd, index);
  rememberRequest(db, requestId, cmd.op, result, cmd.at, index);
  return result;
}

function applyOp(db: Database.Database, cmd: Command, index: number): unknown {
  if (isNetworkCommand(cmd)) return applyNetworkCommand(db, cmd, index);
  if (isServiceCommand(cmd)) return applyServiceCommand(db, cmd, index);
  if (isTaskCommand(cmd)) return applyTaskCommand(db, cmd, index);
  if (isCaCommand(cmd)) return applyCaCommand(db, cmd, index);
  return applyCoreCommand(db, cmd, index);
}

function applyCoreCommand(db: Database.Database, cmd: CoreCommand, index: number): unknown {
  switch (cmd.op) {
    case 'cluster.init':
      return applyClusterInit(db, cmd, index);
    case 'node.join':
      return applyNodeJoin(db, cmd, index);
    case 'node.update':
      return applyNodeUpdate(db, cmd, index);
    case 'node.reachability':
      stmt(db, 'UPDATE nodes SET reachable = ?, updated_at = ?, version = ? WHERE raft_id = ?').run(
        cmd.reachable ? 1 : 0,
        cmd.at,
        index,
        cmd.raftId,
      );
      for (const r of stmt(db, 'SELECT id FROM nodes WHERE raft_id = ?').all(cmd.raftId) as { id: string }[]) {
        recordEvent(db, index, 'node', 'update', r.id);
      }
      return null;
    case 'node.remove':
      return applyNodeRemove(db, cmd, index);
    case 'node.promotion-done':
      return applyPromotionDone(db, cmd.id, cmd.raftId);
    case 'node.status':
      return applyNodeStatus(db, cmd, index);
    case 'token.rotate': {
      // Deterministic: the new token derives from the replicated key and the next generation.
      const cluster = readCluster(db);
      const gen = (cmd.role === 'manager' ? cluster.manager_token_gen : cluster.worker_token_gen) + 1;
      const hash = hashJoinToken(deriveJoinToken(tokenDigest(db, cluster.id), cluster.token_key, cmd.role, gen));
      const col = cmd.role === 'manager' ? 'manager' : 'worker';
      stmt(db, `UPDATE cluster SET ${col}_token_gen = ?, ${col}_token_hash = ?, updated_at = ?, version = ?`).run(gen, hash, cmd.at, index);
      recordEvent(db, index, 'cluster', 'update', cluster.id);
      return null;
    }
    case 'cluster.update':
      return applyClusterUpdate(db, cmd, index);
  }
}

interface ClusterRow {
  id: string;
  created_at: number;
  updated_at: number;
  version: number;
  task_history_limit: number;
  next_raft_id: number;
  token_key: string;
  worker_token_gen: number;
  manager_token_gen: number;
  worker_token_hash: string;
  manager_token_hash: string;
  settings: string;
}

export function readCluster(db: Database.Database): ClusterRow & { parsedSettings: ClusterSettings } {
  const row = stmt(db, 'SELECT id, created_at, updated_at, version, task_history_limit, next_raft_id, token_key, worker_token_gen, manager_token_gen, worker_token_hash, manager_token_hash, settings FROM cluster').get() as
    | ClusterRow
    | undefined;
  if (!row) throw new ShoalError('FAILED_PRECONDITION', 'this manager has no cluster state yet; wait for it to catch up');
  return { ...row, parsedSettings: JSON.parse(row.settings) as ClusterSettings };
}

function applyClusterInit(db: Database.Database, cmd: Extract<Command, { op: 'cluster.init' }>, index: number): null {
  if (cmd.ca) insertRootCA(db, cmd.ca, cmd.at);
  const hash = (role: 'manager' | 'worker'): string => hashJoinToken(deriveJoinToken(tokenDigest(db, cmd.clusterId), cmd.tokenKey, role, 1));
  stmt(db, 
    `INSERT INTO cluster (singleton, id, created_at, updated_at, version, next_raft_id, token_key,
       worker_token_gen, manager_token_gen, worker_token_hash, manager_token_hash, settings)
     VALUES (1, ?, ?, ?, ?, ?, ?, 1, 1, ?, ?, ?)`,
  ).run(cmd.clusterId, cmd.at, cmd.at, index, cmd.node.raftId + 1, cmd.tokenKey, hash('worker'), hash('manager'), JSON.stringify(cmd.settings));
  stmt(db, 
    `INSERT INTO nodes (id, raft_id, hostname, role, availability, addr, reachable, labels, created_at, updated_at, version)
     VALUES (?, ?, ?, 'manager', 'active', ?, 1, '{}', ?, ?, ?)`,
  ).run(cmd.node.id, cmd.node.raftId, cmd.node.hostname, cmd.node.addr, cmd.at, cmd.at, index);
  recordEvent(db, index, 'cluster', 'create', cmd.clusterId);
  recordEvent(db, index, 'node', 'create', cmd.node.id);
  return null;
}

/**
 * Settings are validated here as well as by the API: a command that slipped
 * past the proposer's checks fails alike on every manager instead of storing
 * a value the reaper cannot use.
 */
function applyClusterUpdate(db: Database.Database, cmd: Extract<Command, { op: 'cluster.update' }>, index: number): { version: number } {
  const cluster = readCluster(db);
  if (cmd.version !== 0 && cmd.version !== cluster.version) {
    throw new ShoalError('ABORTED', `the cluster changed since it was read (version ${cmd.version}, now ${cluster.version}); read it again and retry`);
  }
  const limit = cmd.taskHistoryLimit === undefined ? cluster.task_history_limit : checkTaskHistoryLimit(cmd.taskHistoryLimit);
  stmt(db, 'UPDATE cluster SET task_history_limit = ?, updated_at = ?, version = ? WHERE singleton = 1').run(limit, cmd.at, index);
  recordEvent(db, index, 'cluster', 'update', cluster.id);
  return { version: index };
}

function applyNodeJoin(db: Database.Database, cmd: Extract<Command, { op: 'node.join' }>, index: number): { raftId: number } {
  const cluster = readCluster(db);
  const expected = cmd.role === 'manager' ? cluster.manager_token_hash : cluster.worker_token_hash;
  if (cmd.tokenHash !== expected) {
    throw new ShoalError('UNAUTHENTICATED', 'the join token is invalid or was rotated; ask a manager for the current one with `shoal join-token`');
  }
  const raftId = cluster.next_raft_id;
  stmt(db, 'UPDATE cluster SET next_raft_id = ?, version = ? WHERE singleton = 1').run(raftId + 1, index);
  stmt(db, 
    `INSERT INTO nodes (id, raft_id, hostname, role, availability, addr, reachable, labels, created_at, updated_at, version)
     VALUES (?, ?, ?, ?, 'active', ?, ?, '{}', ?, ?, ?)`,
  ).run(cmd.id, raftId, cmd.hostname, cmd.role, cmd.addr, cmd.role === 'manager' ? 0 : 1, cmd.at, cmd.at, index);
  recordEvent(db, index, 'node', 'create', cmd.id);
  return { raftId };
}

interface NodeRow {
  id: string;
  raft_id: number;
  labels: string;
  version: number;
  role: string;
  availability: string;
}

function applyNodeUpdate(db: Database.Database, cmd: Extract<Command, { op: 'node.update' }>, index: number): { version: number } {
  const row = stmt(db, 'SELECT id, raft_id, labels, version, role, availability FROM nodes WHERE id = ?').get(cmd.id) as NodeRow | undefined;
  if (!row) throw new ShoalError('NOT_FOUND', `node ${cmd.id} not found`);
  if (cmd.version !== 0 && cmd.version !== row.version) {
    throw new ShoalError('ABORTED', `node ${cmd.id} changed since it was read (version ${cmd.version}, now ${row.version}); read it again and retry`);
  }
  const labels = JSON.parse(row.labels) as Record<string, string>;
  for (const [k, v] of Object.entries(cmd.labelsAdd ?? {})) labels[k] = v;
  for (const k of cmd.labelsRemove ?? []) delete labels[k];
  if (cmd.role) applyRoleChange(db, cmd.id, { role: row.role, raftId: row.raft_id }, cmd.role, index);
  stmt(db, 'UPDATE nodes SET labels = ?, availability = ?, role = ?, updated_at = ?, version = ? WHERE id = ?').run(
    JSON.stringify(sortedRecord(labels)),
    cmd.availability ?? row.availability,
    cmd.role ?? row.role,
    cmd.at,
    index,
    cmd.id,
  );
  recordEvent(db, index, 'node', 'update', cmd.id);
  return { version: index };
}

/** Unknown nodes in a batch are skipped: a node removed while its status update was in flight. */
function applyNodeStatus(db: Database.Database, cmd: Extract<Command, { op: 'node.status' }>, index: number): { updated: number } {
  const setStatus = stmt(db, 'UPDATE nodes SET status = ?, status_message = ?, updated_at = ?, version = ? WHERE id = ?');
  const setDescription = stmt(db, 
    'UPDATE nodes SET hostname = ?, platform_os = ?, platform_arch = ?, platform_engine = ?, nano_cpus = ?, memory_bytes = ? WHERE id = ?',
  );
  let updated = 0;
  for (const u of cmd.updates) {
    if (setStatus.run(u.status, u.message, cmd.at, index, u.id).changes === 0) continue;
    const d = u.description;
    if (d) setDescription.run(d.hostname, d.os, d.arch, d.engine ?? '', Math.max(0, Math.trunc(d.nanoCpus)), Math.max(0, Math.trunc(d.memoryBytes)), u.id);
    if (d?.dataPathAddr !== undefined) setDataPathAddr(db, u.id, d.dataPathAddr);
    recordEvent(db, index, 'node', 'update', u.id);
    updated++;
  }
  return { updated };
}

function setDataPathAddr(db: Database.Database, nodeId: string, addr: string): void {
  stmt(db, 'UPDATE nodes SET data_path_addr = ? WHERE id = ?').run(addr, nodeId);
}

function applyNodeRemove(db: Database.Database, cmd: Extract<Command, { op: 'node.remove' }>, index: number): null {
  const row = stmt(db, 'SELECT raft_id FROM nodes WHERE id = ?').get(cmd.id) as { raft_id: number } | undefined;
  if (!row) throw new ShoalError('NOT_FOUND', `node ${cmd.id} not found`);
  // The node's standalone containers go with it, and their addresses return to the pool.
  releaseNodeContainers(db, index, cmd.id);
  stmt(db, 'DELETE FROM nodes WHERE id = ?').run(cmd.id);
  stmt(db, 'INSERT INTO removed_nodes (raft_id, id, removed_at) VALUES (?, ?, ?)').run(row.raft_id, cmd.id, cmd.at);
  denyNodeCertificates(db, cmd.id, cmd.at, readCluster(db).parsedSettings.certExpiryMs ?? DEFAULT_CERT_EXPIRY_MS);
  recordEvent(db, index, 'node', 'delete', cmd.id);
  return null;
}

/** Labels are stored with sorted keys so every manager's bytes (and snapshots) are identical. */
function sortedRecord(r: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const k of Object.keys(r).sort()) out[k] = r[k] ?? '';
  return out;
}

/** The digest join tokens carry: the root CA's (clusters made before the CA existed: the cluster ID's). */
export function tokenDigest(db: Database.Database, clusterId: string): string {
  return readRootCA(db)?.digest ?? clusterTokenDigest(clusterId);
}
