import { applyConfChangeTo, assertConfState, encodeConfChange, validateConfChange } from './conf-change.js';
import type { Config } from './config.js';
import { ConfigError } from './config.js';
import { RaftLog } from './log.js';
import { EMPTY_BYTES, TRANSFER_CONTEXT, bytesEqual, makeMessage } from './messages.js';
import type { MessageFields } from './messages.js';
import type { ProgressStatus, RaftNode, RaftStatus } from './node-api.js';
import { Progress } from './progress.js';
import { committedIndex, majority, voteResult } from './quorum.js';
import { randomInt } from './random.js';
import { ReadOnlyQueue } from './read-only.js';
import { CompactedError, SnapshotTemporarilyUnavailableError } from './storage.js';
import { NONE, OK } from './types.js';
import type {
  ConfChange,
  ConfState,
  Entry,
  EntryKind,
  HardState,
  Message,
  MessageType,
  NodeId,
  RaftRefusal,
  RaftResult,
  ReadState,
  Ready,
  Role,
  Snapshot,
  SnapshotMeta,
  SoftState,
} from './types.js';
import { validateConfig } from './validate-config.js';
import type { ResolvedConfig } from './validate-config.js';

export { validateConfig };

/** Bound on read requests queued on a leader (awaiting a heartbeat round or a commit in its term). */
const READS_PENDING_MAX = 4096;

function refuse(refusal: RaftRefusal): RaftResult {
  return { ok: false, refusal };
}

/** A snapshot being assembled from chunks on a follower. */
interface SnapshotReceive {
  readonly meta: SnapshotMeta;
  readonly buffer: Uint8Array;
  received: number;
}

/**
 * One Raft node as a pure state machine (see node-api.ts for the driving loop).
 * The structure follows etcd's raft: one `step` switch per role around small
 * helpers (log, progress, quorum, read-only, conf-change).
 */
export class RawNode implements RaftNode {
  readonly id: NodeId;
  private readonly cfg: ResolvedConfig;
  private readonly log: RaftLog;

  // Persistent state (mirrored to HardState). Invariant: term never decreases.
  private term = 0;
  private vote: NodeId = NONE;

  private role: Role = 'follower';
  private lead: NodeId = NONE;
  private conf: ConfState;
  /** Every member's replication progress; meaningful on the leader only. */
  private progress = new Map<NodeId, Progress>();
  private readonly votes = new Map<NodeId, boolean>();

  private msgs: Message[] = [];
  private readStates: ReadState[] = [];

  private electionElapsed = 0;
  private heartbeatElapsed = 0;
  /** Leader only: ticks since the current leadership transfer started. */
  private transferElapsed = 0;
  /** Ticks since this node started (never reset): heartbeats carry it so that acks date followers' lease promises. */
  private ticks = 0;
  /** Leader only: per voter, the newest heartbeat stamp (our `ticks` when sent) it acknowledged in this term. */
  private leaseAcks = new Map<NodeId, number>();
  /** Leader only: a transfer was started in this term; its forced votes break followers' leases. */
  private transferStarted = false;
  /**
   * Set at a restart until one election timeout has passed: before it this
   * node may have promised a leader not to vote for others (its lease), and
   * the restart must not break that promise.
   */
  private bootLease = false;
  /** In [electionTicks, 2 * electionTicks), drawn again at every role change. */
  private randomizedElectionTimeout = 0;
  /**
   * Follower only: ticks until the campaign that a leader-lost report scheduled
   * (0: none). Cleared by anything from a leader and by every role change.
   */
  private leaderLostCampaignIn = 0;
  /** This pre-candidacy was started by a leader-lost report (cleared at every role change). */
  private leaderLostCampaign = false;

  private leadTransferee: NodeId = NONE;
  /** Index of the last conf-change entry this leader may have appended; a new one waits until applied >= it. */
  private pendingConfIndex = 0;
  private uncommittedBytes = 0;
  private readonly readOnly = new ReadOnlyQueue(READS_PENDING_MAX);
  /** Reads that arrived before this leader committed an entry in its term. */
  private deferredReads: { context: Uint8Array; from: NodeId }[] = [];
  /** Proposals appended since the last broadcast; sent in one batch at ready() to save messages. */
  private proposalsUnsent = false;
  private snapshotReceive: SnapshotReceive | null = null;

  private prevHardState: HardState;
  private prevSoftState: SoftState = { leader: NONE, role: 'follower' };
  private outstanding: Ready | null = null;

  constructor(config: Config) {
    this.cfg = validateConfig(config);
    this.id = this.cfg.id;
    this.log = new RaftLog(this.cfg.storage);
    const { hardState, confState } = this.cfg.storage.initialState();
    assertConfState(confState);
    this.conf = confState;
    if (hardState.commit < this.log.committed || hardState.commit > this.log.lastIndex()) {
      throw new Error(`persisted commit ${hardState.commit} is outside the stored log [${this.log.committed}, ${this.log.lastIndex()}]`);
    }
    this.log.commitTo(hardState.commit);
    this.term = hardState.term;
    this.vote = hardState.vote;
    const applied = Math.max(this.cfg.applied, this.log.firstIndex() - 1);
    if (applied > this.log.committed) {
      throw new ConfigError(`applied (${applied}) is beyond the persisted commit index (${this.log.committed})`);
    }
    this.log.applied = applied;
    this.prevHardState = hardState;
    this.becomeFollower(this.term, NONE);
    // A node that has never been in a term (a new cluster or joiner) has promised no one a lease.
    this.bootLease = hardState.term > 0;
  }

  // ---------------------------------------------------------------- public API

  tick(): void {
    this.ticks++;
    if (this.role === 'leader') this.tickHeartbeat();
    else this.tickElection();
  }

