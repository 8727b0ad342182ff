/**
 * Refuses Raft traffic from managers this cluster removed.
 *
 * After `init --force-new-cluster` the lost managers still believe in the old
 * membership. If one comes back, its messages carry the old configuration and
 * terms: an append or a snapshot from it at a higher term would depose the
 * forced leader and could overwrite the new cluster's log with the old one.
 * The manager therefore drops, at the transport, every message from a Raft ID
 * it knows as a removed member — before the core sees it — and tells the
 * sender why (PERMISSION_DENIED). The same holds for managers removed with
 * `node rm --force`/`leave`.
 *
 * The decision itself is pure (refusalFor); RemovedMembers keeps the set of
 * known removed IDs, recomputed when the membership or the whole state changes.
 */
import type Database from 'better-sqlite3';
import type { ConfState, NodeId } from '../../raft/core/types.js';

/**
 * Why a message from `from` is refused, or null to accept it. A node that is
 * not itself a member (a joining manager before the snapshot that adds it)
 * refuses nothing: it cannot know the membership yet.
 */
export function refusalFor(from: NodeId, self: NodeId, conf: ConfState, removed: ReadonlySet<NodeId>, clusterId: string): string | null {
  const isMember = (id: NodeId): boolean => conf.voters.includes(id) || conf.learners.includes(id);
  if (!isMember(self) || isMember(from) || !removed.has(from)) return null;
  return `raft node ${from} was removed from cluster ${clusterId}; it must not rejoin with its old state: run \`shoal leave --force\` on it, then \`shoal join\` again`;
}

/** Raft IDs known in the state (manager rows and removed_nodes) that are not members of `conf`. */
export function removedRaftIds(db: Database.Database, conf: ConfState): Set<NodeId> {
  const members = new Set([...conf.voters, ...conf.learners]);
  const rows = db.prepare("SELECT raft_id FROM nodes WHERE role = 'manager' UNION SELECT raft_id FROM removed_nodes").all() as { raft_id: number }[];
  return new Set(rows.map((r) => r.raft_id).filter((id) => !members.has(id)));
}

export class RemovedMembers {
  private removed: Set<NodeId> = new Set();
  private clusterId = '';

  constructor(
    private readonly self: NodeId,
    private readonly state: () => { db: Database.Database; conf: ConfState },
  ) {
    this.refresh();
  }

  /** Call when the membership changed or a snapshot replaced the state. */
  refresh(): void {
    const { db, conf } = this.state();
    this.removed = removedRaftIds(db, conf);
    const row = db.prepare('SELECT id FROM cluster WHERE singleton = 1').get() as { id: string } | undefined;
    this.clusterId = row?.id ?? '';
  }

  admit(from: NodeId): string | null {
    return refusalFor(from, this.self, this.state().conf, this.removed, this.clusterId);
  }
}
