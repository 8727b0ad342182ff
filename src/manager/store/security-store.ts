import type Database from 'better-sqlite3';
import { stmt } from './statements.js';
import { migrateCaRotationSchema } from './ca-rotation.js';

/**
 * The cluster's PKI state, replicated like every other row: the root CA
 * (certificate and key: every manager can sign, as in swarm mode) and the
 * deny list of removed nodes' certificates. Kept in tables of their own so
 * the cluster row's schema does not change.
 *
 * Apply code here is deterministic: the time comes from the command, and the
 * CA's key and digest were made by the proposer (`shoal init`).
 */
export function migrateSecuritySchema(db: Database.Database): void {
  db.exec(`
    CREATE TABLE IF NOT EXISTS ca_root (
      singleton   INTEGER PRIMARY KEY CHECK (singleton = 1),
      cert_pem    TEXT NOT NULL,
      key_pem     TEXT NOT NULL,
      -- SHA-256 of the certificate in base 36: what join tokens carry.
      digest      TEXT NOT NULL,
      created_at  INTEGER NOT NULL,
      -- An external CA given as an intermediate (ca rotate --cert BUNDLE): the intermediate, whose key
      -- key_pem is, and its issuers below the root; cert_pem is then the root. '' when the root signs.
      chain_pem   TEXT NOT NULL DEFAULT ''
    );
    -- Certificates of removed nodes, refused until they can no longer be valid (then pruned).
    CREATE TABLE IF NOT EXISTS denied_certs (
      node_id     TEXT PRIMARY KEY,
      denied_at   INTEGER NOT NULL,
      until       INTEGER NOT NULL
    );
  `);
  migrateCaRotationSchema(db);
}

export interface RootCARow {
  readonly certPem: string;
  readonly keyPem: string;
  readonly digest: string;
  readonly createdAt: number;
  /** The intermediate that signs and its issuers below the root, signer first; '' when the root signs. */
  readonly chainPem: string;
}

export function insertRootCA(db: Database.Database, ca: { certPem: string; keyPem: string; digest: string }, at: number): void {
  stmt(db, 'INSERT INTO ca_root (singleton, cert_pem, key_pem, digest, created_at) VALUES (1, ?, ?, ?, ?)').run(ca.certPem, ca.keyPem, ca.digest, at);
}

export function readRootCA(db: Database.Database): RootCARow | null {
  const row = stmt(db, 'SELECT cert_pem, key_pem, digest, created_at, chain_pem FROM ca_root').get() as
    | { cert_pem: string; key_pem: string; digest: string; created_at: number; chain_pem: string }
    | undefined;
  return row ? { certPem: row.cert_pem, keyPem: row.key_pem, digest: row.digest, createdAt: row.created_at, chainPem: row.chain_pem } : null;
}

/** Entries are kept a week past the last moment a certificate of theirs could be valid. */
const PRUNE_AFTER_MS = 7 * 24 * 3_600_000;

/**
 * A removed node's certificates are refused from the moment the removal
 * applies. `certExpiryMs` bounds how long any certificate issued to it
 * before the removal can live; old entries are pruned on the way.
 */
export function denyNodeCertificates(db: Database.Database, nodeId: string, at: number, certExpiryMs: number): void {
  denyListGenerations.set(db, denyListGeneration(db) + 1);
  stmt(db, 'DELETE FROM denied_certs WHERE until < ?').run(at - PRUNE_AFTER_MS);
  stmt(db, 'INSERT OR REPLACE INTO denied_certs (node_id, denied_at, until) VALUES (?, ?, ?)').run(nodeId, at, at + certExpiryMs);
}

export function isCertificateDenied(db: Database.Database, nodeId: string): boolean {
  return stmt(db, 'SELECT 1 FROM denied_certs WHERE node_id = ?').get(nodeId) !== undefined;
}

/**
 * How many times this connection's deny list was written (in memory, not replicated state: it only
 * tells caches when to forget). Every write to denied_certs goes through denyNodeCertificates; a
 * snapshot restore swaps the connection, whose count then starts again with the caches keyed on it.
 * A bump inside an apply that rolls back only costs the caches a refill.
 */
const denyListGenerations = new WeakMap<Database.Database, number>();

export function denyListGeneration(db: Database.Database): number {
  return denyListGenerations.get(db) ?? 0;
}

/** Bound on the node IDs a deny check remembers (callers are the cluster's nodes and admin clients). */
const DENY_CACHE_MAX = 10_000;

/**
 * isCertificateDenied for the authorization of every call on the TCP port, remembered per node ID
 * until the deny list changes or the store's connection is swapped (restore). The SQLite query it
 * saves ran once per call (docs/benchmarks.md, mTLS profile); a removal still refuses the removed
 * node's very next call, because applying it bumps the generation before the call is checked.
 */
export function cachedDenyCheck(currentDb: () => Database.Database): (nodeId: string) => boolean {
  let db: Database.Database | null = null;
  let generation = -1;
  const known = new Map<string, boolean>();
  return (nodeId) => {
    const now = currentDb();
    const g = denyListGeneration(now);
    if (now !== db || g !== generation) {
      known.clear();
      db = now;
      generation = g;
    }
    let denied = known.get(nodeId);
    if (denied === undefined) {
      denied = isCertificateDenied(now, nodeId);
      if (known.size >= DENY_CACHE_MAX) known.clear();
      known.set(nodeId, denied);
    }
    return denied;
  };
}

export function deniedCount(db: Database.Database): number {
  return (stmt(db, 'SELECT COUNT(*) AS n FROM denied_certs').get() as { n: number }).n;
}