  step(m: Message): void {
    if (m.to !== this.id) throw new Error(`node ${this.id} was handed a message for ${m.to}`);
    if (m.from === this.id || m.from === NONE) throw new Error(`node ${this.id}: message ${m.type} has invalid sender ${m.from}`);
    if (!this.checkTerm(m)) return;
    if (m.type === 'vote' || m.type === 'pre-vote') {
      this.handleVoteRequest(m);
      return;
    }
    switch (this.role) {
      case 'leader':
        this.stepLeader(m);
        break;
      case 'candidate':
      case 'pre-candidate':
        this.stepCandidate(m);
        break;
      case 'follower':
        this.stepFollower(m);
        break;
    }
  }

  propose(data: Uint8Array): RaftResult {
    const refusal = this.checkProposal(data.length);
    if (refusal !== null) return refuse(refusal);
    this.appendEntry('normal', data);
    return OK;
  }

  proposeConfChange(cc: ConfChange): RaftResult {
    const invalid = validateConfChange(this.conf, cc);
    const data = invalid === null ? encodeConfChange(cc) : EMPTY_BYTES;
    const refusal = this.checkProposal(data.length);
    if (refusal !== null) return refuse(refusal);
    if (this.pendingConfIndex > this.log.applied) {
      return refuse({ code: 'conf-change-pending', pendingIndex: this.pendingConfIndex });
    }
    if (invalid !== null) return refuse({ code: 'invalid-conf-change', message: invalid });
    this.appendEntry('conf-change', data);
    this.pendingConfIndex = this.log.lastIndex();
    return OK;
  }

  applyConfChange(cc: ConfChange): ConfState {
    this.conf = applyConfChangeTo(this.conf, cc);
    this.syncProgressWithConf();
    if (this.role !== 'leader') return this.conf;
    if (!this.conf.voters.includes(this.id) && this.cfg.stepDownOnRemoval) {
      this.logEvent('stepped-down-on-removal', { term: this.term });
      this.becomeFollower(this.term, NONE);
      return this.conf;
    }
    if (this.leadTransferee !== NONE && !this.conf.voters.includes(this.leadTransferee)) this.abortLeaderTransfer();
    if (this.maybeCommit()) this.bcastAppend();
    else for (const id of this.progress.keys()) if (id !== this.id) this.maybeSendAppend(id, false);
    return this.conf;
  }

  readIndex(context: Uint8Array): RaftResult {
    if (this.role === 'leader') return this.leaderRead(context, NONE);
    if (this.lead === NONE) return refuse({ code: 'no-leader' });
    this.send('read-index', this.lead, { context });
    return OK;
  }

  transferLeadership(target: NodeId): RaftResult {
    if (this.role !== 'leader') return this.notLeader();
    if (target === this.id) {
      this.abortLeaderTransfer();
      return OK;
    }
    if (!this.conf.voters.includes(target)) {
      return refuse({ code: 'invalid-conf-change', message: `transfer target ${target} is not a voter` });
    }
    if (this.leadTransferee === target) return OK;
    this.abortLeaderTransfer();
    this.logEvent('transfer-started', { term: this.term, target });
    // The transfer must finish within one election timeout, counted from now. (Its own counter:
    // resetting electionElapsed instead postponed check-quorum, so repeated transfer requests kept
    // a leader cut off from its quorum in place.)
    this.transferElapsed = 0;
    this.leadTransferee = target;
    this.transferStarted = true;
    const pr = this.mustProgress(target);
    if (pr.match === this.log.lastIndex()) this.send('timeout-now', target, {});
    else this.maybeSendAppend(target, true);
    return OK;
  }

  campaign(): void {
    this.hup(false);
  }

  hasReady(): boolean {
    if (this.outstanding !== null) return false;
    const ss = this.prevSoftState;
    const hs = this.prevHardState;
    return (
      this.proposalsUnsent ||
      this.msgs.length > 0 ||
      this.readStates.length > 0 ||
      this.log.unstable.entries.length > 0 ||
      this.log.unstable.snapshot !== null ||
      this.log.hasNextCommittedEntries() ||
      ss.leader !== this.lead ||
      ss.role !== this.role ||
      hs.term !== this.term ||
      hs.vote !== this.vote ||
      hs.commit !== this.log.committed
    );
  }

  ready(): Ready {
    if (this.outstanding !== null) throw new Error('ready() called again before advance() of the previous Ready');
    if (this.proposalsUnsent) {
      this.proposalsUnsent = false;
      if (this.role === 'leader') this.bcastAppend();
    }
    const ss = this.prevSoftState;
    const softChanged = ss.leader !== this.lead || ss.role !== this.role;
    const hs = this.prevHardState;
    const hardChanged = hs.term !== this.term || hs.vote !== this.vote || hs.commit !== this.log.committed;
    const entries = this.log.unstable.entries.slice();
    const snapshot = this.log.unstable.snapshot;
    const rd: Ready = {
      softState: softChanged ? { leader: this.lead, role: this.role } : null,
      hardState: hardChanged ? { term: this.term, vote: this.vote, commit: this.log.committed } : null,
      entries,
      snapshot,
      committedEntries: this.log.nextCommittedEntries(this.cfg.maxCommittedSizePerReadyBytes),
      messages: this.msgs,
      readStates: this.readStates,
      mustSync: entries.length > 0 || snapshot !== null || hs.term !== this.term || hs.vote !== this.vote,
    };
    if (rd.softState !== null) this.prevSoftState = rd.softState;
    if (rd.hardState !== null) this.prevHardState = rd.hardState;
    this.msgs = [];
    this.readStates = [];
    this.outstanding = rd;
    return rd;
  }

