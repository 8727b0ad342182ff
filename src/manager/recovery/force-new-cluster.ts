/**
 * `shoal init --force-new-cluster`: turn the state of a surviving manager (or
 * of a backup) into a one-manager cluster with the same cluster ID and state.
 *
 * It runs offline, on the data dir of a stopped daemon, in three steps:
 * 1. bring the state up to date the way a start would: install a snapshot the
 *    log holds but the state lacks, apply committed entries not yet applied;
 * 2. plan the forced membership (forced-plan.ts: this node the only voter, at
 *    a new term) and apply its entries to a COPY of state.db, which marks the
 *    removed managers in the node table;
 * 3. persist that copy into raft.db as a snapshot at the plan's last index and
 *    term, with a hard state at that term — one SQLite transaction, after the
 *    snapshot file is durable. That commit is the point of no return: before
 *    it nothing changed; after it, the next start installs the snapshot
 *    (Manager.start's snapshot-restore-on-start, which is crash-safe) and the
 *    node is the only voter. Log entries after the applied state (never
 *    committed as far as this node knows) are dropped with the old log.
 */
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { hostname as osHostname } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { ShoalError } from '../../errors.js';
import { applyConfChangeTo, decodeConfChange } from '../../raft/core/index.js';
import type { ConfState, Entry, Snapshot } from '../../raft/core/types.js';
import { EMPTY_CONF } from '../../raft/storage/conf-codec.js';
import { SqliteLogStorage } from '../../raft/storage/sqlite-log.js';
import { SqliteStateMachine } from '../../raft/storage/sqlite-state.js';
import { DEFAULT_TIMING, advertiseFor, wipeNodeState, type NetworkOptions } from '../daemon.js';
import { readNodeConfig, writeNodeConfig, type NodeConfig } from '../node-config.js';
import { recordEvent } from '../store/events.js';
import { STATE_SCHEMA_VERSION, migrateState } from '../store/schema.js';
import { STATE_DB_FILE, StateStore } from '../store/state-store.js';
import { newObjectId } from '../tokens.js';
import type { Backup } from './backup-file.js';
import { planForcedCluster, type ForcedPlan } from './forced-plan.js';

/** Where the copy of state.db is built; removed afterwards (and on the next attempt if a crash left it). */
const STAGING_DIR = 'force-new-cluster.tmp';

/** The status message of a manager removed by a forced new cluster (shown by `node inspect`). */
export const REMOVED_BY_FORCE_MESSAGE = 'removed from the managers by `shoal init --force-new-cluster`; remove it with `shoal node rm --force`';

export interface RemovedManager {
  readonly raftId: number;
  readonly nodeId: string;
  readonly hostname: string;
  readonly addr: string;
}

export interface ForceReport {
  readonly clusterId: string;
  readonly nodeId: string;
  readonly raftId: number;
  /** The snapshot the new cluster starts from. */
  readonly index: number;
  readonly term: number;
  /** The index of the state that was kept (before the forced entries). */
  readonly fromIndex: number;
  readonly removed: readonly RemovedManager[];
}

/** What the forced entries need to know about the node that stays (or arrives, for a backup). */
interface Survivor {
  readonly raftId: number;
  /** Set when the node is new to the state (restoring a backup): it gets a node row. */
  readonly newNode?: { readonly id: string; readonly hostname: string; readonly addr: string };
}

/** Step 1–3 on the data dir of a stopped manager. */
export function forceNewClusterInPlace(dataDir: string, at: number): ForceReport {
  const config = readNodeConfig(dataDir);
  if (!config) {
    throw new ShoalError('FAILED_PRECONDITION', `no node in ${dataDir}: to start a cluster from a backup, use \`shoal init --force-new-cluster --from-backup FILE\` on a fresh data dir`);
  }
  if (config.role !== 'manager') {
    throw new ShoalError('FAILED_PRECONDITION', `the node in ${dataDir} is a worker and holds no copy of the cluster state; run \`shoal init --force-new-cluster\` on a surviving manager`);
  }
  const store = StateStore.open(dataDir);
  try {
    const log = SqliteLogStorage.open(dataDir, { confState: () => store.applied().conf });
    try {
      catchUp(store, log);
      const applied = store.applied();
      const members = [...applied.conf.voters, ...applied.conf.learners];
      if (!members.includes(config.raftId)) {
        throw new ShoalError('FAILED_PRECONDITION', `this manager (raft ID ${config.raftId}) is no longer a member of the cluster's Raft group: its state cannot be trusted to be current; use a backup (\`--from-backup\`) or another manager`);
      }
      const clusterId = clusterIdOf(store.db); // before anything is written: a node that never caught up has none
      const hard = log.hardState();
      const highestTerm = Math.max(hard.term, applied.term, log.term(log.lastIndex()));
      const plan = planForcedCluster({ selfId: config.raftId, conf: applied.conf, appliedIndex: applied.index, highestTerm });
      const removed = removedManagers(store.db, plan);
      const image = forcedImage(dataDir, imageOf(store), plan, { raftId: config.raftId }, at);
      log.persist({ hardState: { term: plan.term, vote: 0, commit: plan.index }, entries: [], snapshot: { meta: { index: plan.index, term: plan.term, conf: plan.conf }, data: image } });
      return { clusterId, nodeId: config.nodeId, raftId: config.raftId, index: plan.index, term: plan.term, fromIndex: applied.index, removed };
    } finally {
      log.close();
    }
  } finally {
    store.close();
  }
}

