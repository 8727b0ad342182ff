import type { ConfChange, ConfState, Entry, HardState, Message, NodeId, RaftResult, Ready, Role } from '../../src/raft/core/types.js';
import type { RaftNode } from '../../src/raft/core/node-api.js';
import type { Config } from '../../src/raft/core/config.js';
import { sendsBeforePersist } from '../../src/raft/send-before-persist.js';
import { InvariantViolation } from './invariants.js';
import type { InvariantChecker, LogView } from './invariants.js';
import type { DiskImage, SimDisk } from './disk.js';
import { snapshotIndexOf } from './disk.js';
import { KvStateMachine, decodePayload, encodePayload } from './kv.js';
import type { KvOutput, KvWrite } from './kv.js';
import { fingerprint } from './prng.js';
import type { Prng } from './prng.js';

/** The pieces of the Raft core the simulator needs, bound in core-adapter.ts. */
export interface SimCore {
  createNode(config: Config): RaftNode;
  /** An empty storage image (the disk model keeps two: what the node reads, what is durable). */
  createImage(): DiskImage;
  decodeConfChange(data: Uint8Array): ConfChange;
}

/** What a node reports to the cluster it lives in. */
export interface NodeHost {
  readonly checker: InvariantChecker;
  send(m: Message): void;
  writeApplied(node: SimNode, client: number, req: number, output: KvOutput): void;
  readServed(node: SimNode, client: number, req: number, value: string | null): void;
  markerApplied(node: SimNode, id: number): void;
  confApplied(node: SimNode, cc: ConfChange, conf: ConfState): void;
  trace(line: () => string): void;
}

export interface NodeOptions {
  readonly electionTicks: number;
  readonly heartbeatTicks: number;
  readonly preVote: boolean;
  readonly checkQuorum: boolean;
  /** Snapshot the state machine after applying every index that is a multiple of this. */
  readonly snapshotEveryEntries: number;
  /** Entries kept in the log behind a snapshot (the rest are compacted). */
  readonly keepEntries: number;
  readonly maxSizePerMsgBytes: number;
  readonly snapshotChunkBytes: number;
  readonly readOnly: 'safe' | 'lease-based';
  readonly maxInflightMsgs: number;
  readonly maxUncommittedBytes: number;
  /**
   * Probability that a crash is a power failure rather than a process crash:
   * the writes the node did not sync are then lost, wholly or as a torn tail.
   */
  readonly unsyncedLossChance: number;
  /**
   * Probability of crashing right after a Ready that granted a vote went out
   * (before anything else happens): a crash at the Ready boundary where a
   * vote that was not durable would be forgotten.
   */
  readonly crashAfterVoteChance: number;
  /** The same right after a Ready that acknowledged entries to a leader. */
  readonly crashAfterAckChance: number;
  /** Deliberate defects, only for the tests proving the checker can fail. */
  readonly bug?: 'corrupt-apply' | 'stale-reads';
}

/** Where in a Ready a node crashes: before its write, during it (unsynced), after it, or after sending. */
export type CrashPoint = 'no' | 'before-persist' | 'mid-persist' | 'after-persist' | 'after-send';

interface PendingRead {
  readonly client: number;
  readonly req: number;
  readonly key: string;
  /** The highest index committed anywhere when the read was made: its read index may not be lower. */
  readonly minIndex: number;
  index: number | null; // set once the ReadState arrives
}

/** Bound on one node's queued client requests: clients have one request outstanding each. */
const pendingRequestsMax = 1_000;
/** Bound on Ready rounds after one input: the core must quiesce (a livelock is a bug). */
const readyRoundsMax = 1_000;

/**
 * One simulated server: a RawNode over a SimDisk, the replicated KV state
 * machine, and the driving loop (on Ready: persist, send, apply, advance).
 * A crash drops everything but the disk; start() rebuilds from the disk.
 */