  advance(rd: Ready): void {
    if (this.outstanding !== rd) throw new Error('advance() must be given the Ready returned by the last ready()');
    this.outstanding = null;
    if (rd.snapshot !== null) {
      const idx = rd.snapshot.meta.index;
      this.log.unstable.stableSnapTo(idx);
      if (idx > this.log.applied) this.log.appliedTo(idx);
    }
    const lastEntry = rd.entries[rd.entries.length - 1];
    if (lastEntry !== undefined) this.log.unstable.stableTo(lastEntry.index, lastEntry.term);
    const lastCommitted = rd.committedEntries[rd.committedEntries.length - 1];
    if (lastCommitted !== undefined) {
      this.log.appliedTo(lastCommitted.index);
      if (this.role === 'leader') this.reduceUncommitted(rd.committedEntries);
    }
    if (this.role === 'leader') {
      // The leader counts its own log only once it is durable. A commit this moves is not sent on
      // its own: the followers learn it from the next append or heartbeat (see maybeCommit).
      const self = this.progress.get(this.id);
      if (self !== undefined && self.maybeUpdate(this.log.stableLastIndex())) this.commitQuietly();
    }
  }

  reportSnapshot(to: NodeId, status: 'finished' | 'failure'): void {
    const pr = this.progress.get(to);
    if (this.role !== 'leader' || pr === undefined || pr.state !== 'snapshot') return;
    // Either way probe next: on success the follower's next append is acked, on failure it is refused and we retry.
    pr.becomeProbe();
    if (status === 'failure') pr.probeSent = false;
  }

  reportUnreachable(to: NodeId): void {
    const pr = this.progress.get(to);
    if (this.role !== 'leader' || pr === undefined) return;
    if (pr.state === 'replicate') pr.becomeProbe();
  }

  reportLeaderLost(leader: NodeId): void {
    // Only the follower of exactly that leader acts, and only where giving up the lease is safe:
    // pre-vote keeps a wrong report from raising terms, check-quorum makes the other followers'
    // leases refuse it, and with lease-based reads the leader's reads rest on this node's
    // promise, which a report (possibly spurious) must not break.
    if (this.role !== 'follower' || leader === NONE || this.lead !== leader) return;
    if (!this.cfg.preVote || !this.cfg.checkQuorum || this.cfg.readOnly !== 'safe') return;
    if (!this.promotable()) return;
    // Forgetting the leader gives up our lease: from now on we grant pre-votes (the other
    // survivors of a crash were told too, so a candidate can win at once). A follower that was
    // not told still hears the leader and refuses, so a report from a minority elects nobody.
    // (A restart's boot lease goes too: we follow `leader` in our current term, so any promise
    // made before the restart was to this leader or to one already replaced.)
    this.lead = NONE;
    this.bootLease = false;
    // Survivors would all campaign in the same moment and split the vote; rank them by ID
    // instead: the lowest campaigns now, the next one after 2 full ticks (time for the first
    // one's pre-vote to arrive, even on a slow machine), the third after 4, and so on.
    // Granting an earlier one's pre-vote cancels a later one's turn (that candidate will most
    // likely win; if not, the election timer is still running).
    const rank = this.conf.voters.filter((id) => id !== leader && id < this.id).length;
    this.logEvent('leader-lost', { term: this.term, leader, rank });
    if (rank === 0) this.hup(false);
    else this.leaderLostCampaignIn = 2 * rank + 1;
    this.leaderLostCampaign = this.campaigning();
  }

  status(): RaftStatus {
    let progress: Map<NodeId, ProgressStatus> | null = null;
    if (this.role === 'leader') {
      progress = new Map();
      for (const [id, pr] of this.progress) {
        progress.set(id, { match: pr.match, next: pr.next, state: pr.state, recentActive: pr.recentActive, isLearner: pr.isLearner });
      }
    }
    return {
      id: this.id,
      role: this.role,
      term: this.term,
      vote: this.vote,
      leader: this.lead,
      commit: this.log.committed,
      applied: this.log.applied,
      lastIndex: this.log.lastIndex(),
      conf: this.conf,
      progress,
      leadTransferee: this.leadTransferee,
    };
  }

  // ---------------------------------------------------------------- role changes

  private reset(term: number): void {
    if (term < this.term) throw new Error(`term would go back from ${this.term} to ${term}`);
    if (term !== this.term) {
      this.term = term;
      this.vote = NONE;
    }
    this.lead = NONE;
    this.electionElapsed = 0;
    this.heartbeatElapsed = 0;
    this.leaderLostCampaignIn = 0;
    this.leaderLostCampaign = false;
    this.randomizedElectionTimeout = randomInt(this.cfg.random, this.cfg.electionTicks, 2 * this.cfg.electionTicks);
    this.leadTransferee = NONE;
    this.leaseAcks = new Map();
    this.transferStarted = false;
    this.votes.clear();
    this.readOnly.reset();
    this.deferredReads = [];
    this.uncommittedBytes = 0;
    this.proposalsUnsent = false;
    this.progress = new Map();
    this.syncProgressWithConf();
  }

  private becomeFollower(term: number, lead: NodeId): void {
    const wasLeader = this.role === 'leader';
    this.reset(term);
    this.lead = lead;
    this.role = 'follower';
    if (wasLeader) this.logEvent('stepped-down', { term });
  }

  private becomePreCandidate(): void {
    if (this.role === 'leader') throw new Error('invalid transition leader -> pre-candidate');
    // Pre-vote changes neither term nor vote: a node that cannot win disturbs nobody.
    this.bootLease = false;
    this.votes.clear();
    this.lead = NONE;
    this.role = 'pre-candidate';
  }

  private becomeCandidate(): void {
    if (this.role === 'leader') throw new Error('invalid transition leader -> candidate');
    this.bootLease = false;
    this.reset(this.term + 1);
    this.vote = this.id;
    this.role = 'candidate';
  }

