/**
 * CA rotation in the replicated store (`shoal ca rotate`): the new root (its
 * key too, like the current root's), the new root cross-signed by the old one,
 * the nodes that already hold a certificate from the new root, and the roots a
 * completed rotation retired. Every manager applies the same commands, so a
 * new leader continues a rotation where the old one left it.
 *
 * Order of a rotation:
 *  1. `ca.rotate.start`: the new root signs from now on; nodes trust old + new.
 *     With `force`, a start during a rotation replaces it: the abandoned root's
 *     certificates still verify through its cross-signature by the old root, and
 *     every node is reissued again from the replacement.
 *  2. `ca.rotate.node`: a node's heartbeat reported a certificate from the new root.
 *  3. `ca.rotate.complete` (the leader proposes it once no node is pending): the new
 *     root replaces the old one, which is no longer trusted, and the join tokens are
 *     re-derived with the new root's digest (old tokens stop working).
 *
 * Apply code: deterministic (times and key material come from the command).
 */
import type Database from 'better-sqlite3';
import { ShoalError } from '../../errors.js';
import { deriveJoinToken, hashJoinToken } from '../tokens.js';
import { recordEvent } from './events.js';
import { readRootCA } from './security-store.js';
import { stmt } from './statements.js';

export type CaCommand =
  | {
      readonly op: 'ca.rotate.start';
      readonly at: number;
      readonly certPem: string;
      readonly keyPem: string;
      readonly digest: string;
      readonly crossPem: string;
      /**
       * An external CA given as an intermediate: the intermediate (whose key is keyPem) and any
       * certificates between it and the root (certPem), signer first. Absent or '' for a root that signs itself.
       */
      readonly chainPem?: string;
      /** Replace a rotation in progress instead of refusing (`ca rotate --force`). */
      readonly force?: boolean;
    }
  | { readonly op: 'ca.rotate.node'; readonly at: number; readonly nodeIds: readonly string[]; readonly digest: string }
  | { readonly op: 'ca.rotate.complete'; readonly at: number; readonly digest: string };

const OPS = new Set(['ca.rotate.start', 'ca.rotate.node', 'ca.rotate.complete']);

export function isCaCommand(cmd: { readonly op: string }): cmd is CaCommand {
  return OPS.has(cmd.op);
}

export function migrateCaRotationSchema(db: Database.Database): void {
  db.exec(`
    CREATE TABLE IF NOT EXISTS ca_rotation (
      singleton   INTEGER PRIMARY KEY CHECK (singleton = 1),
      cert_pem    TEXT NOT NULL,
      key_pem     TEXT NOT NULL,
      digest      TEXT NOT NULL,
      -- The new root's key and subject, signed by the old root.
      cross_pem   TEXT NOT NULL,
      started_at  INTEGER NOT NULL,
      -- An external intermediate CA: the intermediate and its issuers below the root ('' when the root signs).
      chain_pem   TEXT NOT NULL DEFAULT ''
    );
    -- Nodes that reported a certificate from the rotation's new root.
    CREATE TABLE IF NOT EXISTS ca_rotation_nodes (
      node_id     TEXT PRIMARY KEY,
      at          INTEGER NOT NULL
    );
    -- Roots replaced by a completed rotation (for the message an old join token gets).
    CREATE TABLE IF NOT EXISTS ca_retired_roots (
      digest      TEXT PRIMARY KEY,
      retired_at  INTEGER NOT NULL
    );
  `);
  // State from before external intermediates.
  for (const table of ['ca_root', 'ca_rotation']) {
    const columns = new Set((db.prepare(`PRAGMA table_info(${table})`).all() as { name: string }[]).map((c) => c.name));
    if (columns.size > 0 && !columns.has('chain_pem')) db.exec(`ALTER TABLE ${table} ADD COLUMN chain_pem TEXT NOT NULL DEFAULT ''`);
  }
}

export interface Rotation {
  readonly certPem: string;
  readonly keyPem: string;
  readonly digest: string;
  readonly crossPem: string;
  readonly startedAt: number;
  /** See CaCommand's chainPem: '' when the new root signs itself. */
  readonly chainPem: string;
}

export function readRotation(db: Database.Database): Rotation | null {
  const r = stmt(db, 'SELECT cert_pem, key_pem, digest, cross_pem, started_at, chain_pem FROM ca_rotation').get() as
    | { cert_pem: string; key_pem: string; digest: string; cross_pem: string; started_at: number; chain_pem: string }
    | undefined;
  return r ? { certPem: r.cert_pem, keyPem: r.key_pem, digest: r.digest, crossPem: r.cross_pem, startedAt: r.started_at, chainPem: r.chain_pem } : null;
}

export interface PendingNode {
  readonly id: string;
  readonly hostname: string;
  readonly role: string;
}

/** Nodes without a certificate from the rotation's new root (all nodes when none is in progress). */
export function pendingRotationNodes(db: Database.Database): PendingNode[] {
  return stmt(db, 'SELECT id, hostname, role FROM nodes WHERE id NOT IN (SELECT node_id FROM ca_rotation_nodes) ORDER BY hostname, id').all() as PendingNode[];
}

export function rotatedNodeCount(db: Database.Database): number {
  return (stmt(db, 'SELECT COUNT(*) AS n FROM ca_rotation_nodes WHERE node_id IN (SELECT id FROM nodes)').get() as { n: number }).n;
}

export function isRotatedNode(db: Database.Database, nodeId: string): boolean {
  return stmt(db, 'SELECT 1 FROM ca_rotation_nodes WHERE node_id = ?').get(nodeId) !== undefined;
}

