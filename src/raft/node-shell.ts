/**
 * The node shell: the only place where the pure Raft core meets time, disk and
 * the network. It owns the driving loop:
 *
 *   timer            -> core.tick()
 *   peer message     -> core.step(m)
 *   client write     -> core.propose(data)      (group commit: see below)
 *   while hasReady() -> persist (one durable transaction; none if only the commit index moved)
 *                      -> send -> apply -> advance
 *
 * With ShellOptions.sendBeforePersist (off by default), a leader's appends leave before its
 * own persist, which then runs on the next turn (send-before-persist.ts).
 *
 * Group commit: proposals and messages only mark the loop dirty; the loop runs
 * on the next turn of the event loop, so everything that arrived meanwhile
 * goes into one Ready, one SQLite transaction and one fsync.
 *
 * A write is acknowledged only when its entry has been applied here, which
 * implies it is committed, i.e. durable on a quorum.
 */
import type { RaftNode } from './core/node-api.js';
import type {
  ConfState,
  Entry,
  HardState,
  Message,
  NodeId,
  RaftRefusal,
  Ready,
  ReadState,
  Snapshot,
  SnapshotMeta,
} from './core/types.js';
import type { Storage } from './core/storage.js';
import { decodeConfChange } from './core/index.js';
import { sendsBeforePersist } from './send-before-persist.js';
import { ShoalError } from '../errors.js';

/** The durable Raft log as the shell writes it (SqliteLogStorage, or MemoryStorage in tests). */
export interface DurableLog extends Storage {
  /** `sync: false` (only the commit index moved) may skip the fsync; see LogUpdate.sync. */
  persist(update: { hardState: HardState | null; entries: readonly Entry[]; snapshot: Snapshot | null; sync?: boolean }): void;
  compact(meta: SnapshotMeta, data: Uint8Array, keepEntries: number): void;
}

export type ApplyOutcome = { readonly ok: true; readonly value: unknown } | { readonly ok: false; readonly error: Error };

/** The replicated application: applies committed entries deterministically and durably. */
export interface AppStateMachine {
  applied(): { index: number; term: number; conf: ConfState };
  /** Applies entries in one transaction together with the applied index (and `conf` when it changed). */
  applyEntries(entries: readonly Entry[], conf: ConfState | null): ApplyOutcome[];
  snapshot(): Snapshot;
  restore(snapshot: Snapshot): void;
}

export interface MessageSink {
  send(messages: readonly Message[]): void;
  /** Start writing what send() queued now rather than on a later turn (optional). */
  flushNow?(): void;
}

export interface ShellOptions {
  readonly tickMs: number;
  /** Take a snapshot and compact the log every this many applied entries. */
  readonly snapshotEveryEntries: number;
  /** Entries kept in the log behind a snapshot, for followers that lag a little. */
  readonly keepEntriesAfterSnapshot: number;
  /** How long a proposal or read may wait before the caller is told its outcome is unknown. */
  readonly requestTimeoutMs: number;
  /** A peer not heard from for this long counts as unreachable (a few election timeouts). */
  readonly peerActivityWindowMs: number;
  readonly log?: (event: string, fields: Record<string, unknown>) => void;
  /**
   * A leader's appends leave before its own fsync (send-before-persist.ts). Default false: on
   * 2026-12-08 it cost the leader ≈ 50 % more CPU per write at 16 clients (one Ready per turn,
   * smaller batches) and gained nothing clear at 1 client (docs/benchmarks.md).
   */
  readonly sendBeforePersist?: boolean;
}

interface PendingWrite {
  readonly index: number;
  readonly term: number;
  readonly resolve: (value: unknown) => void;
  readonly reject: (e: Error) => void;
  readonly timer: NodeJS.Timeout;
}

interface PendingRead {
  readIndex: number; // 0 until the ReadState arrives
  readonly resolve: () => void;
  readonly reject: (e: Error) => void;
  readonly timer: NodeJS.Timeout;
}

