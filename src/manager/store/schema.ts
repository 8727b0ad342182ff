import type Database from 'better-sqlite3';
import { migrateEvents } from './events.js';
import { migrateNetworkSchema } from './network-schema.js';
import { migrateServiceSchema } from './service-schema.js';
import { migrateDiscoverySchema } from './vip-schema.js';
import { migrateSecuritySchema } from './security-store.js';
import { migrateRequestIds } from './request-ids.js';
import { migrateDataPlaneSchema } from './dataplane-schema.js';
import { migrateRoleChanges } from './role-changes.js';
import { TASK_HISTORY_LIMIT_DEFAULT, TASK_HISTORY_LIMIT_MAX } from './cluster-settings.js';

/**
 * The replicated state machine's schema. Every manager holds the same rows,
 * changed only by applying committed log entries (apply.ts). Uniqueness rules
 * of the model are table constraints, so a bug in the code cannot produce a
 * duplicate: the apply of such an entry fails on every manager alike.
 *
 * `version` columns hold the Raft index of an object's last change.
 */
/**
 * 2: rolling updates (services.update_status, tasks.replaces).
 * 3: cluster.task_history_limit (addClusterColumns adds it to an older cluster row).
 * 4: tasks.created_index (rollouts compare Raft indexes, not clocks), tasks.by_restart (max-attempts counts restarts only).
 * 5: service discovery: VIP attachments (owner_kind 'vip'), containers.aliases (vip-schema.ts).
 * 6: attachments.expires_at (reservation deadlines), request_ids (idempotent writes).
 * 7: nodes.platform_engine (the container engine a node reported; image tasks go only there),
 *    containers.image and containers.pull.
 * 8: networks.internal and networks.mtu, nodes.data_path_addr (dataplane-schema.ts).
 * Migrations check for each column by name, so any older database gets what it lacks.
 */
export const STATE_SCHEMA_VERSION = 8;

/** Column definition shared by CREATE TABLE and the migration of an older database. */
const TASK_HISTORY_LIMIT_COLUMN =
  `task_history_limit INTEGER NOT NULL DEFAULT ${TASK_HISTORY_LIMIT_DEFAULT} ` +
  `CHECK (task_history_limit BETWEEN 0 AND ${TASK_HISTORY_LIMIT_MAX})`;

export function migrateState(db: Database.Database, fromVersion: number): void {
  db.exec(`
    CREATE TABLE IF NOT EXISTS cluster (
      singleton   INTEGER PRIMARY KEY CHECK (singleton = 1),
      id          TEXT NOT NULL,
      created_at  INTEGER NOT NULL,
      updated_at  INTEGER NOT NULL,
      version     INTEGER NOT NULL,
      next_raft_id INTEGER NOT NULL CHECK (next_raft_id >= 1),
      -- Join tokens are derived from this key and a generation number, so any
      -- manager can print the current ones; only their hashes are compared.
      token_key          TEXT NOT NULL,
      worker_token_gen   INTEGER NOT NULL,
      manager_token_gen  INTEGER NOT NULL,
      worker_token_hash  TEXT NOT NULL,
      manager_token_hash TEXT NOT NULL,
      settings    TEXT NOT NULL,  -- JSON: ClusterSettings
      -- Ended tasks kept per slot (cluster-settings.ts); set with \`shoal cluster update\`.
      ${TASK_HISTORY_LIMIT_COLUMN}
    );
    CREATE TABLE IF NOT EXISTS nodes (
      id           TEXT PRIMARY KEY,
      raft_id      INTEGER NOT NULL UNIQUE CHECK (raft_id >= 1),
      hostname     TEXT NOT NULL,
      role         TEXT NOT NULL CHECK (role IN ('manager', 'worker')),
      availability TEXT NOT NULL CHECK (availability IN ('active', 'pause', 'drain')),
      addr         TEXT NOT NULL,
      reachable    INTEGER NOT NULL DEFAULT 1 CHECK (reachable IN (0, 1)),
      -- Liveness as the dispatcher sees it (heartbeats), and what the node reported at session start.
      status         TEXT NOT NULL DEFAULT 'unknown' CHECK (status IN ('unknown', 'ready', 'down')),
      status_message TEXT NOT NULL DEFAULT '',
      platform_os    TEXT NOT NULL DEFAULT '',
      platform_arch  TEXT NOT NULL DEFAULT '',
      platform_engine TEXT NOT NULL DEFAULT '',
      nano_cpus      INTEGER NOT NULL DEFAULT 0 CHECK (nano_cpus >= 0),
      memory_bytes   INTEGER NOT NULL DEFAULT 0 CHECK (memory_bytes >= 0),
      labels       TEXT NOT NULL DEFAULT '{}',
      created_at   INTEGER NOT NULL,
      updated_at   INTEGER NOT NULL,
      version      INTEGER NOT NULL
    );
    -- Raft IDs are never reused: a removed node's ID stays here.
    CREATE TABLE IF NOT EXISTS removed_nodes (
      raft_id    INTEGER PRIMARY KEY,
      id         TEXT NOT NULL,
      removed_at INTEGER NOT NULL
    );
  `);
  addClusterColumns(db);
  migrateEvents(db);
  migrateNetworkSchema(db);
  migrateServiceSchema(db, fromVersion);
  migrateDiscoverySchema(db);
  migrateSecuritySchema(db);
  migrateRequestIds(db);
  migrateDataPlaneSchema(db);
  migrateRoleChanges(db);
}

/**
 * Columns added to the cluster table after schema 1. A database (or a
 * snapshot image) from an older build gets them with their defaults; the
 * check by name makes this safe to run on any version.
 */
function addClusterColumns(db: Database.Database): void {
  const have = new Set((db.prepare('PRAGMA table_info(cluster)').all() as { name: string }[]).map((c) => c.name));
  if (!have.has('task_history_limit')) db.exec(`ALTER TABLE cluster ADD COLUMN ${TASK_HISTORY_LIMIT_COLUMN}`);
  const nodeColumns = new Set((db.prepare('PRAGMA table_info(nodes)').all() as { name: string }[]).map((c) => c.name));
  if (!nodeColumns.has('platform_engine')) db.exec("ALTER TABLE nodes ADD COLUMN platform_engine TEXT NOT NULL DEFAULT ''");
}