/** When a root with this digest was retired by a rotation, or null. */
export function retiredAt(db: Database.Database, digest: string): number | null {
  const r = stmt(db, 'SELECT retired_at FROM ca_retired_roots WHERE digest = ?').get(digest) as { retired_at: number } | undefined;
  return r ? r.retired_at : null;
}

/** The root the last completed rotation retired, and when; null if none ever completed. */
export function lastRetiredRoot(db: Database.Database): { digest: string; retiredAt: number } | null {
  const r = stmt(db, 'SELECT digest, retired_at FROM ca_retired_roots ORDER BY retired_at DESC, digest LIMIT 1').get() as { digest: string; retired_at: number } | undefined;
  return r ? { digest: r.digest, retiredAt: r.retired_at } : null;
}

export function lastRetiredDigest(db: Database.Database): string {
  return lastRetiredRoot(db)?.digest ?? '';
}

export function applyCaCommand(db: Database.Database, cmd: CaCommand, index: number): unknown {
  switch (cmd.op) {
    case 'ca.rotate.start': {
      const root = readRootCA(db);
      if (!root) throw new ShoalError('FAILED_PRECONDITION', 'this cluster has no certificate authority (it was created before mutual TLS); there is nothing to rotate');
      const current = readRotation(db);
      if (current && !cmd.force) throw rotationInProgress(current.digest);
      if (cmd.digest === root.digest) throw new ShoalError('INVALID_ARGUMENT', 'the new root is the current root');
      if (current?.digest === cmd.digest) throw new ShoalError('INVALID_ARGUMENT', 'the new root is the root of the rotation in progress');
      // A forced start replaces the rotation: nodes reissued from the abandoned root count again as pending.
      stmt(db, 'DELETE FROM ca_rotation').run();
      stmt(db, 'DELETE FROM ca_rotation_nodes').run();
      stmt(db, 'INSERT INTO ca_rotation (singleton, cert_pem, key_pem, digest, cross_pem, started_at, chain_pem) VALUES (1, ?, ?, ?, ?, ?, ?)').run(
        cmd.certPem,
        cmd.keyPem,
        cmd.digest,
        cmd.crossPem,
        cmd.at,
        cmd.chainPem ?? '',
      );
      touchCluster(db, cmd.at, index);
      return { digest: cmd.digest, replaced: current?.digest ?? '' };
    }
    case 'ca.rotate.node': {
      const current = readRotation(db);
      // A report for a rotation that completed (or another one) changes nothing.
      if (!current || current.digest !== cmd.digest) return null;
      for (const id of cmd.nodeIds) {
        if (stmt(db, 'SELECT 1 FROM nodes WHERE id = ?').get(id)) stmt(db, 'INSERT OR IGNORE INTO ca_rotation_nodes (node_id, at) VALUES (?, ?)').run(id, cmd.at);
      }
      return null;
    }
    case 'ca.rotate.complete': {
      const current = readRotation(db);
      if (!current || current.digest !== cmd.digest) return null; // completed already (a retry, or a second leader)
      const pending = pendingRotationNodes(db);
      if (pending.length > 0) throw new ShoalError('FAILED_PRECONDITION', `the CA rotation cannot complete: ${pending.length} node(s) do not hold a certificate from the new root yet`);
      const old = readRootCA(db);
      if (old) stmt(db, 'INSERT OR REPLACE INTO ca_retired_roots (digest, retired_at) VALUES (?, ?)').run(old.digest, cmd.at);
      stmt(db, 'UPDATE ca_root SET cert_pem = ?, key_pem = ?, digest = ?, created_at = ?, chain_pem = ?').run(current.certPem, current.keyPem, current.digest, cmd.at, current.chainPem);
      stmt(db, 'DELETE FROM ca_rotation').run();
      stmt(db, 'DELETE FROM ca_rotation_nodes').run();
      // Tokens carry the root's digest: the same secrets, re-derived with the new digest.
      const c = stmt(db, 'SELECT token_key, worker_token_gen, manager_token_gen FROM cluster').get() as { token_key: string; worker_token_gen: number; manager_token_gen: number } | undefined;
      if (c) {
        stmt(db, 'UPDATE cluster SET worker_token_hash = ?, manager_token_hash = ?').run(
          hashJoinToken(deriveJoinToken(current.digest, c.token_key, 'worker', c.worker_token_gen)),
          hashJoinToken(deriveJoinToken(current.digest, c.token_key, 'manager', c.manager_token_gen)),
        );
      }
      touchCluster(db, cmd.at, index);
      return null;
    }
  }
}

/** The refusal of a second `ca rotate` while one runs (the store and the RPC say the same). */
export function rotationInProgress(digest: string): ShoalError {
  return new ShoalError(
    'FAILED_PRECONDITION',
    `a CA rotation (to root ${digest.slice(0, 12)}…) is already in progress; follow it with \`shoal ca inspect\` (nodes that stay offline keep it pending: start them, or remove them with \`shoal node rm\`), or replace it with a new root: \`shoal ca rotate --force\``,
  );
}

function touchCluster(db: Database.Database, at: number, index: number): void {
  const c = stmt(db, 'SELECT id FROM cluster').get() as { id: string } | undefined;
  if (!c) return;
  stmt(db, 'UPDATE cluster SET updated_at = ?, version = ? WHERE singleton = 1').run(at, index);
  recordEvent(db, index, 'cluster', 'update', c.id);
}