export interface RestoreOptions extends NetworkOptions {
  readonly dataDir: string;
}

/**
 * A new one-manager cluster from a checked backup, in a data dir without a
 * node. The node is new (new node ID, the next Raft ID of the backed-up
 * state); every manager of the backup is removed from the membership.
 * node.json is written last: until then the data dir holds no node.
 */
export function restoreFromBackup(opts: RestoreOptions, backup: Backup, at: number): { config: NodeConfig; report: ForceReport } {
  const existing = readNodeConfig(opts.dataDir);
  if (existing) {
    throw new ShoalError('FAILED_PRECONDITION', `${opts.dataDir} already holds a node of cluster ${existing.clusterId}: restore a backup into a fresh data dir (or run \`shoal leave --force\` there first)`);
  }
  const advertiseAddr = advertiseFor(opts);
  // Without node.json, any Raft files here are left from an interrupted restore or a leave: not a node's state.
  wipeNodeState(opts.dataDir);
  mkdirSync(opts.dataDir, { recursive: true });
  const { header, image } = backup;
  const raftId = nextRaftIdOf(image);
  const config: NodeConfig = {
    formatVersion: 1,
    nodeId: newObjectId(),
    raftId,
    clusterId: header.clusterId,
    role: 'manager',
    hostname: opts.hostname ?? osHostname(),
    listenAddr: opts.listenAddr,
    advertiseAddr,
    ...DEFAULT_TIMING,
  };
  const plan = planForcedCluster({ selfId: raftId, conf: header.conf, appliedIndex: header.index, highestTerm: header.term });
  const survivor: Survivor = { raftId, newNode: { id: config.nodeId, hostname: config.hostname, addr: advertiseAddr } };
  const forced = forcedImage(opts.dataDir, image, plan, survivor, at);
  const log = SqliteLogStorage.open(opts.dataDir, { confState: () => EMPTY_CONF });
  try {
    log.persist({ hardState: { term: plan.term, vote: 0, commit: plan.index }, entries: [], snapshot: { meta: { index: plan.index, term: plan.term, conf: plan.conf }, data: forced } });
  } finally {
    log.close();
  }
  writeNodeConfig(opts.dataDir, config);
  const removed = plan.removed.map((id) => ({ raftId: id, nodeId: '', hostname: '', addr: '' }));
  return { config, report: { clusterId: header.clusterId, nodeId: config.nodeId, raftId, index: plan.index, term: plan.term, fromIndex: header.index, removed } };
}

/** What Manager.start does before running: install a newer snapshot, apply committed entries. */
function catchUp(store: StateStore, log: SqliteLogStorage): void {
  const snap = log.snapshot();
  if (snap.meta.index > store.applied().index) store.restore(snap);
  const commit = log.hardState().commit;
  const from = store.applied().index + 1;
  if (commit < from) return;
  const entries = log.entries(from, commit + 1, Number.MAX_SAFE_INTEGER);
  let conf: ConfState | null = null;
  for (const e of entries) if (e.kind === 'conf-change') conf = applyConfChangeTo(conf ?? store.applied().conf, decodeConfChange(e.data));
  store.applyEntries(entries, conf);
}

function imageOf(store: StateStore): Uint8Array {
  return store.snapshot().data;
}