export class SimNode {
  raft: RaftNode | null = null;
  private kv = new KvStateMachine();
  applied = 0;
  /** The commit index of the last hard state this node handed out (what the invariants watch). */
  private committed = 0;
  /** A hard state not written because only its commit index moved (the node shell's policy). */
  private unwrittenHardState: HardState | null = null;
  term = 0;
  /** The vote of the last hard state handed over (with `term`: what send-before-persist compares). */
  private vote: NodeId = 0;
  role: Role = 'follower';
  leader: NodeId = 0;
  conf: ConfState = { voters: [], learners: [] };
  /**
   * Set by the fault injector: the node crashes inside its next Ready, either
   * before the persist (a torn write: none of it is durable, nothing was sent),
   * during it (written but not synced: lost, torn or kept, nothing sent), or
   * right after it (durable, but nothing sent or applied).
   */
  crashInReady: CrashPoint = 'no';
  /** A scenario's choice of crash point for each Ready (crashInReady, when set, goes first). */
  readyHook: ((node: SimNode, rd: Ready) => CrashPoint) | null = null;
  /** Probability that a tick of this node's clock is skipped (clock drift). */
  tickSkipChance = 0;
  removed = false;
  crashes = 0;
  tornWrites = 0;
  /** Ticks this node's clock has run since it started (for check-quorum's promise). */
  private ticksRun = 0;
  /** Per peer, ticksRun when a message from it last arrived. */
  private readonly heardAt = new Map<NodeId, number>();
  /** ticksRun when this node last became leader (peers count as heard then: they just voted). */
  private leaderSince = 0;
  /** ticksRun when this node last applied a membership change (the quorum it must hear from changed then). */
  private confSince = 0;
  /** Crashes that lost unsynced writes. */
  unsyncedLosses = 0;
  snapshotsInstalled = 0;
  snapshotsTaken = 0;
  private readonly pendingWrites = new Set<string>();
  private readonly pendingReads = new Map<string, PendingRead>();
  private readonly logView: LogView;

  constructor(
    readonly id: NodeId,
    public disk: SimDisk,
    private readonly core: SimCore,
    private readonly host: NodeHost,
    private readonly rng: Prng,
    private readonly opts: NodeOptions,
  ) {
    this.logView = {
      firstIndex: () => this.disk.firstIndex(),
      lastIndex: () => this.disk.lastIndex(),
      term: (i) => this.disk.term(i),
      snapshotIndex: () => snapshotIndexOf(this.disk),
    };
  }

  get up(): boolean {
    return this.raft !== null;
  }

  /** Boot (or reboot) from the disk: state machine from its snapshot, then the core replays the committed log. */
  start(): void {
    if (this.raft) throw new Error(`node ${this.id} is already running`);
    const snap = this.disk.snapshot();
    const hs = this.disk.initialState().hardState;
    this.kv = KvStateMachine.restore(snap.data);
    this.applied = snap.meta.index;
    this.host.checker.onStart(this.id, hs, this.applied, this.logView);
    if (snap.meta.index > 0) this.host.checker.onSnapshotTaken(this.id, snap.meta.index, snap.data);
    const rng = this.rng;
    this.raft = this.core.createNode({
      id: this.id,
      storage: this.disk,
      random: () => rng.next(),
      electionTicks: this.opts.electionTicks,
      heartbeatTicks: this.opts.heartbeatTicks,
      applied: this.applied,
      preVote: this.opts.preVote,
      checkQuorum: this.opts.checkQuorum,
      maxSizePerMsgBytes: this.opts.maxSizePerMsgBytes,
      snapshotChunkBytes: this.opts.snapshotChunkBytes,
      readOnly: this.opts.readOnly,
      maxInflightMsgs: this.opts.maxInflightMsgs,
      maxUncommittedBytes: this.opts.maxUncommittedBytes,
    });
    this.term = hs.term;
    this.vote = hs.vote;
    this.committed = hs.commit;
    this.role = 'follower';
    this.leader = 0;
    this.conf = this.raft.status().conf;
    this.drain();
  }

  /**
   * Stop the node: everything but the disk is lost. `loseUnsynced` decides
   * whether unsynced writes go too (a power failure; default: by chance,
   * unsyncedLossChance).
   */
  crash(loseUnsynced = this.rng.chance(this.opts.unsyncedLossChance)): void {
    if (!this.raft) throw new Error(`node ${this.id} is already down`);
    const unsynced = this.disk.unsyncedWrites;
    const what = this.disk.crash(this.rng, loseUnsynced);
    if (unsynced > 0) this.host.trace(() => `node ${this.id} disk at crash: ${what}`);
    if (loseUnsynced && unsynced > 0) this.unsyncedLosses++;
    this.raft = null;
    this.crashInReady = 'no';
    this.unwrittenHardState = null;
    this.crashes++;
    this.role = 'follower';
    this.leader = 0;
    this.pendingWrites.clear();
    this.pendingReads.clear();
  }

