import type Database from 'better-sqlite3';

/**
 * Tables for services and tasks. The uniqueness rules of the model are
 * constraints here, so no apply bug can break them silently:
 * - a service name is unique;
 * - a replicated service has at most one live task per slot, and a global
 *   service at most one per node (partial indexes over tasks wanted running).
 *   The only exception is a start-first update: the new task (`replaces` names
 *   the old one) runs beside the task it replaces until it is running itself;
 *   at most one such replacement per task (tasks_one_replacement).
 * `version` is the Raft index of the row's last change.
 */
export function migrateServiceSchema(db: Database.Database, fromVersion: number): void {
  if (fromVersion >= 1) addRollingUpdateColumns(db);
  db.exec(`
    CREATE TABLE IF NOT EXISTS services (
      id            TEXT PRIMARY KEY,
      name          TEXT NOT NULL UNIQUE CHECK (length(name) > 0),
      mode          TEXT NOT NULL CHECK (mode IN ('replicated', 'global')),
      replicas      INTEGER NOT NULL CHECK (replicas >= 0),
      spec          TEXT NOT NULL,   -- JSON: ServiceSpecRecord (service-commands.ts)
      previous_spec TEXT,            -- JSON: the spec before the last update (for rollback)
      update_status TEXT,            -- JSON: UpdateStatusRecord of the last rollout; NULL if never updated
      created_at    INTEGER NOT NULL,
      updated_at    INTEGER NOT NULL,
      version       INTEGER NOT NULL
    );
    CREATE TABLE IF NOT EXISTS tasks (
      id             TEXT PRIMARY KEY,
      service_id     TEXT NOT NULL,
      slot           INTEGER NOT NULL CHECK (slot >= 0),   -- 0 for global services
      node_id        TEXT NOT NULL DEFAULT '',            -- '' until placed
      desired_state  TEXT NOT NULL,
      state          TEXT NOT NULL,
      status_message TEXT NOT NULL DEFAULT '',
      status_err     TEXT NOT NULL DEFAULT '',
      exit_code      INTEGER NOT NULL DEFAULT 0,
      status_at      INTEGER NOT NULL,
      history        TEXT NOT NULL DEFAULT '[]',          -- JSON: earlier statuses, oldest first, bounded
      spec           TEXT NOT NULL,                        -- JSON: TaskTemplateSpec in effect
      networks       TEXT NOT NULL DEFAULT '[]',           -- JSON: network IDs the task attaches to
      replaces       TEXT NOT NULL DEFAULT '',             -- start-first update: the task this one replaces, until it runs
      created_index  INTEGER NOT NULL DEFAULT 0,           -- Raft index of the entry that created it (rollouts compare these)
      by_restart     INTEGER NOT NULL DEFAULT 0 CHECK (by_restart IN (0, 1)), -- created by the restart policy (max-attempts counts these)
      created_at     INTEGER NOT NULL,
      updated_at     INTEGER NOT NULL,
      version        INTEGER NOT NULL,
      CHECK (desired_state IN ('new','pending','allocated','assigned','accepted','preparing','starting','running',
                               'complete','shutdown','failed','rejected','remove','orphaned')),
      CHECK (state IN ('new','pending','allocated','assigned','accepted','preparing','starting','running',
                       'complete','shutdown','failed','rejected','remove','orphaned'))
    );
    CREATE INDEX IF NOT EXISTS tasks_by_service ON tasks (service_id, slot);
    CREATE INDEX IF NOT EXISTS tasks_by_node ON tasks (node_id);
    CREATE UNIQUE INDEX IF NOT EXISTS tasks_live_slot ON tasks (service_id, slot)
      WHERE slot > 0 AND desired_state = 'running' AND replaces = '';
    CREATE UNIQUE INDEX IF NOT EXISTS tasks_live_global ON tasks (service_id, node_id)
      WHERE slot = 0 AND desired_state = 'running' AND replaces = '';
    CREATE UNIQUE INDEX IF NOT EXISTS tasks_one_replacement ON tasks (replaces)
      WHERE replaces != '' AND desired_state = 'running';
  `);
}

/**
 * Rolling updates on a database from before them (schema < 4): each column
 * is added if missing, and the live-task uniqueness rules are rebuilt to
 * exempt start-first replacements (CREATE INDEX IF NOT EXISTS above then
 * makes the new ones).
 */
function addRollingUpdateColumns(db: Database.Database): void {
  const columns = (table: string): Set<string> => new Set((db.prepare(`PRAGMA table_info(${table})`).all() as { name: string }[]).map((c) => c.name));
  const services = columns('services');
  const tasks = columns('tasks');
  if (services.size > 0 && !services.has('update_status')) db.exec('ALTER TABLE services ADD COLUMN update_status TEXT');
  if (tasks.size === 0) return;
  if (!tasks.has('replaces')) db.exec("ALTER TABLE tasks ADD COLUMN replaces TEXT NOT NULL DEFAULT ''");
  if (!tasks.has('created_index')) db.exec('ALTER TABLE tasks ADD COLUMN created_index INTEGER NOT NULL DEFAULT 0');
  if (!tasks.has('by_restart')) db.exec('ALTER TABLE tasks ADD COLUMN by_restart INTEGER NOT NULL DEFAULT 0 CHECK (by_restart IN (0, 1))');
  for (const name of ['tasks_live_slot', 'tasks_live_global']) {
    const row = db.prepare("SELECT sql FROM sqlite_master WHERE type = 'index' AND name = ?").get(name) as { sql: string } | undefined;
    if (row && !row.sql.includes('replaces')) db.exec(`DROP INDEX ${name}`);
  }
}