/** Bounds on what the shell keeps in memory for callers; past them, callers are refused. */
const PENDING_WRITES_MAX = 100_000;
const PENDING_READS_MAX = 100_000;

export class NodeShell {
  private readonly pendingWrites = new Map<number, PendingWrite>(); // by log index
  private readonly readsAwaitingIndex = new Map<string, PendingRead[]>(); // by read context
  private readonly readsToIssue: PendingRead[] = [];
  private readonly readsAwaitingApply: PendingRead[] = [];
  private readContextSeq = 0;
  private ticker: NodeJS.Timeout | null = null;
  private loopScheduled = false;
  /** The core's newest hard state when only its commit index moved since the last write (not yet on disk). */
  private unwrittenHardState: HardState | null = null;
  /** Term and vote of the last hard state handed over (both always on disk once the persist returns). */
  private hardTerm: number;
  private hardVote: NodeId;
  private stopped = false;
  private appliedIndex: number;
  private lastSnapshotIndex: number;
  private conf: ConfState;
  private leader: NodeId = 0;
  private role = 'follower';
  private readonly listeners = new Set<(e: ShellEvent) => void>();
  /**
   * When each peer was last seen active (ms). The core's recentActive flags
   * are reset at every check-quorum round, so a single sample says little;
   * this remembers the last sample that saw a peer active.
   */
  private readonly peerLastActiveMs = new Map<NodeId, number>();

  constructor(
    private readonly core: RaftNode,
    private readonly log: DurableLog,
    private readonly app: AppStateMachine,
    private readonly transport: MessageSink,
    private readonly opts: ShellOptions,
  ) {
    const applied = app.applied();
    this.appliedIndex = applied.index;
    this.conf = applied.conf;
    this.lastSnapshotIndex = log.firstIndex() - 1;
    const hard = log.initialState().hardState;
    this.hardTerm = hard.term;
    this.hardVote = hard.vote;
  }

  start(): void {
    if (this.ticker) return;
    this.ticker = setInterval(() => {
      this.core.tick();
      this.samplePeerActivity();
      this.schedule();
    }, this.opts.tickMs);
    this.schedule();
  }

  stop(): void {
    this.stopped = true;
    if (this.ticker) clearInterval(this.ticker);
    this.ticker = null;
    const gone = new ShoalError('UNAVAILABLE', 'this manager is shutting down; retry on another manager');
    for (const w of this.pendingWrites.values()) {
      clearTimeout(w.timer);
      w.reject(gone);
    }
    this.pendingWrites.clear();
    for (const r of this.allPendingReads()) {
      clearTimeout(r.timer);
      r.reject(gone);
    }
    this.readsAwaitingIndex.clear();
    this.readsToIssue.length = 0;
    this.readsAwaitingApply.length = 0;
  }

  get id(): NodeId {
    return this.core.id;
  }

  get leaderId(): NodeId {
    return this.leader;
  }

  get isLeader(): boolean {
    return this.role === 'leader';
  }

  get applied(): number {
    return this.appliedIndex;
  }

  get membership(): ConfState {
    return this.conf;
  }

