/**
 * What the leader answers a node's heartbeat with, built in one place for the unary Heartbeat and
 * the Connect stream: the period, the role the replicated state holds for the node (with its Raft
 * ID for that role), the managers to fail over to, and the CA's target roots.
 *
 * Every node asks once per heartbeat period (1,000 workers: 1,000 times a second), so an answer
 * must not read the store. The store only changes by applying entries or installing a snapshot,
 * and the store's `generation` moves with every one of them except the liveness records (node and
 * task status: most of the writes, and nothing an answer says). The facts are read once per
 * generation (and per leader, whose ID the managers' weights name), and a node's role the first
 * time that node asks in it. So a heartbeat touches no SQL, even while sessions open by the
 * hundred and their node.status writes apply ten times a second.
 *
 * On the Connect stream, a session is told a fact only when it differs from what that session was
 * told last (`SentFacts`): a steady-state answer is the acknowledgement and the period, 10 bytes,
 * where the full answer is ≈ 250 and encoding it was most of the handler's cost.
 */
import type Database from 'better-sqlite3';
import type { HeartbeatResponse } from '../generated/shoal/v1/HeartbeatResponse.js';
import type { SessionMessage } from '../generated/shoal/v1/SessionMessage.js';
import type { WeightedPeer } from '../generated/shoal/v1/WeightedPeer.js';
import { caTarget } from './ca-service.js';
import { readRotation } from './store/ca-rotation.js';
import { getCluster, listManagers } from './store/queries.js';
import { desiredRoleOf } from './store/role-changes.js';

/** The VXLAN port unless the cluster was initialised with another (`init --data-path-port`). */
const DATA_PATH_PORT_DEFAULT = 4789;

interface RoleFact {
  readonly desiredRole: 'NODE_ROLE_MANAGER' | 'NODE_ROLE_WORKER';
  readonly raftId: number;
  /** Compared by SentFacts. */
  readonly key: string;
}

/** The facts every answer at one applied index (and leader) shares. */
interface ClusterFacts {
  readonly generation: number;
  readonly leaderRaftId: number;
  readonly managers: WeightedPeer[];
  readonly managersKey: string;
  readonly caSigningDigest: string;
  readonly caTrustDigests: string[];
  readonly caKey: string;
  /** The new root's digest while a CA rotation is in progress. */
  readonly rotationDigest: string | null;
  readonly heartbeatMs: number;
  readonly sessionLossGraceMs: number | null;
  readonly dataPathPort: number;
  /** Filled as nodes ask; null: the node has no row (removed). */
  readonly roles: Map<string, RoleFact | null>;
}

export class HeartbeatFacts {
  private facts: ClusterFacts | null = null;

  constructor(
    private readonly db: () => Database.Database,
    /** The store's generation (StateStore.generation). */
    private readonly generation: () => number,
    private readonly leaderRaftId: () => number,
  ) {}

  /** The facts as of the store's current generation; read again only when it moved (or the leader changed). */
  current(): ClusterFacts {
    const generation = this.generation();
    const leaderRaftId = this.leaderRaftId();
    const f = this.facts;
    if (f && f.generation === generation && f.leaderRaftId === leaderRaftId) return f;
    const db = this.db();
    const managers = listManagers(db).map((n) => ({ nodeId: n.id, addr: n.addr, weight: n.raftId === leaderRaftId ? 2 : 1 }));
    const ca = caTarget(db);
    const settings = getCluster(db).settings;
    this.facts = {
      generation,
      leaderRaftId,
      managers,
      managersKey: managers.map((p) => `${p.nodeId}@${p.addr}*${p.weight}`).join(','),
      caSigningDigest: ca?.signingDigest ?? '',
      caTrustDigests: ca?.trustDigests ?? [],
      caKey: ca ? `${ca.signingDigest}/${ca.trustDigests.join(',')}` : '',
      rotationDigest: readRotation(db)?.digest ?? null,
      heartbeatMs: settings.dispatcherHeartbeatMs,
      sessionLossGraceMs: settings.sessionLossGraceMs ?? null,
      dataPathPort: settings.dataPathPort ?? DATA_PATH_PORT_DEFAULT,
      roles: new Map(),
    };
    return this.facts;
  }

  /** The role the replicated state holds for a node, or null if it has none (removed). */
  role(nodeId: string): RoleFact | null {
    const f = this.current();
    const known = f.roles.get(nodeId);
    if (known !== undefined) return known;
    const d = desiredRoleOf(this.db(), nodeId);
    const fact = d ? { desiredRole: d.role === 'manager' ? ('NODE_ROLE_MANAGER' as const) : ('NODE_ROLE_WORKER' as const), raftId: d.raftId, key: `${d.role}/${d.raftId}` } : null;
    f.roles.set(nodeId, fact);
    return fact;
  }

  /** The complete answer of the unary Heartbeat (an agent of an earlier version; it keeps no state between calls). */
  unaryAnswer(nodeId: string): HeartbeatResponse {
    const f = this.current();
    const role = this.role(nodeId);
    return {
      periodMs: f.heartbeatMs,
      ...(role ? { desiredRole: role.desiredRole, raftId: role.raftId, managers: f.managers } : {}),
      caSigningDigest: f.caSigningDigest,
      caTrustDigests: f.caTrustDigests,
    };
  }
}

/**
 * What one Connect session has been told, so that its answers carry only what changed. The agent
 * keeps the last values it was told (src/worker/agent.ts), so a field left out means "unchanged".
 */
export class SentFacts {
  private managersKey = '';
  private caKey = '';
  private roleKey = '';

  private periodMs = 0;

  /**
   * What changed since this session was last told, as a message sent without a heartbeat asking
   * (a session whose heartbeats are PINGs: heartbeat-pings.ts); null if nothing did.
   */
  changes(facts: HeartbeatFacts, nodeId: string, nowMs: number): SessionMessage | null {
    const periodBefore = this.periodMs;
    const msg = this.answer(facts, nodeId, nowMs);
    const changed = this.periodMs !== periodBefore || msg.desiredRole !== undefined || msg.managers !== undefined || msg.caSigningDigest !== undefined;
    return changed ? msg : null;
  }

  /** The answer to one heartbeat of `nodeId`, received at `nowMs`. */
  answer(facts: HeartbeatFacts, nodeId: string, nowMs: number): SessionMessage {
    const f = facts.current();
    this.periodMs = f.heartbeatMs;
    const msg: SessionMessage = { heartbeatAckUnixMs: nowMs, heartbeatPeriodMs: f.heartbeatMs };
    const role = facts.role(nodeId);
    // As the unary answer: a node without a row (being removed) is told neither role nor managers.
    if (role && role.key !== this.roleKey) {
      this.roleKey = role.key;
      msg.desiredRole = role.desiredRole;
      msg.raftId = role.raftId;
    }
    if (role && f.managersKey !== this.managersKey) {
      this.managersKey = f.managersKey;
      msg.managers = f.managers;
    }
    if (f.caKey !== this.caKey) {
      this.caKey = f.caKey;
      msg.caSigningDigest = f.caSigningDigest;
      msg.caTrustDigests = f.caTrustDigests;
    }
    return msg;
  }
}
