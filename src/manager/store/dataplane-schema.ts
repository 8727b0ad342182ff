import type Database from 'better-sqlite3';
import { isIPv4 } from 'node:net';
import { stmt } from './statements.js';

/** The range accepted for a network's `mtu` option (IPv4's minimum datagram to a jumbo frame). */
export const NETWORK_MTU_MIN = 576;
export const NETWORK_MTU_MAX = 9000;

/**
 * Schema 8 (data plane, issue #11): columns added by name to any older database, with
 * defaults that keep what it meant before.
 * - networks.internal: created `--internal`, no egress (0 for every existing network).
 * - networks.mtu: the `mtu` driver option; 0 = the node's default (underlay MTU − 50).
 * - nodes.data_path_addr: where other nodes send the node's VXLAN traffic, replicated so a
 *   new leader serves peer tables with it at once; '' = not reported yet (the host of the
 *   advertise address stands in).
 */
export function migrateDataPlaneSchema(db: Database.Database): void {
  const columns = (table: string): Set<string> => new Set((db.prepare(`PRAGMA table_info(${table})`).all() as { name: string }[]).map((c) => c.name));
  const networks = columns('networks');
  if (!networks.has('internal')) db.exec('ALTER TABLE networks ADD COLUMN internal INTEGER NOT NULL DEFAULT 0 CHECK (internal IN (0, 1))');
  if (!networks.has('mtu')) {
    db.exec(`ALTER TABLE networks ADD COLUMN mtu INTEGER NOT NULL DEFAULT 0 CHECK (mtu = 0 OR mtu BETWEEN ${NETWORK_MTU_MIN} AND ${NETWORK_MTU_MAX})`);
  }
  if (!columns('nodes').has('data_path_addr')) db.exec("ALTER TABLE nodes ADD COLUMN data_path_addr TEXT NOT NULL DEFAULT ''");
}

/** A node's replicated data-path address, or null when it has not reported one (or is unknown). */
export function storedDataPathAddr(db: Database.Database, nodeId: string): string | null {
  const r = stmt(db, 'SELECT data_path_addr FROM nodes WHERE id = ?').get(nodeId) as { data_path_addr: string } | undefined;
  return r && r.data_path_addr !== '' ? r.data_path_addr : null;
}

/** What a node reported as its data-path address, kept only if it is an IPv4 address (a VXLAN destination); else '' (the advertise host stands in). */
export function checkedDataPathAddr(reported: string | undefined): string {
  const a = (reported ?? '').trim();
  return isIPv4(a) ? a : '';
}