  tick(): void {
    if (this.tickSkipChance > 0 && this.rng.chance(this.tickSkipChance)) return; // a slow clock
    this.ticksRun++;
    this.raft!.tick();
    this.drain();
    this.checkQuorumContact();
  }

  step(m: Message): void {
    this.heardAt.set(m.from, this.ticksRun);
    this.raft!.step(m);
    this.drain();
  }

  /**
   * Check-quorum's promise: a leader that has heard nothing from a quorum of
   * voters for two election timeouts of its own clock (its check runs once per
   * timeout) has stepped down. Counted in this node's ticks, so slow clocks
   * and pauses do not matter.
   */
  private checkQuorumContact(): void {
    if (!this.raft || this.role !== 'leader' || !this.opts.checkQuorum) return;
    const voters = this.conf.voters;
    if (!voters.includes(this.id) || voters.length < 2) return;
    const since = this.ticksRun - 2 * this.opts.electionTicks - 1;
    let heard = 0;
    for (const v of voters) if (v === this.id || Math.max(this.heardAt.get(v) ?? 0, this.leaderSince, this.confSince) >= since) heard++;
    if (heard < Math.floor(voters.length / 2) + 1) {
      throw new InvariantViolation('check-quorum', `node ${this.id} still leads term ${this.term} after ${2 * this.opts.electionTicks + 1} ticks without hearing from a quorum (heard ${heard} of ${voters.length})`);
    }
  }

  /** A client write: propose it; the answer comes when this node applies it. */
  submitWrite(client: number, req: number, cmd: KvWrite): RaftResult {
    if (this.pendingWrites.size >= pendingRequestsMax) throw new Error(`node ${this.id}: too many pending writes`);
    const r = this.raft!.propose(encodePayload({ t: 'kv', client, req, cmd }));
    if (r.ok) this.pendingWrites.add(`${client}:${req}`);
    this.drain();
    return r;
  }

  /** A client read: ReadIndex, then served locally once applied reaches the read index. */
  submitRead(client: number, req: number, key: string): RaftResult {
    if (this.pendingReads.size >= pendingRequestsMax) throw new Error(`node ${this.id}: too many pending reads`);
    const ctx = `${client}:${req}`;
    if (this.opts.bug === 'stale-reads') {
      // The defect under test: serve from local state without a ReadIndex round.
      this.host.readServed(this, client, req, this.kv.get(key));
      return { ok: true };
    }
    const r = this.raft!.readIndex(new TextEncoder().encode(ctx));
    if (r.ok) this.pendingReads.set(ctx, { client, req, key, minIndex: this.host.checker.maxCommit, index: null });
    this.drain();
    return r;
  }

  /** Fingerprint of the state machine (for the end-of-run convergence check). */
  stateFingerprint(): string {
    return fingerprint(this.kv.serialize());
  }

  /** The transport's report that a message to `to` could not be delivered (as a real transport would). */
  reportUnreachable(to: NodeId): void {
    this.raft!.reportUnreachable(to);
    this.drain();
  }

  /** The transport's report that the stream from `leader` broke with a reset (its process died, or a spurious reset). */
  reportLeaderLost(leader: NodeId): void {
    this.raft!.reportLeaderLost(leader);
    this.drain();
  }

  /** Start an election now (a scenario forcing who campaigns). */
  campaign(): void {
    this.raft!.campaign();
    this.drain();
  }

  /** The core's commit index (status), for scenarios. */
  get commitIndex(): number {
    return this.raft!.status().commit;
  }

  proposeMarker(id: number): RaftResult {
    const r = this.raft!.propose(encodePayload({ t: 'marker', id }));
    this.drain();
    return r;
  }

  proposeConfChange(cc: ConfChange): RaftResult {
    const r = this.raft!.proposeConfChange(cc);
    this.drain();
    return r;
  }

  transferLeadership(target: NodeId): RaftResult {
    const r = this.raft!.transferLeadership(target);
    this.drain();
    return r;
  }

  /** Process Ready batches until the core has nothing more to say. */
  drain(): void {
    for (let round = 0; this.raft && this.raft.hasReady(); round++) {
      if (round >= readyRoundsMax) throw new Error(`node ${this.id}: Ready did not quiesce after ${readyRoundsMax} rounds`);
      this.handleReady(this.raft.ready());
    }
    if (this.raft) this.host.checker.onStep(this.id, this.committed, this.applied);
  }

