import type Database from 'better-sqlite3';

/**
 * Schema 5, service discovery: service VIPs and network aliases.
 *
 * A VIP is an address like any other, so it is an `attachments` row (owner_kind 'vip', owner_id
 * = the service ID, node_id = '' since it lives on no node in particular) and falls under the
 * same UNIQUE (network_id, address) constraint and allocator bitmap as task and container
 * addresses: a VIP can never collide with an endpoint. SQLite cannot widen a CHECK in place,
 * so a database from before schema 5 gets its attachments table rebuilt (same rows, same
 * indexes); the rebuild is chosen by what the table's SQL says, not by version numbers, so it
 * runs exactly once whatever order other migrations come in.
 *
 * A standalone container's network aliases are a JSON list in `containers.aliases`. A service's
 * endpoint mode and aliases live in its spec JSON (service-commands.ts), which needs no column.
 */
export function migrateDiscoverySchema(db: Database.Database): void {
  widenAttachmentOwners(db);
  const containerColumns = new Set((db.prepare('PRAGMA table_info(containers)').all() as { name: string }[]).map((c) => c.name));
  if (containerColumns.size > 0 && !containerColumns.has('aliases')) db.exec("ALTER TABLE containers ADD COLUMN aliases TEXT NOT NULL DEFAULT '[]'");
}

/** The owner kinds the attachments table admits after this migration. */
export const ATTACHMENT_OWNER_CHECK = "owner_kind IN ('task', 'container', 'vip')";

function widenAttachmentOwners(db: Database.Database): void {
  const row = db.prepare("SELECT sql FROM sqlite_master WHERE type = 'table' AND name = 'attachments'").get() as { sql: string } | undefined;
  if (!row || row.sql.includes("'vip'")) return;
  // migrateNetworkSchema runs first and gives any older table expires_at; copy it if present all the same.
  const columns = new Set((db.prepare('PRAGMA table_info(attachments)').all() as { name: string }[]).map((c) => c.name));
  const expires = columns.has('expires_at') ? 'expires_at' : '0';
  db.exec(`
    CREATE TABLE attachments_v5 (
      id         TEXT PRIMARY KEY,
      network_id TEXT NOT NULL REFERENCES networks(id),
      address    INTEGER NOT NULL CHECK (address BETWEEN 0 AND 4294967295),
      owner_kind TEXT NOT NULL CHECK (${ATTACHMENT_OWNER_CHECK}),
      owner_id   TEXT NOT NULL,
      node_id    TEXT NOT NULL,
      created_at INTEGER NOT NULL,
      version    INTEGER NOT NULL,
      -- Reservation deadline (network-schema.ts, reservations.ts): kept through the rebuild.
      expires_at INTEGER NOT NULL DEFAULT 0 CHECK (expires_at >= 0),
      UNIQUE (network_id, address),
      UNIQUE (owner_kind, owner_id, network_id)
    );
    INSERT INTO attachments_v5 (id, network_id, address, owner_kind, owner_id, node_id, created_at, version, expires_at)
      SELECT id, network_id, address, owner_kind, owner_id, node_id, created_at, version, ${expires} FROM attachments;
    DROP TABLE attachments;
    ALTER TABLE attachments_v5 RENAME TO attachments;
    CREATE INDEX IF NOT EXISTS attachments_by_node ON attachments (node_id);
    CREATE INDEX IF NOT EXISTS attachments_reserved ON attachments (expires_at) WHERE expires_at > 0;
  `);
}
