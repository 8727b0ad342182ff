import type { RaftHandlers, RaftClient } from '../generated/shoal/v1/Raft.js';
import type { RaftMember } from '../generated/shoal/v1/RaftMember.js';
import { ShoalError } from '../errors.js';
import { NotLeaderError } from '../raft/node-shell.js';
import { onLeader } from './forward.js';
import { unary } from './grpc-util.js';
import type { Manager } from './manager.js';
import { proposeConfChangePatiently, quorumLossReason, removeNodeFromCluster } from './membership.js';
import { getCluster, listManagers, resolveNode } from './store/queries.js';
import { hashJoinToken, newObjectId, tokenCaDigest, tokenMatches, validateTokenSyntax } from './tokens.js';
import { signNodeCertificate } from './ca-service.js';
import { checkCsr } from '../security/pki.js';
import { readRootCA } from './store/security-store.js';
import { retiredAt } from './store/ca-rotation.js';

const LEADER_HANDOVER_WAIT_MS = 5_000;

/** The manager-to-manager service: Raft traffic (the transport's stream), joining and leaving. */
export function raftServiceHandlers(m: Manager): RaftHandlers {
  const raftAt = (addr: string): RaftClient => m.peers.raftAt(addr);
  return {
    ...m.transport.handlers(),

    Join: unary((req, call) =>
      onLeader(m, call, raftAt, (c) => c.Join.bind(c), async () => {
        const token = (req.token ?? '').trim();
        const syntax = validateTokenSyntax(token);
        if (syntax) throw new ShoalError('UNAUTHENTICATED', syntax);
        const hostname = (req.hostname ?? '').trim();
        if (hostname === '') throw new ShoalError('INVALID_ARGUMENT', 'hostname: must not be empty');
        const addr = validateAdvertiseAddr(req.advertiseAddr ?? '');
        const cluster = getCluster(m.store.db);
        const role = tokenMatches(token, cluster.managerTokenHash) ? 'manager' : tokenMatches(token, cluster.workerTokenHash) ? 'worker' : null;
        const ca = readRootCA(m.store.db);
        const retired = !role && ca ? retiredAt(m.store.db, tokenCaDigest(token)) : null;
        if (retired !== null) {
          throw new ShoalError(
            'UNAUTHENTICATED',
            `the join token names this cluster's previous root CA, retired by \`shoal ca rotate\` at ${new Date(retired).toISOString()}; ask a manager for the current token with \`shoal join-token worker|manager\``,
          );
        }
        if (!role && ca && tokenCaDigest(token) !== ca.digest) {
          throw new ShoalError('UNAUTHENTICATED', "the join token was made for another cluster's CA (its digest does not match this cluster's root certificate); ask this cluster's manager for a token with `shoal join-token worker|manager`");
        }
        if (!role) {
          throw new ShoalError('UNAUTHENTICATED', 'the join token is invalid or was rotated; ask a manager for the current one with `shoal join-token worker|manager`');
        }
        const clash = listManagers(m.store.db).find((n) => n.addr === addr);
        if (role === 'manager' && clash) {
          throw new ShoalError('ALREADY_EXISTS', `manager ${clash.hostname} (${clash.id}) already uses address ${addr}; remove it first or advertise another address`);
        }
        // The request is checked before anything is written; the certificate is signed only after the join commits.
        // Without a CSR the node is registered but gets no certificate (benchmarks that simulate workers).
        const csr = ca ? (req.csr ?? '') : '';
        if (csr !== '') await checkCsr(csr);
        const id = newObjectId();
        const result = (await m.write({ op: 'node.join', at: Date.now(), id, hostname, role, addr, tokenHash: hashJoinToken(token) })) as { raftId: number };
        if (role === 'manager') {
          await proposeConfChangePatiently(m, { type: 'add-learner', nodeId: result.raftId, context: new TextEncoder().encode(addr) });
        }
        const issued = csr !== '' ? await signNodeCertificate(m.store.db, csr, id, role) : { certificate: '', caCertificate: ca?.certPem ?? '' };
        m.log.info('node-joined', { nodeId: id, raftId: result.raftId, role, addr, hostname });
        return {
          ...issued,
          nodeId: id,
          raftId: result.raftId,
          clusterId: cluster.id,
          role: role === 'manager' ? 'NODE_ROLE_MANAGER' : 'NODE_ROLE_WORKER',
          members: members(m),
          leaderRaftId: m.shell.leaderId,
        };
      }),
    ),

    Leave: unary((req, call) =>
      onLeader(m, call, raftAt, (c) => c.Leave.bind(c), async () => {
        const node = resolveNode(m.store.db, req.nodeId ?? '');
        const force = Boolean(req.force);
        const reason = quorumLossReason(m, node);
        if (reason && !force) throw new ShoalError('FAILED_PRECONDITION', `${reason}; use --force to leave anyway`);
        const conf = m.shell.membership;
        if (node.raftId === m.config.raftId) {
          if (conf.voters.length === 1 && conf.learners.length === 0) return {}; // the last manager: the cluster ends with it
          await handOverLeadership(m);
          throw new NotLeaderError(m.shell.leaderId); // onLeader forwards the request to the new leader
        }
        await removeNodeFromCluster(m, node, force);
        m.log.info('node-left', { nodeId: node.id, raftId: node.raftId, role: node.role });
        return {};
      }),
    ),

    ListMembers: unary(async () => {
      await m.read(() => null);
      return { members: members(m), leaderRaftId: m.shell.leaderId };
    }),
  };
}

function members(m: Manager): RaftMember[] {
  const conf = m.shell.membership;
  const byRaftId = new Map(listManagers(m.store.db).map((n) => [n.raftId, n]));
  const all = [...conf.voters.map((id) => ({ id, voter: true })), ...conf.learners.map((id) => ({ id, voter: false }))];
  return all.map(({ id, voter }) => {
    const n = byRaftId.get(id);
    return { raftId: id, nodeId: n?.id ?? '', addr: n?.addr ?? '', voter };
  });
}

/** Picks the most up-to-date reachable voter and hands leadership to it. */
async function handOverLeadership(m: Manager): Promise<void> {
  const st = m.shell.status();
  let best = 0;
  let bestMatch = -1;
  for (const v of st.conf.voters) {
    const p = st.progress?.get(v);
    if (v === st.id || !p || !m.shell.isPeerActive(v)) continue;
    if (p.match > bestMatch) {
      best = v;
      bestMatch = p.match;
    }
  }
  if (best === 0) throw new ShoalError('FAILED_PRECONDITION', 'no other reachable manager can take over leadership');
  m.log.info('leadership-transfer', { to: best, term: st.term });
  m.shell.transferLeadership(best);
  const deadline = Date.now() + LEADER_HANDOVER_WAIT_MS;
  while (Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 50));
    if (!m.shell.isLeader && m.shell.leaderId !== 0) return;
  }
  throw new ShoalError('UNAVAILABLE', `leadership transfer to raft node ${best} did not complete in ${LEADER_HANDOVER_WAIT_MS} ms; retry`);
}

function validateAdvertiseAddr(addr: string): string {
  const a = addr.trim();
  const m = /^(\[[0-9a-fA-F:]+\]|[^:\s]+):(\d{1,5})$/.exec(a);
  const port = m ? Number(m[2]) : 0;
  if (!m || port < 1 || port > 65535) {
    throw new ShoalError('INVALID_ARGUMENT', `advertise address "${addr}" is not HOST:PORT`);
  }
  return a;
}