  private becomeLeader(): void {
    if (this.role === 'follower') throw new Error('invalid transition follower -> leader');
    this.reset(this.term);
    this.lead = this.id;
    this.role = 'leader';
    const self = this.progress.get(this.id);
    if (self !== undefined) self.maybeUpdate(this.log.stableLastIndex());
    // Conservatively treat any unapplied tail as possibly holding a conf change (as etcd does).
    this.pendingConfIndex = this.log.lastIndex();
    this.logEvent('became-leader', { term: this.term, lastIndex: this.log.lastIndex() });
    // The no-op entry lets the new leader commit (and so learn the commit index) in its own term.
    this.appendEntry('normal', EMPTY_BYTES);
    this.proposalsUnsent = false;
    this.bcastAppend();
  }

  /** Make `progress` hold exactly the members of `conf` (new members start probing at the end of our log). */
  private syncProgressWithConf(): void {
    const next = this.log.lastIndex() + 1;
    for (const id of this.progress.keys()) {
      if (!this.conf.voters.includes(id) && !this.conf.learners.includes(id)) this.progress.delete(id);
    }
    for (const id of this.conf.voters) {
      const pr = this.progress.get(id);
      if (pr === undefined) this.progress.set(id, new Progress(next, this.cfg.maxInflightMsgs, false));
      else pr.isLearner = false;
    }
    for (const id of this.conf.learners) {
      if (!this.progress.has(id)) this.progress.set(id, new Progress(next, this.cfg.maxInflightMsgs, true));
    }
  }

  // ---------------------------------------------------------------- elections

  private promotable(): boolean {
    return this.conf.voters.includes(this.id) && this.log.unstable.snapshot === null;
  }

  private tickElection(): void {
    this.electionElapsed++;
    if (this.electionElapsed >= this.cfg.electionTicks) this.bootLease = false;
    if (this.leaderLostCampaignIn > 0 && --this.leaderLostCampaignIn === 0 && this.role === 'follower' && this.lead === NONE) {
      this.hup(false);
      this.leaderLostCampaign = this.campaigning();
      return;
    }
    if (this.promotable() && this.electionElapsed >= this.randomizedElectionTimeout) {
      this.electionElapsed = 0;
      this.hup(false);
    }
  }

  private tickHeartbeat(): void {
    this.heartbeatElapsed++;
    this.electionElapsed++;
    if (this.leadTransferee !== NONE && ++this.transferElapsed >= this.cfg.electionTicks) this.abortLeaderTransfer();
    if (this.electionElapsed >= this.cfg.electionTicks) {
      this.electionElapsed = 0;
      if (this.cfg.checkQuorum) {
        if (!this.quorumActive()) {
          this.logEvent('check-quorum-failed', { term: this.term });
          this.becomeFollower(this.term, NONE);
          return;
        }
        for (const [id, pr] of this.progress) pr.recentActive = id === this.id;
      }
    }
    if (this.heartbeatElapsed >= this.cfg.heartbeatTicks) {
      this.heartbeatElapsed = 0;
      this.bcastHeartbeat(this.readOnly.lastPendingContext() ?? EMPTY_BYTES);
    }
  }

  private quorumActive(): boolean {
    let active = 0;
    for (const id of this.conf.voters) {
      if (id === this.id || this.progress.get(id)?.recentActive === true) active++;
    }
    return active >= majority(this.conf.voters.length);
  }

  private hup(transfer: boolean): void {
    if (this.role === 'leader' || !this.promotable()) return;
    if (this.hasUnappliedConfChange()) {
      this.logEvent('campaign-deferred', { reason: 'unapplied conf change', term: this.term });
      return;
    }
    this.logEvent('campaign', { term: this.term, preVote: this.cfg.preVote && !transfer });
    this.startCampaign(this.cfg.preVote && !transfer ? 'pre' : 'real', transfer);
  }

  /** A committed but unapplied conf change may change who votes; wait until it is applied. */
  private hasUnappliedConfChange(): boolean {
    if (this.log.committed <= this.log.applied) return false;
    const ents = this.log.slice(this.log.applied + 1, this.log.committed + 1, Number.MAX_SAFE_INTEGER);
    return ents.some((e) => e.kind === 'conf-change');
  }

  private startCampaign(kind: 'pre' | 'real', transfer: boolean): void {
    let voteTerm: number;
    let type: MessageType;
    if (kind === 'pre') {
      this.becomePreCandidate();
      voteTerm = this.term + 1;
      type = 'pre-vote';
    } else {
      this.becomeCandidate();
      voteTerm = this.term;
      type = 'vote';
    }
    if (this.poll(this.id, true) === 'won') {
      // A single voter wins at once.
      if (kind === 'pre') this.startCampaign('real', transfer);
      else this.becomeLeader();
      return;
    }
    const lastIndex = this.log.lastIndex();
    const lastTerm = this.log.lastTerm();
    const context = transfer ? TRANSFER_CONTEXT : EMPTY_BYTES;
    for (const id of this.conf.voters) {
      if (id !== this.id) this.sendWithTerm(type, id, voteTerm, { logIndex: lastIndex, logTerm: lastTerm, context });
    }
  }

  private poll(id: NodeId, granted: boolean): 'won' | 'lost' | 'pending' {
    if (!this.votes.has(id)) this.votes.set(id, granted);
    return voteResult(this.conf.voters, this.votes);
  }

