/**
 * Cluster membership, from the leader's side:
 * - joining managers enter Raft as learners and are promoted to voters once
 *   they have caught up, so a new, empty manager never counts toward a quorum
 *   it cannot yet serve;
 * - the leader records each manager's reachability in the store when it
 *   changes (so every manager shows the same `node ls`);
 * - removal refuses to cost the cluster its quorum unless forced.
 */
import { ShoalError } from '../errors.js';
import type { Manager } from './manager.js';
import { listManagers, type NodeRecord } from './store/queries.js';
import { reconcileRoles, shouldBeManager } from './node-role.js';

const MONITOR_INTERVAL_MS = 250;
const CONF_CHANGE_RETRY_MS = 100;
const CONF_CHANGE_WAIT_MS = 10_000;

export class MembershipMonitor {
  private timer: NodeJS.Timeout | null = null;
  private busy = false;

  constructor(private readonly m: Manager) {}

  start(): void {
    this.timer = setInterval(() => this.onTick(), MONITOR_INTERVAL_MS);
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }

  /** Called after entries are applied; nothing to do yet, the periodic check is enough. */
  onApplied(): void {}

  private onTick(): void {
    if (this.busy || !this.m.shell.isLeader) return;
    this.busy = true;
    this.reconcile()
      .catch((e: unknown) => {
        // Leadership moves and quorum losses make these fail routinely; the next tick retries.
        this.m.log.warn('membership-reconcile-failed', { error: e instanceof Error ? e.message : String(e) });
      })
      .finally(() => {
        this.busy = false;
      });
  }

  private async reconcile(): Promise<void> {
    const st = this.m.shell.status();
    if (st.role !== 'leader' || !st.progress) return;
    // Roles first (node promote|demote): a demoted learner is removed, not made a voter.
    if (await reconcileRoles(this.m, st)) return;
    // Promote caught-up learners, one change at a time.
    for (const learner of st.conf.learners) {
      const p = st.progress.get(learner);
      if (p && p.match >= st.commit && this.m.shell.isPeerActive(learner) && shouldBeManager(this.m, learner)) {
        this.m.log.info('promote-learner', { raftId: learner, match: p.match, commit: st.commit });
        await this.m.proposeConfChange({ type: 'add-voter', nodeId: learner, context: new Uint8Array() });
        return;
      }
    }
    const nodes = listManagers(this.m.store.db);
    for (const n of nodes) {
      if (n.role !== 'manager') continue;
      const isMember = st.conf.voters.includes(n.raftId) || st.conf.learners.includes(n.raftId);
      if (!isMember) continue;
      const reachable = this.m.shell.isPeerActive(n.raftId);
      if (reachable !== n.reachable) {
        this.m.log.info(reachable ? 'manager-reachable' : 'manager-unreachable', { nodeId: n.id, raftId: n.raftId, term: st.term });
        await this.m.write({ op: 'node.reachability', at: Date.now(), raftId: n.raftId, reachable });
      }
    }
  }
}

/** Proposes a conf change, waiting while another one is still pending. */
export async function proposeConfChangePatiently(m: Manager, cc: Parameters<Manager['proposeConfChange']>[0]): Promise<void> {
  const deadline = Date.now() + CONF_CHANGE_WAIT_MS;
  for (;;) {
    try {
      await m.proposeConfChange(cc);
      return;
    } catch (e) {
      const pending = e instanceof ShoalError && e.code === 'FAILED_PRECONDITION' && /membership change/.test(e.message);
      if (!pending || Date.now() > deadline) throw e;
      await new Promise((r) => setTimeout(r, CONF_CHANGE_RETRY_MS));
    }
  }
}

/**
 * Checks that removing `node` leaves a reachable quorum. Returns the reason
 * it would not, or null.
 */
export function quorumLossReason(m: Manager, node: NodeRecord): string | null {
  const conf = m.shell.membership;
  if (!conf.voters.includes(node.raftId)) return null;
  const remaining = conf.voters.filter((v) => v !== node.raftId);
  if (remaining.length === 0) {
    return `node ${node.hostname} is the last manager: removing it would destroy the cluster's state`;
  }
  const nodes = new Map(listManagers(m.store.db).map((n) => [n.raftId, n]));
  const reachable = remaining.filter((v) => v === m.config.raftId || nodes.get(v)?.reachable).length;
  const quorum = Math.floor(remaining.length / 2) + 1;
  if (reachable < quorum) {
    return `removing manager ${node.hostname} would leave ${remaining.length} managers of which ${reachable} are reachable, fewer than the ${quorum} a quorum needs`;
  }
  return null;
}

/** Leader only: removes a node from the store and, for a manager, from Raft. */
export async function removeNodeFromCluster(m: Manager, node: NodeRecord, force: boolean, tag: { readonly requestId?: string } = {}): Promise<void> {
  const conf = m.shell.membership;
  const inRaft = conf.voters.includes(node.raftId) || conf.learners.includes(node.raftId);
  if (inRaft) {
    const reason = quorumLossReason(m, node);
    if (reason && !force) throw new ShoalError('FAILED_PRECONDITION', `${reason}; use --force to do it anyway`);
    if (node.raftId === m.config.raftId) {
      throw new ShoalError('FAILED_PRECONDITION', 'the leader cannot remove itself; it hands leadership over first (retry)');
    }
    await proposeConfChangePatiently(m, { type: 'remove-node', nodeId: node.raftId, context: new Uint8Array() });
  }
  await m.write({ ...tag, op: 'node.remove', at: Date.now(), id: node.id });
}