/** Applies the plan's entries to a copy of `image` and returns the resulting image. */
function forcedImage(dataDir: string, image: Uint8Array, plan: ForcedPlan, survivor: Survivor, at: number): Uint8Array {
  const staging = join(dataDir, STAGING_DIR);
  rmSync(staging, { recursive: true, force: true });
  mkdirSync(staging, { recursive: true });
  try {
    writeFileSync(join(staging, STATE_DB_FILE), image);
    const sm = SqliteStateMachine.open(join(staging, STATE_DB_FILE), { schemaVersion: STATE_SCHEMA_VERSION, migrate: migrateState, syncEachBatch: false });
    let snapshot: Snapshot;
    try {
      const outcomes = sm.applyBatch(plan.entries, (db, entry) => applyForcedEntry(db, entry, survivor, at), plan.conf);
      const failed = outcomes.find((o) => !o.ok);
      if (failed && !failed.ok) throw new ShoalError('INTERNAL', `the forced membership could not be applied at index ${failed.index}: ${String(failed.error)}`);
      snapshot = sm.snapshot();
    } finally {
      sm.close();
    }
    return snapshot.data;
  } finally {
    rmSync(staging, { recursive: true, force: true });
  }
}

/**
 * One forced entry on the copy: a removed manager stays in the node table,
 * marked down, unreachable and removed (until `node rm`); its tasks and
 * containers — and their addresses — are untouched. The surviving node is
 * marked reachable; a node restoring a backup gets its row and Raft ID.
 */
function applyForcedEntry(db: Database.Database, entry: Entry, survivor: Survivor, at: number): null {
  if (entry.kind !== 'conf-change') return null;
  const cc = decodeConfChange(entry.data);
  if (cc.type === 'remove-node') {
    const rows = db.prepare("SELECT id FROM nodes WHERE raft_id = ? AND role = 'manager'").all(cc.nodeId) as { id: string }[];
    db.prepare("UPDATE nodes SET reachable = 0, status = 'down', status_message = ?, updated_at = ?, version = ? WHERE raft_id = ? AND role = 'manager'")
      .run(REMOVED_BY_FORCE_MESSAGE, at, entry.index, cc.nodeId);
    for (const r of rows) recordEvent(db, entry.index, 'node', 'update', r.id);
    return null;
  }
  if (cc.type === 'add-voter' && cc.nodeId === survivor.raftId && survivor.newNode) {
    const n = survivor.newNode;
    db.prepare('UPDATE cluster SET next_raft_id = ?, version = ? WHERE singleton = 1').run(survivor.raftId + 1, entry.index);
    db.prepare(
      `INSERT INTO nodes (id, raft_id, hostname, role, availability, addr, reachable, labels, created_at, updated_at, version)
       VALUES (?, ?, ?, 'manager', 'active', ?, 1, '{}', ?, ?, ?)`,
    ).run(n.id, survivor.raftId, n.hostname, n.addr, at, at, entry.index);
    recordEvent(db, entry.index, 'node', 'create', n.id);
    return null;
  }
  if (cc.type === 'add-voter' && cc.nodeId === survivor.raftId) {
    db.prepare('UPDATE nodes SET reachable = 1, updated_at = ?, version = ? WHERE raft_id = ?').run(at, entry.index, survivor.raftId);
  }
  return null;
}

function removedManagers(db: Database.Database, plan: ForcedPlan): RemovedManager[] {
  const byRaft = db.prepare('SELECT id, hostname, addr FROM nodes WHERE raft_id = ?');
  return plan.removed.map((raftId) => {
    const r = byRaft.get(raftId) as { id: string; hostname: string; addr: string } | undefined;
    return { raftId, nodeId: r?.id ?? '', hostname: r?.hostname ?? '', addr: r?.addr ?? '' };
  });
}

function clusterIdOf(db: Database.Database): string {
  const row = db.prepare('SELECT id FROM cluster WHERE singleton = 1').get() as { id: string } | undefined;
  if (!row) throw new ShoalError('FAILED_PRECONDITION', 'this manager holds no cluster state yet (it never caught up); use another manager or a backup');
  return row.id;
}

function nextRaftIdOf(image: Uint8Array): number {
  // The image was checked by readBackupFile; opened from memory, read once.
  const copy = Buffer.from(image);
  copy[18] = 1;
  copy[19] = 1;
  const db = new Database(copy);
  try {
    return (db.prepare('SELECT next_raft_id FROM cluster WHERE singleton = 1').get() as { next_raft_id: number }).next_raft_id;
  } finally {
    db.close();
  }
}