  onEvent(listener: (e: ShellEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Feed messages from peers. */
  receive(messages: readonly Message[]): void {
    if (this.stopped) return;
    for (const m of messages) this.core.step(m);
    this.schedule();
  }

  /**
   * Propose `data` and wait until it is applied here. Resolves with the apply
   * result; rejects with ShoalError: UNAVAILABLE (not leader / no quorum: the
   * write was not taken), or DEADLINE_EXCEEDED (outcome unknown).
   */
  propose(data: Uint8Array): Promise<unknown> {
    return this.track(() => this.core.propose(data));
  }

  /** Propose a membership change; resolves when it is applied here. */
  proposeConfChange(cc: Parameters<RaftNode['proposeConfChange']>[0]): Promise<unknown> {
    return this.track(() => this.core.proposeConfChange(cc));
  }

  /** Resolves once this node has applied everything committed before the call (ReadIndex). */
  linearizableBarrier(): Promise<void> {
    if (this.stopped) return Promise.reject(new ShoalError('UNAVAILABLE', 'this manager is shutting down'));
    if (this.readsToIssue.length + this.readsAwaitingApply.length >= PENDING_READS_MAX) {
      return Promise.reject(new ShoalError('RESOURCE_EXHAUSTED', 'too many reads in flight; retry shortly'));
    }
    return new Promise<void>((resolve, reject) => {
      const read: PendingRead = {
        readIndex: 0,
        resolve,
        reject,
        timer: setTimeout(() => this.expireRead(read), this.opts.requestTimeoutMs),
      };
      this.readsToIssue.push(read);
      this.schedule();
    });
  }

  transferLeadership(target: NodeId): void {
    const r = this.core.transferLeadership(target);
    if (!r.ok) throw refusalError(r.refusal);
    this.schedule();
  }

  campaign(): void {
    this.core.campaign();
    this.schedule();
  }

  reportUnreachable(peer: NodeId): void {
    this.core.reportUnreachable(peer);
    this.schedule();
  }

  /**
   * The transport saw the stream from `peer` break with a reset or an end (a
   * killed process closes its connections at once; a timeout is not reported
   * here). If `peer` leads us, the core starts a pre-vote now instead of
   * waiting out its election timeout (docs/design/raft-core.md).
   */
  reportStreamBroken(peer: NodeId): void {
    if (this.stopped) return;
    this.core.reportLeaderLost(peer);
    this.schedule();
  }

  status(): ReturnType<RaftNode['status']> {
    return this.core.status();
  }

  private track(proposeFn: () => ReturnType<RaftNode['propose']>): Promise<unknown> {
    if (this.stopped) return Promise.reject(new ShoalError('UNAVAILABLE', 'this manager is shutting down'));
    if (this.pendingWrites.size >= PENDING_WRITES_MAX) {
      return Promise.reject(new ShoalError('RESOURCE_EXHAUSTED', 'too many writes in flight; retry shortly'));
    }
    const quorumError = this.quorumLostError();
    if (quorumError) return Promise.reject(quorumError);
    const result = proposeFn();
    if (!result.ok) return Promise.reject(refusalError(result.refusal));
    // The core appended the entry synchronously: it is the last one, in the current term.
    const st = this.core.status();
    const index = st.lastIndex;
    const term = st.term;
    this.schedule();
    return new Promise<unknown>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pendingWrites.delete(index);
        reject(
          new ShoalError(
            'DEADLINE_EXCEEDED',
            `the write was not confirmed within ${this.opts.requestTimeoutMs} ms (log index ${index}); its outcome is unknown — check before retrying`,
          ),
        );
      }, this.opts.requestTimeoutMs);
      this.pendingWrites.set(index, { index, term, resolve, reject, timer });
    });
  }

  /**
   * A leader that cannot currently reach a quorum fails writes at once rather
   * than letting them hang until check-quorum deposes it.
   */
  private quorumLostError(): ShoalError | null {
    if (this.role !== 'leader') return null;
    const st = this.core.status();
    let active = 0;
    for (const id of st.conf.voters) if (this.isPeerActive(id)) active++;
    const quorum = Math.floor(st.conf.voters.length / 2) + 1;
    if (active >= quorum) return null;
    return new ShoalError(
      'UNAVAILABLE',
      `quorum lost: this leader reaches ${active} of ${st.conf.voters.length} managers and needs ${quorum}; writes are refused until a quorum is back`,
    );
  }

  /** Whether the leader heard from `peer` within the activity window (always true for this node). */
  isPeerActive(peer: NodeId): boolean {
    if (peer === this.core.id) return true;
    const seen = this.peerLastActiveMs.get(peer);
    return seen !== undefined && Date.now() - seen <= this.opts.peerActivityWindowMs;
  }

  private samplePeerActivity(): void {
    if (this.role !== 'leader') return;
    const st = this.core.status();
    if (!st.progress) return;
    const now = Date.now();
    for (const [id, p] of st.progress) if (p.recentActive) this.peerLastActiveMs.set(id, now);
  }

  private schedule(): void {
    if (this.loopScheduled || this.stopped) return;
    this.loopScheduled = true;
    setImmediate(() => {
      this.loopScheduled = false;
      if (!this.stopped) this.runLoop();
    });
  }

  /** Drains the core's Ready batches. Bounded: a busy core yields back to the event loop. */
  private runLoop(): void {
    this.issueReads();
    const readiesPerTurnMax = 16;
    for (let i = 0; i < readiesPerTurnMax && this.core.hasReady(); i++) {
      if (!this.handleReady()) return; // the rest of this Ready runs on the next turn, which schedules again
    }
    if (this.core.hasReady() || (this.readsToIssue.length > 0 && this.leader !== 0)) this.schedule();
  }

  /** Handles one Ready; false when its persist was deferred to the next turn (send-before-persist.ts). */
  private handleReady(): boolean {
    const rd = this.core.ready();
    if (this.opts.sendBeforePersist === true && sendsBeforePersist(rd, this.role, { term: this.hardTerm, vote: this.hardVote })) {
      // Raft thesis §10.2.1: the leader may write its log in parallel with replicating it. The
      // messages start on their way now; the persist (a blocking fsync) runs on the next turn,
      // after Node has written them to the sockets, so the followers sync while the leader does.
      // Nothing here depends on the leader's own copy: the core counts the leader towards a
      // commit only after advance(), i.e. after this persist.
      this.transport.send(rd.messages);
      this.transport.flushNow?.();
      setImmediate(() => {
        if (this.stopped) return;
        this.finishReady(rd, false);
        this.schedule();
      });
      return false;
    }
    this.finishReady(rd, true);
    return true;
  }

  private finishReady(rd: Ready, send: boolean): void {
    // 1. Persist, durably, before anything that depends on it leaves this node. A Ready that only
    //    moves the commit index writes nothing: Raft needs term, vote and entries on disk before
    //    they are acted on, never the commit index (a restarted node learns it again, and
    //    Manager.start raises it to the applied index). Its hard state rides on the next write.
    if (rd.mustSync) {
      this.log.persist({ hardState: rd.hardState ?? this.unwrittenHardState, entries: rd.entries, snapshot: rd.snapshot });
      this.unwrittenHardState = null;
    } else if (rd.hardState) {
      this.unwrittenHardState = rd.hardState;
    }
    if (rd.hardState) {
      this.hardTerm = rd.hardState.term;
      this.hardVote = rd.hardState.vote;
    }
    // 2. Send (unless they already left: send-before-persist.ts).
    if (send && rd.messages.length > 0) this.transport.send(rd.messages);
    // 3. Apply: a snapshot from the leader first, then committed entries.
    if (rd.snapshot) this.installSnapshot(rd.snapshot);
    if (rd.committedEntries.length > 0) this.applyCommitted(rd.committedEntries);
    if (rd.softState) this.noteSoftState(rd.softState.leader, rd.softState.role);
    this.noteReadStates(rd.readStates);
    // 4. Acknowledge.
    this.core.advance(rd);
    this.releaseReads();
    this.maybeSnapshot();
  }

  private installSnapshot(snapshot: Snapshot): void {
    if (snapshot.meta.index <= this.appliedIndex) return;
    this.app.restore(snapshot);
    this.appliedIndex = snapshot.meta.index;
    this.conf = snapshot.meta.conf;
    this.lastSnapshotIndex = snapshot.meta.index;
    this.emit({ type: 'snapshot-installed', index: snapshot.meta.index, term: snapshot.meta.term });
    // Writes waiting on indexes the snapshot covers can no longer be matched to their entries.
    for (const [index, w] of this.pendingWrites) {
      if (index > snapshot.meta.index) continue;
      clearTimeout(w.timer);
      this.pendingWrites.delete(index);
      w.reject(new ShoalError('UNAVAILABLE', `leadership changed before write at index ${index} was confirmed; its outcome is unknown`));
    }
  }

  private applyCommitted(entries: readonly Entry[]): void {
    const fresh = entries.filter((e) => e.index > this.appliedIndex);
    if (fresh.length === 0) return;
    let conf: ConfState | null = null;
    for (const e of fresh) {
      if (e.kind !== 'conf-change') continue;
      conf = this.core.applyConfChange(decodeConfChange(e.data));
    }
    const outcomes = this.app.applyEntries(fresh, conf);
    if (outcomes.length !== fresh.length) throw new Error(`apply returned ${outcomes.length} outcomes for ${fresh.length} entries`);
    const last = fresh[fresh.length - 1];
    if (!last) return;
    this.appliedIndex = last.index;
    if (conf) {
      this.conf = conf;
      this.emit({ type: 'membership', conf });
    }
    fresh.forEach((entry, i) => this.settleWrite(entry, outcomes[i]));
    this.emit({ type: 'applied', index: this.appliedIndex });
  }

  private settleWrite(entry: Entry, outcome: ApplyOutcome | undefined): void {
    const w = this.pendingWrites.get(entry.index);
    if (!w) return;
    this.pendingWrites.delete(entry.index);
    clearTimeout(w.timer);
    if (w.term !== entry.term) {
      // Another leader's entry took this index: ours was never committed.
      w.reject(new ShoalError('UNAVAILABLE', 'leadership changed before the write committed; it was not applied — retry'));
    } else if (!outcome || outcome.ok) {
      w.resolve(outcome?.value);
    } else {
      w.reject(outcome.error);
    }
  }

  private noteSoftState(leader: NodeId, role: string): void {
    const changed = leader !== this.leader || role !== this.role;
    const wasLeader = this.role === 'leader';
    this.leader = leader;
    this.role = role;
    if (!changed) return;
    const term = this.core.status().term;
    if (role === 'leader' && !wasLeader) {
      // A new leader gives every member the benefit of the doubt for one window.
      const now = Date.now();
      for (const id of [...this.conf.voters, ...this.conf.learners]) this.peerLastActiveMs.set(id, now);
      this.emit({ type: 'elected', term });
    }
    if (wasLeader && role !== 'leader') this.emit({ type: 'stepped-down', term, leader });
    this.emit({ type: 'leader-changed', term, leader });
    if (leader === 0) this.requeueReadsWithoutLeader();
    else if (this.readsToIssue.length > 0) this.schedule();
  }

  private issueReads(): void {
    // Without a known leader (an election is under way) reads wait, up to their timeout, for one.
    if (this.readsToIssue.length === 0 || this.leader === 0) return;
    const batch = this.readsToIssue.splice(0, this.readsToIssue.length);
    const context = `r${this.core.id}-${++this.readContextSeq}`;
    const result = this.core.readIndex(new TextEncoder().encode(context));
    if (!result.ok && result.refusal.code === 'no-leader') {
      this.readsToIssue.unshift(...batch);
      return;
    }
    if (!result.ok) {
      const err = refusalError(result.refusal);
      for (const r of batch) {
        clearTimeout(r.timer);
        r.reject(err);
      }
      return;
    }
    this.readsAwaitingIndex.set(context, batch);
  }

  private noteReadStates(states: readonly ReadState[]): void {
    for (const rs of states) {
      const context = new TextDecoder().decode(rs.context);
      const batch = this.readsAwaitingIndex.get(context);
      if (!batch) continue;
      this.readsAwaitingIndex.delete(context);
      for (const r of batch) {
        r.readIndex = rs.index;
        this.readsAwaitingApply.push(r);
      }
    }
  }

  private releaseReads(): void {
    if (this.readsAwaitingApply.length === 0) return;
    let kept = 0;
    for (const r of this.readsAwaitingApply) {
      if (r.readIndex <= this.appliedIndex) {
        clearTimeout(r.timer);
        r.resolve();
      } else {
        this.readsAwaitingApply[kept++] = r;
      }
    }
    this.readsAwaitingApply.length = kept;
  }

  /** Reads whose index request died with the old leader are asked again of the next one (still within their timeout). */
  private requeueReadsWithoutLeader(): void {
    for (const [ctx, batch] of this.readsAwaitingIndex) {
      this.readsAwaitingIndex.delete(ctx);
      this.readsToIssue.push(...batch);
    }
  }

  private expireRead(read: PendingRead): void {
    const drop = (list: PendingRead[]): void => {
      const i = list.indexOf(read);
      if (i >= 0) list.splice(i, 1);
    };
    drop(this.readsToIssue);
    drop(this.readsAwaitingApply);
    for (const batch of this.readsAwaitingIndex.values()) drop(batch);
    read.reject(new ShoalError('UNAVAILABLE', `a linearizable read could not be confirmed within ${this.opts.requestTimeoutMs} ms (no quorum?)`));
  }

  private *allPendingReads(): Iterable<PendingRead> {
    yield* this.readsToIssue;
    yield* this.readsAwaitingApply;
    for (const batch of this.readsAwaitingIndex.values()) yield* batch;
  }

  private maybeSnapshot(): void {
    if (this.appliedIndex - this.lastSnapshotIndex < this.opts.snapshotEveryEntries) return;
    // The log records a snapshot only at or below its persisted commit index; the snapshot is
    // at the applied index, which an unwritten commit-only hard state may be ahead of.
    if (this.unwrittenHardState) {
      this.log.persist({ hardState: this.unwrittenHardState, entries: [], snapshot: null, sync: false });
      this.unwrittenHardState = null;
    }
    const snap = this.app.snapshot();
    this.log.compact(snap.meta, snap.data, this.opts.keepEntriesAfterSnapshot);
    this.lastSnapshotIndex = snap.meta.index;
    this.emit({ type: 'snapshot-taken', index: snap.meta.index, term: snap.meta.term });
  }

  private emit(e: ShellEvent): void {
    this.opts.log?.(e.type, { ...e });
    for (const l of this.listeners) l(e);
  }
}

