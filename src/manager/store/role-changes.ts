/**
 * Promotion and demotion in the replicated state (deterministic apply code).
 *
 * The node row's `role` is the role the node should have. A promotion also
 * gives the node a fresh Raft ID (from the cluster's counter): a node that was
 * a manager before, was demoted and wiped its Raft state, must never vote
 * again under an ID it voted with. A row in `pending_promotions` says "add
 * this Raft ID as a learner": the leader's membership monitor does it (also
 * after a leader crash in the middle) and clears the row once the ID is a
 * member. Without that row, a manager row outside the membership stays out
 * (a manager removed by a forced new cluster must not come back by itself).
 */
import type Database from 'better-sqlite3';
import { stmt } from './statements.js';
import type { NodeRole } from './commands.js';

export function migrateRoleChanges(db: Database.Database): void {
  db.exec(`
    CREATE TABLE IF NOT EXISTS pending_promotions (
      node_id TEXT PRIMARY KEY,
      raft_id INTEGER NOT NULL
    );
  `);
}

/**
 * Called by node.update apply when the role changes; returns the Raft ID the
 * row keeps (fresh on promotion).
 */
export function applyRoleChange(db: Database.Database, nodeId: string, from: { role: string; raftId: number }, to: NodeRole, index: number): number {
  if (to === from.role) return from.raftId;
  if (to === 'worker') {
    stmt(db, 'DELETE FROM pending_promotions WHERE node_id = ?').run(nodeId);
    return from.raftId;
  }
  const { next_raft_id: raftId } = stmt(db, 'SELECT next_raft_id FROM cluster WHERE singleton = 1').get() as { next_raft_id: number };
  stmt(db, 'UPDATE cluster SET next_raft_id = ?, version = ? WHERE singleton = 1').run(raftId + 1, index);
  stmt(db, 'UPDATE nodes SET raft_id = ? WHERE id = ?').run(raftId, nodeId);
  stmt(db, 'INSERT OR REPLACE INTO pending_promotions (node_id, raft_id) VALUES (?, ?)').run(nodeId, raftId);
  return raftId;
}

/** node.promotion-done: the promoted Raft ID is a member now; a stale report (ID changed since) changes nothing. */
export function applyPromotionDone(db: Database.Database, nodeId: string, raftId: number): null {
  stmt(db, 'DELETE FROM pending_promotions WHERE node_id = ? AND raft_id = ?').run(nodeId, raftId);
  return null;
}

export interface PendingPromotion {
  readonly nodeId: string;
  readonly raftId: number;
  readonly addr: string;
  readonly hostname: string;
}

/** Promotions whose node still exists as a manager with that Raft ID. */
export function pendingPromotions(db: Database.Database): PendingPromotion[] {
  return stmt(
    db,
    `SELECT p.node_id AS nodeId, p.raft_id AS raftId, n.addr AS addr, n.hostname AS hostname
       FROM pending_promotions p JOIN nodes n ON n.id = p.node_id AND n.raft_id = p.raft_id AND n.role = 'manager'
      ORDER BY p.raft_id`,
  ).all() as PendingPromotion[];
}

/** The role and Raft ID the state holds for a node (what its daemon converges to), or null if it is gone. */
export function desiredRoleOf(db: Database.Database, nodeId: string): { role: NodeRole; raftId: number } | null {
  const row = stmt(db, 'SELECT role, raft_id FROM nodes WHERE id = ?').get(nodeId) as { role: NodeRole; raft_id: number } | undefined;
  return row ? { role: row.role, raftId: row.raft_id } : null;
}
