import type { ControlHandlers } from '../generated/shoal/v1/Control.js';
import type { ControlClient } from '../generated/shoal/v1/Control.js';
import type { ManagerInfo } from '../generated/shoal/v1/ManagerInfo.js';
import { ShoalError } from '../errors.js';
import { onLeader } from './forward.js';
import { unary } from './grpc-util.js';
import type { Manager } from './manager.js';
import { availabilityFromProto, nodeToProto, roleFromProto, type NodeOverlay } from './node-view.js';
import { getCluster, listManagers, listNodes, resolveNode, type NodeRecord } from './store/queries.js';
import { networksOfNode } from './store/network-queries.js';
import { networkToProto } from './network-view.js';
import { deriveJoinToken } from './tokens.js';
import { tokenDigest } from './store/apply.js';
import { clusterToProto } from './cluster-view.js';
import { checkTaskHistoryLimit } from './store/cluster-settings.js';
import { removeNodeFromCluster } from './membership.js';
import { checkRoleChange } from './node-role.js';
import { pendingPromotions } from './store/role-changes.js';
import { networkControlHandlers } from './network-control.js';
import { serviceControlHandlers } from './service-control.js';
import { requestOnce } from './idempotent.js';

/**
 * The public Control API. Reads are linearizable and served by any manager;
 * writes are served by the leader (followers forward them).
 * Networks and containers live in network-control.ts, services and tasks in
 * service-control.ts.
 */