  private handleReady(rd: Ready): void {
    const raft = this.raft!;
    const point: CrashPoint = this.crashInReady !== 'no' ? this.crashInReady : this.chooseBoundaryCrash(rd);
    // As the node shell does: a leader's appends may leave before its own persist (then a crash
    // point below falls after they left, while the leader's entries are not yet durable).
    const sentEarly = sendsBeforePersist(rd, this.role, { term: this.term, vote: this.vote });
    if (sentEarly) this.sendAll(rd);
    if (point === 'before-persist') {
      // Crash in the middle of this Ready: nothing of it reaches the disk or the wire.
      this.host.trace(() => `node ${this.id} crashes with a torn write (${rd.entries.length} entries, hs ${rd.hardState ? 'yes' : 'no'})`);
      this.tornWrites++;
      this.crash();
      return;
    }
    if (point === 'mid-persist') {
      // Crash while the Ready's write is not yet synced: it may be lost, torn or kept; nothing was sent.
      this.host.trace(() => `node ${this.id} crashes before its write is synced (${rd.entries.length} entries, hs ${rd.hardState ? 'yes' : 'no'})`);
      this.tornWrites++;
      this.persist(rd, false);
      this.crash(this.rng.chance(0.7));
      return;
    }
    this.persist(rd, rd.mustSync);
    if (point === 'after-persist') {
      this.host.trace(() => `node ${this.id} crashes after persisting a Ready, before sending or applying it`);
      this.crash();
      return;
    }
    if (!sentEarly) this.sendAll(rd);
    if (point === 'after-send') {
      // The Ready went out and the node dies before applying it, in a power failure: only what was synced survives.
      this.host.trace(() => `node ${this.id} crashes (power failure) right after sending a Ready (${rd.messages.map((m) => m.type).join(',')})`);
      this.crash(true);
      return;
    }
    if (rd.snapshot) this.installSnapshot(rd.snapshot.meta.index, rd.snapshot.meta.term, rd.snapshot.meta.conf, rd.snapshot.data);
    for (const e of rd.committedEntries) this.applyEntry(e);
    for (const rs of rd.readStates) {
      const p = this.pendingReads.get(new TextDecoder().decode(rs.context));
      if (p && p.index === null) {
        if (rs.index < p.minIndex) {
          throw new InvariantViolation('read-index', `node ${this.id} got read index ${rs.index} for read ${p.client}:${p.req}, but index ${p.minIndex} was already committed when the read was made`);
        }
        p.index = rs.index;
      }
    }
    raft.advance(rd);
    this.serveReads();
  }

  private sendAll(rd: Ready): void {
    for (const m of rd.messages) {
      this.host.checker.onSent(this.id, m, this.logView);
      this.host.send(m);
    }
  }

  /**
   * A crash at this Ready's boundary chosen by the node itself: by a scenario's
   * hook, or by chance right after it granted a vote or acknowledged entries
   * (drawn only when those chances are on, to keep other runs' streams).
   */
  private chooseBoundaryCrash(rd: Ready): CrashPoint {
    const hooked = this.readyHook?.(this, rd) ?? 'no';
    if (hooked !== 'no') return hooked;
    const o = this.opts;
    if (o.crashAfterVoteChance > 0 && rd.messages.some((m) => m.type === 'vote-resp' && !m.reject) && this.rng.chance(o.crashAfterVoteChance)) return 'after-send';
    if (o.crashAfterAckChance > 0 && rd.messages.some((m) => m.type === 'append-resp' && !m.reject) && this.rng.chance(o.crashAfterAckChance)) return 'after-send';
    return 'no';
  }