  /**
   * The term rules common to every role. Returns false when the message has
   * been fully handled (or dropped) here.
   */
  private checkTerm(m: Message): boolean {
    if (m.term > this.term) {
      if (m.type === 'vote' || m.type === 'pre-vote') {
        const force = bytesEqual(m.context, TRANSFER_CONTEXT);
        const inLease = this.cfg.checkQuorum && (this.lead !== NONE || this.bootLease) && this.electionElapsed < this.cfg.electionTicks;
        // Leader lease: we heard from a live leader recently, so this candidate is disruptive.
        if (!force && inLease) return false;
      }
      if (m.type === 'pre-vote' || (m.type === 'pre-vote-resp' && !m.reject)) return true; // pre-vote never bumps terms
      const fromLeader = m.type === 'append' || m.type === 'heartbeat' || m.type === 'snapshot';
      this.becomeFollower(m.term, fromLeader ? m.from : NONE);
      return true;
    }
    if (m.term < this.term) {
      if ((this.cfg.checkQuorum || this.cfg.preVote) && (m.type === 'append' || m.type === 'heartbeat' || m.type === 'snapshot')) {
        // Tell a stale leader about the newer term so that it steps down
        // (without pre-vote raising terms, nothing else would).
        this.send('append-resp', m.from, {});
      } else if (m.type === 'pre-vote') {
        this.send('pre-vote-resp', m.from, { reject: true });
      }
      return false;
    }
    return true;
  }

  private handleVoteRequest(m: Message): void {
    const isPre = m.type === 'pre-vote';
    const canVote = this.vote === m.from || (this.vote === NONE && this.lead === NONE) || (isPre && m.term > this.term);
    const respType: MessageType = isPre ? 'pre-vote-resp' : 'vote-resp';
    if (canVote && this.log.isUpToDate(m.logIndex, m.logTerm)) {
      // The response carries the request's term so the (pre-)candidate counts it.
      this.sendWithTerm(respType, m.from, m.term, {});
      this.leaderLostCampaignIn = 0;
      if (!isPre) {
        this.electionElapsed = 0;
        this.vote = m.from;
      } else if (this.leaderLostCampaign && m.from < this.id) {
        // Two survivors of a crash whose turns overlapped (a slow machine) would grant each
        // other's pre-votes and split the real vote; the higher ID steps aside. Its requests
        // already sent are harmless, and a follower ignores the answers.
        this.logEvent('leader-lost-yield', { term: this.term, to: m.from });
        this.becomeFollower(this.term, NONE);
      }
    } else {
      this.send(respType, m.from, { reject: true });
    }
  }

  // ---------------------------------------------------------------- per-role steps

  private stepLeader(m: Message): void {
    switch (m.type) {
      case 'append-resp':
        this.handleAppendResp(m);
        break;
      case 'heartbeat-resp':
        this.handleHeartbeatResp(m);
        break;
      case 'snapshot-resp':
        this.handleSnapshotResp(m);
        break;
      case 'read-index':
        if (!this.leaderRead(m.context, m.from).ok) this.logEvent('read-dropped', { from: m.from });
        break;
      case 'append':
      case 'heartbeat':
      case 'snapshot':
        throw new Error(`election safety violated: leader ${this.id} got ${m.type} from ${m.from} in its own term ${this.term}`);
      default:
        break; // stale votes, timeout-now and read-index-resp mean nothing to a leader
    }
  }

  private stepCandidate(m: Message): void {
    switch (m.type) {
      case 'append':
      case 'heartbeat':
      case 'snapshot':
        // A leader exists in this term (or, for a pre-candidate, in our current term).
        this.becomeFollower(m.term, m.from);
        this.stepFollower(m);
        break;
      case 'vote-resp':
      case 'pre-vote-resp': {
        if ((m.type === 'vote-resp') !== (this.role === 'candidate')) break;
        const result = this.poll(m.from, !m.reject);
        if (result === 'won') {
          if (this.role === 'pre-candidate') this.startCampaign('real', false);
          else this.becomeLeader();
        } else if (result === 'lost') {
          this.becomeFollower(this.term, NONE);
        }
        break;
      }
      default:
        break;
    }
  }

  private stepFollower(m: Message): void {
    switch (m.type) {
      case 'append':
        this.heardFromLeader(m.from);
        this.handleAppend(m);
        break;
      case 'heartbeat':
        this.heardFromLeader(m.from);
        this.handleHeartbeat(m);
        break;
      case 'snapshot':
        this.heardFromLeader(m.from);
        this.handleSnapshotChunk(m);
        break;
      case 'timeout-now':
        // Leadership transfer: campaign at once, skipping pre-vote and breaking leases.
        this.hup(true);
        break;
      case 'read-index-resp':
        this.readStates.push({ index: m.index, context: m.context });
        break;
      default:
        break; // stale responses; read-index is only served by the leader
    }
  }

  /** Whether hup() left us a pre-candidate (a method: TypeScript would keep the role narrowed from before the call). */
  private campaigning(): boolean {
    return this.role === 'pre-candidate';
  }

  /** The leader spoke (again): its lease is renewed and a pending leader-lost campaign is off. */
  private heardFromLeader(leader: NodeId): void {
    this.electionElapsed = 0;
    this.lead = leader;
    this.leaderLostCampaignIn = 0;
  }

  // ---------------------------------------------------------------- follower side of replication

  private handleAppend(m: Message): void {
    if (m.logIndex < this.log.committed) {
      this.send('append-resp', m.from, { index: this.log.committed });
      return;
    }
    const lastNew = this.log.maybeAppend(m.logIndex, m.logTerm, m.commit, m.entries);
    if (lastNew !== null) {
      this.send('append-resp', m.from, { index: lastNew });
      return;
    }
    // Suggest where to probe next: the last index whose term is <= the leader's term at logIndex.
    const hint = this.log.findConflictByTerm(Math.min(m.logIndex, this.log.lastIndex()), m.logTerm);
    this.send('append-resp', m.from, { reject: true, index: m.logIndex, rejectHint: hint.index, logTerm: hint.term });
  }

  private handleHeartbeat(m: Message): void {
    // The leader caps commit at what it knows we hold, so this never exceeds our log.
    this.log.commitTo(m.commit);
    // Echo the leader's stamp: it dates the lease promise this message renewed (electionElapsed is 0 again).
    this.send('heartbeat-resp', m.from, { context: m.context, index: m.index });
  }