export type ShellEvent =
  | { type: 'elected'; term: number }
  | { type: 'stepped-down'; term: number; leader: NodeId }
  | { type: 'leader-changed'; term: number; leader: NodeId }
  | { type: 'applied'; index: number }
  | { type: 'membership'; conf: ConfState }
  | { type: 'snapshot-taken'; index: number; term: number }
  | { type: 'snapshot-installed'; index: number; term: number };

/** Maps the core's refusal values to errors a client can act on. */
export function refusalError(r: RaftRefusal): ShoalError {
  switch (r.code) {
    case 'no-leader':
      return new ShoalError('UNAVAILABLE', 'no leader is known right now (election in progress or quorum lost); retry shortly');
    case 'not-leader':
      return new NotLeaderError(r.leader);
    case 'transfer-in-progress':
      return new ShoalError('UNAVAILABLE', `leadership is being transferred to node ${r.target}; retry shortly`);
    case 'conf-change-pending':
      return new ShoalError('FAILED_PRECONDITION', `another membership change (log index ${r.pendingIndex}) is still in progress; retry when it completes`);
    case 'invalid-conf-change':
      return new ShoalError('INVALID_ARGUMENT', r.message);
    case 'too-large':
      return new ShoalError('RESOURCE_EXHAUSTED', r.message);
  }
}

/** The caller must forward its request to `leader`. */
export class NotLeaderError extends ShoalError {
  constructor(readonly leader: NodeId) {
    super('UNAVAILABLE', leader ? `this manager is not the leader (node ${leader} is)` : 'no leader is known right now; retry shortly');
    this.name = 'NotLeaderError';
  }
}
