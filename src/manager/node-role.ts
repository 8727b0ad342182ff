/**
 * Promotion and demotion, from the leader's side (`shoal node promote|demote`).
 *
 * The request only checks and records the role the node should have (its node
 * row; a promotion also records a pending learner with a fresh Raft ID, see
 * store/role-changes.ts). Everything after that converges from the replicated
 * state, so a crash of the leader or of the node at any step resumes where it
 * stopped:
 * - the leader's membership monitor (reconcileRoles, each tick, one change at a
 *   time) adds a promoted node as a learner (the monitor then makes it a voter
 *   once caught up, as for a joining manager), removes a demoted one from Raft,
 *   and hands leadership over first when the demoted node is itself;
 * - the node's daemon learns its role from each heartbeat and starts or stops
 *   its manager (src/node/daemon.ts).
 */
import { ShoalError } from '../errors.js';
import type { NodeShell } from '../raft/node-shell.js';

type RaftStatus = ReturnType<NodeShell['status']>;
import type { Manager } from './manager.js';
import { proposeConfChangePatiently } from './membership.js';
import type { NodeRole } from './store/commands.js';
import { listManagers, type NodeRecord } from './store/queries.js';
import { pendingPromotions } from './store/role-changes.js';
import { stmt } from './store/statements.js';

/** Why `node` may not become `role` now, or null. Demotion must leave a reachable quorum, as docker requires. */
export function roleChangeRefusal(m: Manager, node: NodeRecord, role: NodeRole): string | null {
  if (role !== 'worker' || node.role !== 'manager') return null;
  const conf = m.shell.membership;
  if (!conf.voters.includes(node.raftId)) return null; // a learner still catching up counts toward no quorum
  const remaining = conf.voters.filter((v) => v !== node.raftId);
  if (remaining.length === 0) {
    return `node ${node.hostname} is the last manager of the cluster (1 of 1): demoting it would leave no manager; promote another node first`;
  }
  const rows = new Map(listManagers(m.store.db).map((n) => [n.raftId, n]));
  const reachable = remaining.filter((v) => v === m.config.raftId || rows.get(v)?.reachable).length;
  const quorum = Math.floor(remaining.length / 2) + 1;
  if (reachable < quorum) {
    return (
      `demoting manager ${node.hostname} would leave ${remaining.length} of the ${conf.voters.length} managers, of which ${reachable} ` +
      `${reachable === 1 ? 'is' : 'are'} reachable: fewer than the ${quorum} a quorum of ${remaining.length} needs; bring the unreachable managers back (or remove them) first`
    );
  }
  return null;
}

/** Checks a role change requested by UpdateNode; throws FAILED_PRECONDITION with the numbers when refused. */
export function checkRoleChange(m: Manager, node: NodeRecord, role: NodeRole): void {
  const reason = roleChangeRefusal(m, node, role);
  if (reason) throw new ShoalError('FAILED_PRECONDITION', reason);
}

/**
 * One convergence step of the Raft membership toward the roles in the store (leader only).
 * Returns true if it did something (the caller then waits for the next tick).
 */
export async function reconcileRoles(m: Manager, st: RaftStatus): Promise<boolean> {
  const db = m.store.db;
  const members = [...st.conf.voters, ...st.conf.learners];
  // A member without a manager row was demoted (its row says worker, or a new promotion gave the row a fresh
  // Raft ID). The leader itself only when its row says worker: a manager restored from a backup may have none.
  const managerIds = new Set(listManagers(db).map((n) => n.raftId));
  const isWorkerRow = (id: number): boolean => stmt(db, "SELECT 1 FROM nodes WHERE raft_id = ? AND role = 'worker'").get(id) !== undefined;
  const demoted = members.filter((id) => !managerIds.has(id) && (id !== m.config.raftId || isWorkerRow(id)));
  for (const id of demoted) {
    if (id === m.config.raftId) {
      await handOverLeadership(m, st);
      return true;
    }
    m.log.info('demote-remove-member', { raftId: id, term: st.term });
    await proposeConfChangePatiently(m, { type: 'remove-node', nodeId: id, context: new Uint8Array() });
    return true;
  }
  for (const p of pendingPromotions(db)) {
    if (members.includes(p.raftId)) {
      await m.write({ op: 'node.promotion-done', at: Date.now(), id: p.nodeId, raftId: p.raftId });
    } else {
      m.log.info('promote-add-learner', { nodeId: p.nodeId, raftId: p.raftId, addr: p.addr });
      await proposeConfChangePatiently(m, { type: 'add-learner', nodeId: p.raftId, context: new TextEncoder().encode(p.addr) });
    }
    return true;
  }
  return false;
}

/** A learner is made a voter only while its node should be a manager. */
export function shouldBeManager(m: Manager, raftId: number): boolean {
  return (stmt(m.store.db, "SELECT 1 FROM nodes WHERE raft_id = ? AND role = 'manager'").get(raftId)) !== undefined;
}

const HANDOVER_WAIT_MS = 5_000;

/** Hands leadership to the most up-to-date reachable voter that stays a manager. */
async function handOverLeadership(m: Manager, st: RaftStatus): Promise<void> {
  let best = 0;
  let bestMatch = -1;
  for (const v of st.conf.voters) {
    const p = st.progress?.get(v);
    if (v === st.id || !p || !m.shell.isPeerActive(v) || !shouldBeManager(m, v)) continue;
    if (p.match > bestMatch) {
      best = v;
      bestMatch = p.match;
    }
  }
  if (best === 0) throw new ShoalError('FAILED_PRECONDITION', 'this leader was demoted, but no other reachable manager can take over leadership yet');
  m.log.info('demote-leadership-transfer', { to: best, term: st.term });
  m.shell.transferLeadership(best);
  const deadline = Date.now() + HANDOVER_WAIT_MS;
  while (Date.now() < deadline && m.shell.isLeader) await new Promise((r) => setTimeout(r, 50));
}