  private handleSnapshotChunk(m: Message): void {
    const c = m.snapshot;
    if (c === null) throw new Error(`snapshot message from ${m.from} carries no chunk`);
    if (c.done !== (c.offset + c.data.length === c.totalBytes)) throw new Error('snapshot chunk: done flag disagrees with its offset');
    if (c.meta.index <= this.log.committed) {
      // Nothing to learn from it; tell the leader where we are instead.
      this.snapshotReceive = null;
      this.send('append-resp', m.from, { index: this.log.committed });
      return;
    }
    let recv = this.snapshotReceive;
    if (recv !== null && (recv.meta.index !== c.meta.index || recv.meta.term !== c.meta.term || recv.buffer.length !== c.totalBytes)) {
      recv = null;
    }
    if (recv === null && c.offset === 0) recv = { meta: c.meta, buffer: new Uint8Array(c.totalBytes), received: 0 };
    this.snapshotReceive = recv;
    const ack = { logIndex: c.meta.index, logTerm: c.meta.term };
    if (recv === null || c.offset > recv.received) {
      // A chunk went missing (or we restarted): ask the leader to resume from what we have.
      this.send('snapshot-resp', m.from, { ...ack, reject: true, index: recv === null ? 0 : recv.received });
      return;
    }
    const end = c.offset + c.data.length;
    if (end > recv.received) {
      recv.buffer.set(c.data, c.offset);
      recv.received = end;
    }
    this.send('snapshot-resp', m.from, { ...ack, index: recv.received });
    if (recv.received === recv.buffer.length) {
      this.snapshotReceive = null;
      this.installSnapshot(m.from, { meta: recv.meta, data: recv.buffer });
    }
  }

  private installSnapshot(from: NodeId, snap: Snapshot): void {
    const { index, term, conf } = snap.meta;
    if (index <= this.log.committed) {
      this.send('append-resp', from, { index: this.log.committed });
      return;
    }
    if (!conf.voters.includes(this.id) && !conf.learners.includes(this.id)) {
      // Unlike etcd we accept it: a node joining after compaction gets a snapshot
      // older than its own admission; the conf-change entries after it make this
      // node a member. Safe because a node outside its conf never campaigns.
      this.logEvent('snapshot-from-before-membership', { index });
    }
    if (this.log.matchTerm(index, term)) {
      // We already hold the entry: just move commit forward.
      this.log.commitTo(index);
      this.send('append-resp', from, { index: this.log.committed });
      return;
    }
    assertConfState(conf);
    this.log.restore(snap);
    this.conf = conf;
    this.syncProgressWithConf();
    this.logEvent('snapshot-restored', { index, term });
    this.send('append-resp', from, { index: this.log.lastIndex() });
  }

  // ---------------------------------------------------------------- leader side of replication

  private handleAppendResp(m: Message): void {
    const pr = this.progress.get(m.from);
    if (pr === undefined) return;
    pr.recentActive = true;
    if (m.reject) {
      const hint = m.logTerm > 0 ? this.log.findConflictByTerm(m.rejectHint, m.logTerm).index : m.rejectHint;
      if (pr.maybeDecrTo(m.index, hint)) {
        if (pr.state === 'replicate') pr.becomeProbe();
        this.maybeSendAppend(m.from, true);
      }
      return;
    }
    if (!(pr.maybeUpdate(m.index) || (pr.match === m.index && pr.state === 'probe'))) return;
    if (pr.state === 'probe') {
      pr.becomeReplicate();
    } else if (pr.state === 'snapshot') {
      const snapIndex = pr.pendingSnapshot?.meta.index ?? 0;
      if (pr.match >= snapIndex || pr.match + 1 >= this.log.firstIndex()) {
        pr.becomeProbe();
        pr.becomeReplicate();
      }
    } else {
      pr.inflights.freeLE(m.index);
    }
    // A new commit index is not broadcast in appends of its own (each cost every follower a
    // Ready and an ack per write): it rides on the next append or heartbeat (see maybeCommit).
    this.commitQuietly();
    // Fill the window: bounded because each send either fills a slot or reaches the end of the log.
    for (let k = 0; k < this.cfg.maxInflightMsgs && this.maybeSendAppend(m.from, false); k++);
    if (m.from === this.leadTransferee && pr.match === this.log.lastIndex()) {
      this.send('timeout-now', m.from, {});
    }
  }

  private handleHeartbeatResp(m: Message): void {
    const pr = this.progress.get(m.from);
    if (pr === undefined) return;
    pr.recentActive = true;
    pr.probeSent = false;
    if (m.index > (this.leaseAcks.get(m.from) ?? 0)) this.leaseAcks.set(m.from, m.index);
    if (pr.state === 'replicate' && pr.inflights.full()) pr.inflights.freeFirstOne();
    if (pr.state === 'snapshot') this.retransmitSnapshot(m.from, pr);
    else if (pr.match < this.log.lastIndex()) this.maybeSendAppend(m.from, true);
    // Lease-based reads fall back to this round when the lease is not backed by recent acks.
    if (m.context.length === 0) return;
    const acks = this.readOnly.recvAck(m.from, m.context);
    if (acks === null) return;
    let voterAcks = 0;
    for (const id of this.conf.voters) if (id === this.id || acks.has(id)) voterAcks++;
    if (voterAcks < majority(this.conf.voters.length)) return;
    for (const req of this.readOnly.advance(m.context)) this.answerRead(req.index, req.context, req.from);
  }

