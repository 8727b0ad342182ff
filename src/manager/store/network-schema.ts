import type Database from 'better-sqlite3';
import { RESERVATION_TTL_MS } from './reservation-ttl.js';

/**
 * Tables for networks, standalone containers and address attachments.
 *
 * The IPAM invariant — an address belongs to at most one endpoint per network — is the
 * constraint UNIQUE (network_id, address) on `attachments`, so even a bug in the allocator
 * cannot commit a duplicate: the apply fails alike on every manager. Other rules are
 * constraints too: unique names, subnets and VXLAN IDs, one endpoint per owner per network,
 * and foreign keys (the state database runs with foreign_keys = ON) from attachments and
 * bitmap pages to their network, so a network with endpoints cannot be deleted.
 *
 * The allocator's state per network is its rotation cursor and held count (columns of the
 * network row) plus its bitmap in 2,048-address pages (`network_bitmap_pages`, a page row
 * only once something in it was held). Addresses are stored as unsigned 32-bit integers.
 */
export function migrateNetworkSchema(db: Database.Database): void {
  db.exec(`
    CREATE TABLE IF NOT EXISTS networks (
      id            TEXT PRIMARY KEY,
      name          TEXT NOT NULL UNIQUE,
      driver        TEXT NOT NULL CHECK (driver = 'overlay'),
      subnet        TEXT NOT NULL UNIQUE,
      subnet_base   INTEGER NOT NULL CHECK (subnet_base BETWEEN 0 AND 4294967295),
      subnet_prefix INTEGER NOT NULL CHECK (subnet_prefix BETWEEN 8 AND 30),
      gateway       INTEGER NOT NULL,
      range_base    INTEGER NOT NULL,
      range_prefix  INTEGER NOT NULL CHECK (range_prefix >= subnet_prefix AND range_prefix <= 32),
      attachable    INTEGER NOT NULL CHECK (attachable IN (0, 1)),
      vxlan_id      INTEGER NOT NULL UNIQUE CHECK (vxlan_id BETWEEN 4096 AND 16777215),
      labels        TEXT NOT NULL DEFAULT '{}',
      created_at    INTEGER NOT NULL,
      updated_at    INTEGER NOT NULL,
      version       INTEGER NOT NULL,
      alloc_cursor  INTEGER NOT NULL CHECK (alloc_cursor >= 0),
      alloc_held    INTEGER NOT NULL CHECK (alloc_held >= 0 AND alloc_held <= alloc_capacity),
      alloc_capacity INTEGER NOT NULL CHECK (alloc_capacity > 0)
    );
    CREATE TABLE IF NOT EXISTS network_bitmap_pages (
      network_id TEXT NOT NULL REFERENCES networks(id) ON DELETE CASCADE,
      page       INTEGER NOT NULL CHECK (page >= 0),
      bits       BLOB NOT NULL CHECK (length(bits) = 256),
      PRIMARY KEY (network_id, page)
    ) WITHOUT ROWID;
    CREATE TABLE IF NOT EXISTS containers (
      id         TEXT PRIMARY KEY,
      name       TEXT NOT NULL UNIQUE,
      node_id    TEXT NOT NULL,
      command    TEXT NOT NULL,
      args       TEXT NOT NULL DEFAULT '[]',
      env        TEXT NOT NULL DEFAULT '[]',
      labels     TEXT NOT NULL DEFAULT '{}',
      image      TEXT NOT NULL DEFAULT '',
      pull       TEXT NOT NULL DEFAULT '',
      state      TEXT NOT NULL CHECK (state IN ('created', 'running', 'exited', 'dead')),
      exit_code  INTEGER NOT NULL DEFAULT 0,
      created_at INTEGER NOT NULL,
      updated_at INTEGER NOT NULL,
      version    INTEGER NOT NULL
    );
    CREATE INDEX IF NOT EXISTS containers_by_node ON containers (node_id);
    CREATE TABLE IF NOT EXISTS attachments (
      id         TEXT PRIMARY KEY,
      network_id TEXT NOT NULL REFERENCES networks(id),
      address    INTEGER NOT NULL CHECK (address BETWEEN 0 AND 4294967295),
      owner_kind TEXT NOT NULL CHECK (owner_kind IN ('task', 'container', 'vip')), -- 'vip': a service's virtual IP (vip-schema.ts)
      owner_id   TEXT NOT NULL,
      node_id    TEXT NOT NULL,
      created_at INTEGER NOT NULL,
      version    INTEGER NOT NULL,
      -- A reservation's deadline (ms; 0 = held by an existing owner): see reservations.ts.
      expires_at INTEGER NOT NULL DEFAULT 0 CHECK (expires_at >= 0),
      UNIQUE (network_id, address),
      UNIQUE (owner_kind, owner_id, network_id)
    );
    CREATE INDEX IF NOT EXISTS attachments_by_node ON attachments (node_id);
  `);
  // Images (issue #13): added by name to an older database.
  const containerColumns = new Set((db.prepare('PRAGMA table_info(containers)').all() as { name: string }[]).map((c) => c.name));
  if (!containerColumns.has('image')) db.exec("ALTER TABLE containers ADD COLUMN image TEXT NOT NULL DEFAULT ''");
  if (!containerColumns.has('pull')) db.exec("ALTER TABLE containers ADD COLUMN pull TEXT NOT NULL DEFAULT ''");
  addReservationDeadlines(db);
}

/**
 * Schema 6: reservations carry a deadline. An older database gets the column, and its
 * container attachments whose container does not exist get the deadline they would have had
 * (created_at + the reservation TTL): the same rows give the same result on every manager.
 */
function addReservationDeadlines(db: Database.Database): void {
  const have = new Set((db.prepare('PRAGMA table_info(attachments)').all() as { name: string }[]).map((c) => c.name));
  if (!have.has('expires_at')) {
    db.exec('ALTER TABLE attachments ADD COLUMN expires_at INTEGER NOT NULL DEFAULT 0 CHECK (expires_at >= 0)');
    db.prepare(
      `UPDATE attachments SET expires_at = created_at + ?
       WHERE owner_kind = 'container' AND NOT EXISTS (SELECT 1 FROM containers c WHERE c.id = attachments.owner_id)`,
    ).run(RESERVATION_TTL_MS);
  }
  db.exec('CREATE INDEX IF NOT EXISTS attachments_reserved ON attachments (expires_at) WHERE expires_at > 0');
}