  /** Write the Ready's state to the disk as one write, synced when `sync` (the node shell's Ready.mustSync). */
  private persist(rd: Ready, sync: boolean): void {
    const checker = this.host.checker;
    if (rd.snapshot) this.disk.applySnapshot(rd.snapshot);
    if (rd.mustSync && !rd.hardState && this.unwrittenHardState) {
      this.disk.setHardState(this.unwrittenHardState);
      this.unwrittenHardState = null;
    }
    if (rd.entries.length > 0) {
      this.disk.append(rd.entries);
      const last = rd.entries[rd.entries.length - 1]!;
      // The core's log ends at the last entry it hands over: a conflicting suffix beyond it must be gone from the disk too.
      if (this.disk.lastIndex() !== last.index || this.disk.term(last.index) !== last.term) {
        throw new InvariantViolation('log-truncation', `node ${this.id} wrote entries up to ${last.index} (term ${last.term}) but its disk ends at ${this.disk.lastIndex()} (term ${this.disk.term(this.disk.lastIndex())})`);
      }
      checker.onPersisted(this.id, rd.entries, this.logView);
    }
    if (rd.hardState) {
      // As the node shell does: a hard state whose only change is the commit index is not
      // written; it rides on the next write (or the next snapshot), and may be lost in a crash.
      if (sync || rd.mustSync) {
        this.disk.setHardState(rd.hardState);
        this.unwrittenHardState = null;
      } else {
        this.unwrittenHardState = rd.hardState;
      }
      if (rd.hardState.term !== this.term) this.leader = 0;
      this.term = rd.hardState.term;
      this.vote = rd.hardState.vote;
      this.committed = rd.hardState.commit;
      checker.onHardState(this.id, rd.hardState.term, rd.hardState.commit);
    }
    if (rd.softState) {
      const changed = rd.softState.role !== this.role || rd.softState.leader !== this.leader;
      if (rd.softState.role === 'leader' && this.role !== 'leader') this.leaderSince = this.ticksRun;
      this.role = rd.softState.role;
      this.leader = rd.softState.leader;
      if (changed) this.host.trace(() => `node ${this.id} is ${this.role} in term ${this.term} (leader ${this.leader})`);
      checker.onRole(this.id, this.role, this.term, this.logView);
    }
    this.disk.endWrite(sync);
  }

  private installSnapshot(index: number, term: number, conf: ConfState, data: Uint8Array): void {
    this.host.trace(() => `node ${this.id} installs snapshot at ${index} (term ${term}, ${data.length} bytes)`);
    this.host.checker.onSnapshotApplied(this.id, index, term, data);
    this.snapshotsInstalled++;
    this.kv = KvStateMachine.restore(data);
    this.applied = index;
    this.conf = conf;
    if (this.committed < index) this.committed = index;
  }

  private applyEntry(e: Entry): void {
    this.host.checker.onApply(this.id, e, this.applied);
    this.applied = e.index;
    if (e.kind === 'conf-change') {
      const cc = this.core.decodeConfChange(e.data);
      this.conf = this.raft!.applyConfChange(cc);
      this.confSince = this.ticksRun;
      this.host.trace(() => `node ${this.id} applies ${cc.type} ${cc.nodeId} at ${e.index}: voters [${this.conf.voters.join(',')}] learners [${this.conf.learners.join(',')}]`);
      this.host.confApplied(this, cc, this.conf);
    } else if (e.data.length > 0) {
      const p = decodePayload(e.data);
      if (p.t === 'marker') this.host.markerApplied(this, p.id);
      else {
        const cmd = this.opts.bug === 'corrupt-apply' && this.id === 1 && p.cmd.kind === 'put' ? { ...p.cmd, value: `${p.cmd.value}!` } : p.cmd;
        const out = this.kv.apply(cmd);
        const key = `${p.client}:${p.req}`;
        if (this.pendingWrites.delete(key)) this.host.writeApplied(this, p.client, p.req, out);
      }
    }
    if (e.index % this.opts.snapshotEveryEntries === 0) this.takeSnapshot(e.index);
  }

  /** Snapshot at a fixed index so every node's snapshot at that index can be compared byte for byte. */
  private takeSnapshot(index: number): void {
    const data = this.kv.serialize();
    this.host.checker.onSnapshotTaken(this.id, index, data);
    if (index <= this.disk.snapshot().meta.index) return; // already covered (e.g. replayed after restart)
    // The snapshot's index must not be ahead of the commit index on disk (the shell writes it first too).
    if (this.unwrittenHardState) {
      this.disk.setHardState(this.unwrittenHardState);
      this.unwrittenHardState = null;
    }
    this.disk.createSnapshot(index, this.conf, data);
    this.snapshotsTaken++;
    // On restart the node replays from the snapshot, so the membership it boots with is the snapshot's.
    this.disk.setConfState(this.conf);
    const compactTo = index - this.opts.keepEntries;
    if (compactTo > snapshotIndexOf(this.disk)) this.disk.compact(compactTo);
    // The application's snapshot is written durably (and, the log being written in order, so is everything before it).
    this.disk.endWrite(true);
  }

  private serveReads(): void {
    for (const [ctx, p] of this.pendingReads) {
      if (p.index === null || p.index > this.applied) continue;
      this.pendingReads.delete(ctx);
      this.host.readServed(this, p.client, p.req, this.kv.get(p.key));
    }
  }
}