  private handleSnapshotResp(m: Message): void {
    const pr = this.progress.get(m.from);
    if (pr === undefined) return;
    pr.recentActive = true;
    const snap = pr.pendingSnapshot;
    if (pr.state !== 'snapshot' || snap === null || snap.meta.index !== m.logIndex || snap.meta.term !== m.logTerm) return;
    if (m.reject) {
      pr.snapshotAckedBytes = Math.min(m.index, snap.data.length);
      this.sendSnapshotChunk(m.from, pr);
    } else if (m.index > pr.snapshotAckedBytes) {
      pr.snapshotAckedBytes = m.index;
      if (m.index < snap.data.length) this.sendSnapshotChunk(m.from, pr);
    }
    // Once every byte is acked the follower answers with an append-resp stating its new log.
  }

  /** A heartbeat answer proves the follower is alive: resend the chunk it is missing, in case it was lost. */
  private retransmitSnapshot(to: NodeId, pr: Progress): void {
    const snap = pr.pendingSnapshot;
    if (snap === null) throw new Error(`progress of ${to} is in snapshot state without a snapshot`);
    if (pr.snapshotAckedBytes < snap.data.length) {
      this.sendSnapshotChunk(to, pr);
      return;
    }
    // Fully delivered but the follower's final answer was lost: probe it.
    pr.becomeProbe();
    this.maybeSendAppend(to, true);
  }

  /**
   * Moves the commit index to what a quorum holds without a message of its own for the followers
   * (each commit-only append cost every follower a Ready and an ack per write). The next append
   * carries it (under load one follows within the same turn), a heartbeat carries it to an idle
   * follower (within heartbeatTicks), and a follower whose read waits on it is sent an append at
   * once (answerRead). Only the leader's apply, and so its client's answer, waits on the commit
   * index; a follower's apply of ordinary entries may trail by up to one heartbeat. A commit that
   * covers a membership change, or the log tail a new leader inherited (pendingConfIndex is set
   * to the last index on election), is still broadcast at once: the members act on those.
   */
  private commitQuietly(): void {
    const before = this.log.committed;
    if (!this.maybeCommit()) return;
    if (before < this.pendingConfIndex && this.pendingConfIndex <= this.log.committed) this.bcastAppend();
  }

  private maybeCommit(): boolean {
    if (this.conf.voters.length === 0) return false;
    const idx = committedIndex(this.conf.voters, (id) => this.progress.get(id)?.match ?? 0);
    if (!this.log.maybeCommit(idx, this.term)) return false;
    this.releaseDeferredReads();
    return true;
  }

  private bcastAppend(): void {
    for (const id of this.progress.keys()) if (id !== this.id) this.maybeSendAppend(id, true);
  }

  private bcastHeartbeat(context: Uint8Array): void {
    for (const [id, pr] of this.progress) {
      if (id === this.id) continue;
      // Never tell a follower to commit past what it is known to hold.
      const commit = Math.min(pr.match, this.log.committed);
      this.send('heartbeat', id, { commit, context, index: this.ticks });
      if (commit > pr.sentCommit) pr.sentCommit = commit;
    }
  }

  /** Send the entries `to` is missing (or a snapshot). Returns whether a message was sent. */
  private maybeSendAppend(to: NodeId, sendIfEmpty: boolean): boolean {
    const pr = this.progress.get(to);
    if (pr === undefined || pr.isPaused()) return false;
    const prevIndex = pr.next - 1;
    let prevTerm: number;
    let entries: Entry[];
    try {
      prevTerm = this.log.term(prevIndex);
      entries = this.log.entriesFrom(pr.next, this.cfg.maxSizePerMsgBytes);
    } catch (e) {
      if (e instanceof CompactedError) return this.sendSnapshot(to, pr);
      throw e;
    }
    if (entries.length === 0 && !sendIfEmpty) return false;
    this.send('append', to, { logIndex: prevIndex, logTerm: prevTerm, entries, commit: this.log.committed });
    // The follower commits at most to the last entry this append covers.
    const told = Math.min(this.log.committed, prevIndex + entries.length);
    if (told > pr.sentCommit) pr.sentCommit = told;
    const last = entries[entries.length - 1];
    if (pr.state === 'replicate' && last !== undefined) {
      pr.optimisticUpdate(last.index);
      pr.inflights.add(last.index);
    } else if (pr.state === 'probe') {
      pr.probeSent = true;
    }
    return true;
  }

  private sendSnapshot(to: NodeId, pr: Progress): boolean {
    // Only ship a (possibly large) snapshot to a follower that is alive.
    if (!pr.recentActive) return false;
    let snap: Snapshot;
    try {
      snap = this.cfg.storage.snapshot();
    } catch (e) {
      if (e instanceof SnapshotTemporarilyUnavailableError) return false;
      throw e;
    }
    if (snap.meta.index === 0) throw new Error(`follower ${to} needs compacted entries but the storage has no snapshot`);
    this.logEvent('snapshot-send', { to, index: snap.meta.index, bytes: snap.data.length });
    pr.becomeSnapshot(snap);
    this.sendSnapshotChunk(to, pr);
    return true;
  }

  private sendSnapshotChunk(to: NodeId, pr: Progress): void {
    const snap = pr.pendingSnapshot;
    if (snap === null) throw new Error(`no snapshot pending for ${to}`);
    const total = snap.data.length;
    const offset = pr.snapshotAckedBytes;
    const end = Math.min(offset + this.cfg.snapshotChunkBytes, total);
    if (offset > total) throw new Error(`snapshot offset ${offset} past its size ${total}`);
    const chunk = { meta: snap.meta, offset, data: snap.data.subarray(offset, end), totalBytes: total, done: end === total };
    this.send('snapshot', to, { logIndex: snap.meta.index, logTerm: snap.meta.term, snapshot: chunk });
  }

  // ---------------------------------------------------------------- proposals

  private notLeader(): RaftResult {
    return refuse(this.lead === NONE ? { code: 'no-leader' } : { code: 'not-leader', leader: this.lead });
  }