export function controlHandlers(m: Manager): Partial<ControlHandlers> {
  const controlAt = (addr: string): ControlClient => m.peers.controlAt(addr);
  const overlay = (): NodeOverlay => {
    const conf = m.shell.membership;
    // A promoted node not yet added to Raft shows as catching up (not as a removed manager).
    const pending = pendingPromotions(m.store.db).map((p) => p.raftId);
    return { leaderRaftId: m.shell.leaderId, members: new Set([...conf.voters, ...conf.learners, ...pending]), learners: [...conf.learners, ...pending] };
  };

  return {
    ...networkControlHandlers(m),
    ...serviceControlHandlers(m),

    GetNode: unary(async (req) => {
      const node = await m.read((db) => resolveNode(db, req.ref ?? ''));
      return { node: nodeToProto(node, overlay()) };
    }),

    ListNodes: unary(async (req) => {
      const nodes = await m.read((db) => listNodes(db));
      const f = req.filter;
      const roles = new Set((req.roles ?? []).map((r) => roleFromProto(r)));
      const keep = (n: NodeRecord): boolean =>
        (!f?.names?.length || f.names.includes(n.hostname)) &&
        (!f?.idPrefixes?.length || f.idPrefixes.some((p) => n.id.startsWith(p))) &&
        Object.entries(f?.labels ?? {}).every(([k, v]) => k in n.labels && (v === '' || n.labels[k] === v)) &&
        (roles.size === 0 || roles.has(n.role));
      const o = overlay();
      return { nodes: nodes.filter(keep).map((n) => nodeToProto(n, o)) };
    }),

    UpdateNode: unary((req, call) =>
      onLeader(m, call, controlAt, (c) => c.UpdateNode.bind(c), async () => {
        const once = requestOnce(m, req.requestId, 'node.update');
        if (once.repeat) return { node: nodeToProto(resolveNode(m.store.db, req.ref ?? ''), overlay()) };
        const node = resolveNode(m.store.db, req.ref ?? '');
        const role = roleFromProto(req.role);
        if (role !== undefined) checkRoleChange(m, node, role); // node-role.ts: the rest converges from the stored role
        for (const k of Object.keys(req.labelAdd ?? {})) {
          if (k.trim() === '') throw new ShoalError('INVALID_ARGUMENT', 'label-add: a label key must not be empty');
        }
        const availability = availabilityFromProto(req.availability);
        await m.write({
          ...once.tag,
          op: 'node.update',
          at: Date.now(),
          id: node.id,
          version: Number(req.version ?? 0),
          ...(availability ? { availability } : {}),
          ...(role !== undefined && role !== node.role ? { role } : {}),
          labelsAdd: req.labelAdd ?? {},
          labelsRemove: req.labelRm ?? [],
        });
        return { node: nodeToProto(resolveNode(m.store.db, node.id), overlay()) };
      }),
    ),

    RemoveNode: unary((req, call) =>
      onLeader(m, call, controlAt, (c) => c.RemoveNode.bind(c), async () => {
        const once = requestOnce(m, req.requestId, 'node.remove');
        if (once.repeat) return {};
        const node = resolveNode(m.store.db, req.ref ?? '');
        if (node.role === 'manager' && !req.force) {
          throw new ShoalError(
            'FAILED_PRECONDITION',
            `node ${node.hostname} (${node.id}) is a manager: run \`shoal leave\` on it, or use --force to remove it from the Raft membership (it may cost quorum)`,
          );
        }
        await removeNodeFromCluster(m, node, Boolean(req.force), once.tag);
        return {};
      }),
    ),

    GetClusterInfo: unary(async (req) => {
      const nodeId = (req.nodeId ?? '').trim() || m.config.nodeId;
      const { cluster, nodes, networks } = await m.read((db) => ({ cluster: getCluster(db), nodes: listManagers(db), networks: networksOfNode(db, nodeId) }));
      const st = m.shell.status();
      const leader = nodes.find((n) => n.raftId === st.leader);
      const members = new Set([...st.conf.voters, ...st.conf.learners]);
      const managers: ManagerInfo[] = nodes
        .filter((n) => n.role === 'manager' && members.has(n.raftId))
        .map((n) => ({
          nodeId: n.id,
          raftId: n.raftId,
          addr: n.addr,
          reachability: n.reachable ? 'REACHABILITY_REACHABLE' : 'REACHABILITY_UNREACHABLE',
          leader: n.raftId === st.leader,
          catchingUp: st.conf.learners.includes(n.raftId),
        }));
      return {
        clusterId: cluster.id,
        nodeId: m.config.nodeId,
        role: 'NODE_ROLE_MANAGER',
        leaderNodeId: leader?.id ?? '',
        managers,
        raftTerm: st.term,
        commitIndex: st.commit,
        nodeNetworks: networks.map(networkToProto),
        cluster: clusterToProto(cluster),
      };
    }),

    GetJoinTokens: unary(async () => {
      const { cluster, nodes, digest } = await m.read((db) => ({ cluster: getCluster(db), nodes: listNodes(db), digest: tokenDigest(db, getCluster(db).id) }));
      return {
        worker: deriveJoinToken(digest, cluster.tokenKey, 'worker', cluster.workerTokenGen),
        manager: deriveJoinToken(digest, cluster.tokenKey, 'manager', cluster.managerTokenGen),
        managerAddrs: nodes.filter((n) => n.role === 'manager' && n.reachable).map((n) => n.addr),
      };
    }),

    RotateJoinToken: unary((req, call) =>
      onLeader(m, call, controlAt, (c) => c.RotateJoinToken.bind(c), async () => {
        const role = roleFromProto(req.role);
        if (!role) throw new ShoalError('INVALID_ARGUMENT', 'role: say which token to rotate, worker or manager');
        // A repeated rotation answers the current token rather than rotating it again.
        const once = requestOnce(m, req.requestId, 'token.rotate');
        if (!once.repeat) await m.write({ ...once.tag, op: 'token.rotate', at: Date.now(), role });
        const cluster = getCluster(m.store.db);
        const gen = role === 'manager' ? cluster.managerTokenGen : cluster.workerTokenGen;
        return { token: deriveJoinToken(tokenDigest(m.store.db, cluster.id), cluster.tokenKey, role, gen) };
      }),
    ),

    UpdateCluster: unary((req, call) =>
      onLeader(m, call, controlAt, (c) => c.UpdateCluster.bind(c), async () => {
        if (!req.setTaskHistoryRetentionLimit) {
          throw new ShoalError('INVALID_ARGUMENT', 'nothing to change: set a setting (set_task_history_retention_limit) to update the cluster');
        }
        const taskHistoryLimit = checkTaskHistoryLimit(Number(req.taskHistoryRetentionLimit ?? 0));
        const once = requestOnce(m, req.requestId, 'cluster.update');
        if (once.repeat) return { cluster: clusterToProto(getCluster(m.store.db)) };
        await m.write({ ...once.tag, op: 'cluster.update', at: Date.now(), version: Number(req.version ?? 0), taskHistoryLimit });
        return { cluster: clusterToProto(getCluster(m.store.db)) };
      }),
    ),
  };
}