  private checkProposal(bytes: number): RaftRefusal | null {
    if (this.role !== 'leader') {
      const r = this.notLeader();
      return r.ok ? null : r.refusal;
    }
    if (this.leadTransferee !== NONE) return { code: 'transfer-in-progress', target: this.leadTransferee };
    const max = this.cfg.maxUncommittedBytes;
    if (bytes > max) return { code: 'too-large', message: `entry of ${bytes} bytes exceeds maxUncommittedBytes (${max})` };
    if (this.uncommittedBytes + bytes > max) {
      return { code: 'too-large', message: `uncommitted log is full (${this.uncommittedBytes} + ${bytes} > ${max} bytes); retry after commits` };
    }
    return null;
  }

  private appendEntry(kind: EntryKind, data: Uint8Array): void {
    const index = this.log.lastIndex() + 1;
    this.log.append([{ term: this.term, index, kind, data }]);
    this.uncommittedBytes += data.length;
    this.proposalsUnsent = true;
  }

  private reduceUncommitted(ents: readonly Entry[]): void {
    let bytes = 0;
    for (const e of ents) bytes += e.data.length;
    // Entries from before this term were never counted; clamp at zero.
    this.uncommittedBytes = Math.max(0, this.uncommittedBytes - bytes);
  }

  // ---------------------------------------------------------------- reads and transfer

  private leaderRead(context: Uint8Array, from: NodeId): RaftResult {
    if (this.conf.voters.length === 1 && this.conf.voters[0] === this.id) {
      this.answerRead(this.log.committed, context, from);
      return OK;
    }
    if (this.readOnly.size + this.deferredReads.length >= READS_PENDING_MAX) {
      return refuse({ code: 'too-large', message: `too many pending reads (${READS_PENDING_MAX}); retry later` });
    }
    if (this.log.termOrZero(this.log.committed) !== this.term) {
      // Our commit index may lag the true one until we commit in our own term.
      this.deferredReads.push({ context, from });
      return OK;
    }
    if (this.cfg.readOnly === 'lease-based' && this.leaseValid()) {
      this.answerRead(this.log.committed, context, from);
      return OK;
    }
    if (this.readOnly.add(this.log.committed, context, from)) {
      this.readOnly.recvAck(this.id, context);
      this.bcastHeartbeat(context);
    }
    return OK;
  }

  /**
   * Whether the followers' lease promises cover this moment: a quorum of
   * voters acknowledged a heartbeat we sent less than electionTicks - 2 of our
   * ticks ago. Each of them reset its election timer on receiving it and
   * refuses other candidates until electionTicks of its ticks have passed
   * (clocks are assumed to run at the same rate); the 2 ticks of margin cover
   * where in a tick each event falls. A transfer's forced votes ignore leases,
   * so none is trusted once one started in this term. Without a valid lease a
   * lease-based read takes the safe path (a heartbeat round).
   */
  private leaseValid(): boolean {
    if (this.transferStarted) return false;
    const stamp = committedIndex(this.conf.voters, (id) => (id === this.id ? this.ticks : (this.leaseAcks.get(id) ?? 0)));
    return stamp > 0 && this.ticks - stamp < this.cfg.electionTicks - 2;
  }

  private releaseDeferredReads(): void {
    if (this.deferredReads.length === 0 || this.log.termOrZero(this.log.committed) !== this.term) return;
    const reads = this.deferredReads;
    this.deferredReads = [];
    for (const r of reads) this.leaderRead(r.context, r.from);
  }

  private answerRead(index: number, context: Uint8Array, from: NodeId): void {
    if (from === NONE || from === this.id) {
      this.readStates.push({ index, context });
      return;
    }
    // The follower applies up to `index` before it answers the read; commit indexes are not sent
    // on their own (maybeCommit), so tell it now rather than at the next heartbeat. The append
    // goes first on the same ordered stream.
    const pr = this.progress.get(from);
    if (pr !== undefined && pr.sentCommit < index) this.maybeSendAppend(from, true);
    this.send('read-index-resp', from, { index, context });
  }

  private abortLeaderTransfer(): void {
    if (this.leadTransferee !== NONE) this.logEvent('transfer-aborted', { term: this.term, target: this.leadTransferee });
    this.leadTransferee = NONE;
  }

  // ---------------------------------------------------------------- helpers

  private mustProgress(id: NodeId): Progress {
    const pr = this.progress.get(id);
    if (pr === undefined) throw new Error(`no progress for member ${id}`);
    return pr;
  }

  private send(type: MessageType, to: NodeId, f: MessageFields): void {
    this.sendWithTerm(type, to, this.term, f);
  }

  private sendWithTerm(type: MessageType, to: NodeId, term: number, f: MessageFields): void {
    if (to === this.id || to === NONE) throw new Error(`node ${this.id} tried to send ${type} to ${to}`);
    this.msgs.push(makeMessage(type, this.id, to, term, f));
  }

  private logEvent(event: string, fields: Record<string, number | string | boolean>): void {
    if (this.cfg.logger !== null) this.cfg.logger.info(event, { id: this.id, ...fields });
  }

  /** Exposed for tests and the simulator: check internal invariants; throws on a broken one. */
  checkInvariants(): void {
    const c = this.log.committed;
    if (!(this.log.applied <= c && c <= this.log.lastIndex())) {
      throw new Error(`log invariant: applied ${this.log.applied} <= commit ${c} <= last ${this.log.lastIndex()} broken`);
    }
    if (this.role === 'leader' && this.lead !== this.id) throw new Error('leader does not name itself as leader');
    if (this.role === 'candidate' && this.vote !== this.id) throw new Error('candidate did not vote for itself');
    for (const [id, pr] of this.progress) {
      if (!(pr.match < pr.next)) throw new Error(`progress of ${id}: match ${pr.match} >= next ${pr.next}`);
    }
  }
}
