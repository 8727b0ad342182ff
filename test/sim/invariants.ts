import type { Entry, HardState, Message, NodeId, Role } from '../../src/raft/core/types.js';
import { fingerprint } from './prng.js';

/** A broken safety property. Thrown (never returned): the run stops at the first one. */
export class InvariantViolation extends Error {
  constructor(readonly invariant: string, detail: string) {
    super(`${invariant}: ${detail}`);
    this.name = 'InvariantViolation';
  }
}

/** What the checker needs to read of a node's durable log (its "disk"). */
export interface LogView {
  firstIndex(): number;
  lastIndex(): number;
  term(i: number): number;
  snapshotIndex(): number;
}

interface NodeTrack {
  commit: number;
  applied: number;
  term: number;
  role: Role;
  /** Highest term in which this node was checked for leader completeness. */
  leaderCheckedTerm: number;
  /** Promises this node made to others, which its disk must keep across a crash. */
  promises: Promises;
}

/**
 * What a node told others that it must still know after any crash (Raft
 * persists before it speaks): the highest term it sent a message in, the last
 * vote it granted, and the last entry it acknowledged to a leader.
 */
interface Promises {
  termSent: number;
  vote: { term: number; to: NodeId } | null;
  /** `entryTerm` 0: the entry was already compacted when acknowledged (not checked). */
  ack: { term: number; index: number; entryTerm: number } | null;
}

/**
 * The cluster-wide safety invariants, fed by the driving loop as events
 * happen (Ready persisted, entry applied, role change, restart). Each check is
 * incremental so that it can run after every simulator step:
 *
 *  - election safety: at most one leader per term (term → leader ever seen);
 *  - log matching: a stable entry (index, term) always has the same data and
 *    the same predecessor term on every node; by induction over indexes this
 *    gives "same index and term ⇒ identical prefix";
 *  - leader completeness: a new leader's log holds the highest entry applied
 *    anywhere so far (with its term; with log matching, the whole prefix);
 *  - state-machine safety: no two nodes apply different entries at one index,
 *    every node applies indexes contiguously, and snapshots taken at one index
 *    are byte-identical everywhere;
 *  - commit never decreases on a node (except to the persisted value across a
 *    crash) and applied never exceeds commit.
 */
export class InvariantChecker {
  private readonly leaderOfTerm = new Map<number, NodeId>();
  /** `${index}:${term}` → `${prevTerm}|${data fingerprint}` for every stable entry seen. */
  private readonly stable = new Map<string, string>();
  /** index → `${term}|${fingerprint}` of every entry applied anywhere. */
  private readonly applied = new Map<number, string>();
  private readonly snapshots = new Map<number, string>();
  private readonly nodes = new Map<NodeId, NodeTrack>();
  maxAppliedIndex = 0;
  /** The highest commit index any node has reported (every read index must reach it). */
  maxCommit = 0;
  private maxAppliedTerm = 0;
  /** The highest term any leader was seen in: an upper bound on the term of any commit so far. */
  private maxLeaderTerm = 0;
  /**
   * Each new highest applied entry, with maxLeaderTerm when it was first applied (so its commit
   * happened in that term or earlier). A leader of an older term that wins late (a candidate
   * paused with its votes waiting) need not hold entries committed after its term.
   */
  private readonly appliedRecords: { index: number; term: number; committedBy: number }[] = [];
  /** Counters for the run summary. */
  leadersSeen = 0;
  entriesApplied = 0;

  private track(id: NodeId): NodeTrack {
    let t = this.nodes.get(id);
    if (!t) {
      t = { commit: 0, applied: 0, term: 0, role: 'follower', leaderCheckedTerm: 0, promises: { termSent: 0, vote: null, ack: null } };
      this.nodes.set(id, t);
    }
    return t;
  }

  /**
   * A node (re)started from its disk: volatile commit and term fall back to
   * the persisted ones, which must still hold every promise the node made
   * before the crash (durable-term, durable-vote, durable-ack).
   */
  onStart(id: NodeId, hs: HardState, appliedIndex: number, log: LogView): void {
    const t = this.track(id);
    this.checkPromises(id, t.promises, hs, log);
    const persistedCommit = hs.commit;
    t.term = hs.term;
    t.commit = persistedCommit;
    t.applied = appliedIndex;
    t.role = 'follower';
    if (appliedIndex > persistedCommit) {
      throw new InvariantViolation('applied<=commit', `node ${id} restarts with applied ${appliedIndex} > persisted commit ${persistedCommit}`);
    }
  }

  private checkPromises(id: NodeId, p: Promises, hs: HardState, log: LogView): void {
    if (hs.term < p.termSent) {
      throw new InvariantViolation('durable-term', `node ${id} restarts in term ${hs.term} but had sent messages in term ${p.termSent}`);
    }
    if (p.vote !== null && hs.term === p.vote.term && hs.vote !== p.vote.to) {
      throw new InvariantViolation('durable-vote', `node ${id} granted its vote in term ${p.vote.term} to ${p.vote.to} but restarts with vote ${hs.vote} in that term`);
    }
    const a = p.ack;
    if (a !== null && hs.term === a.term && a.entryTerm > 0 && a.index > log.snapshotIndex()) {
      const got = a.index <= log.lastIndex() ? log.term(a.index) : 0;
      if (got !== a.entryTerm) {
        throw new InvariantViolation('durable-ack', `node ${id} acknowledged entry ${a.index} (term ${a.entryTerm}) in term ${a.term} but restarts without it (last index ${log.lastIndex()}, term there ${got})`);
      }
    }
  }

  /** `id` put `m` on the wire: record what it promised by that (checked when it restarts). */
  onSent(id: NodeId, m: Message, log: LogView): void {
    const p = this.track(id).promises;
    // Pre-vote messages carry the term the sender would campaign in, not its own.
    if (m.type !== 'pre-vote' && m.type !== 'pre-vote-resp' && m.term > p.termSent) p.termSent = m.term;
    if (m.type === 'vote-resp' && !m.reject) p.vote = { term: m.term, to: m.to };
    else if (m.type === 'append-resp' && !m.reject && m.index > 0) {
      const compacted = m.index <= log.snapshotIndex() || m.index > log.lastIndex();
      p.ack = { term: m.term, index: m.index, entryTerm: compacted ? 0 : log.term(m.index) };
    }
  }

  onHardState(id: NodeId, term: number, commit: number): void {
    const t = this.track(id);
    if (term < t.term) throw new InvariantViolation('term-monotonic', `node ${id} term went ${t.term} → ${term}`);
    if (commit < t.commit) throw new InvariantViolation('commit-monotonic', `node ${id} commit went ${t.commit} → ${commit}`);
    t.term = term;
    t.commit = commit;
    if (commit > this.maxCommit) this.maxCommit = commit;
  }

  /** Role as reported by the node's SoftState; `term` is its current term. */
  onRole(id: NodeId, role: Role, term: number, log: LogView): void {
    const t = this.track(id);
    t.role = role;
    if (role !== 'leader') return;
    const prior = this.leaderOfTerm.get(term);
    if (prior !== undefined && prior !== id) {
      throw new InvariantViolation('election-safety', `term ${term} has two leaders: ${prior} and ${id}`);
    }
    if (term > this.maxLeaderTerm) this.maxLeaderTerm = term;
    if (prior === undefined) {
      this.leaderOfTerm.set(term, id);
      this.leadersSeen++;
    }
    if (t.leaderCheckedTerm < term) {
      t.leaderCheckedTerm = term;
      this.checkLeaderCompleteness(id, term, log);
    }
  }

  private checkLeaderCompleteness(id: NodeId, term: number, log: LogView): void {
    let idx = this.maxAppliedIndex;
    let wantTerm = this.maxAppliedTerm;
    if (wantTerm > term) {
      // Raft promises a leader of `term` only the entries committed in earlier terms: a candidate
      // that collected its votes and was paused can win after a later term committed (it can
      // then neither commit nor read: that quorum has moved on). Check the newest entry that was
      // certainly committed before `term` instead.
      let k = this.appliedRecords.length - 1;
      while (k >= 0 && this.appliedRecords[k]!.committedBy >= term) k--;
      if (k < 0) return;
      idx = this.appliedRecords[k]!.index;
      wantTerm = this.appliedRecords[k]!.term;
    }
    if (idx === 0 || idx <= log.snapshotIndex()) return; // covered by the leader's snapshot (only committed state is snapshotted)
    if (wantTerm > term) {
      throw new InvariantViolation('leader-completeness', `node ${id} leads term ${term} but index ${idx} was committed in later term ${wantTerm}`);
    }
    if (log.lastIndex() < idx) {
      throw new InvariantViolation('leader-completeness', `node ${id} leads term ${term} with last index ${log.lastIndex()} < committed index ${idx}`);
    }
    const got = log.term(idx);
    if (got !== wantTerm) {
      throw new InvariantViolation('leader-completeness', `node ${id} leads term ${term}: entry ${idx} has term ${got}, committed term ${wantTerm}`);
    }
  }

  /** Entries just made durable on `id` (after they were appended to its disk). */
  onPersisted(id: NodeId, entries: readonly Entry[], log: LogView): void {
    for (const e of entries) {
      if (e.index < 1 || e.term < 1) throw new InvariantViolation('entry-shape', `node ${id} persisted entry index ${e.index} term ${e.term}`);
      let prevTerm: string;
      if (e.index - 1 === 0) prevTerm = '0';
      else if (e.index - 1 < log.snapshotIndex()) prevTerm = '?'; // predecessor compacted away
      else prevTerm = String(log.term(e.index - 1));
      const key = `${e.index}:${e.term}`;
      const value = `${prevTerm}|${fingerprint(e.data)}|${e.kind}`;
      const seen = this.stable.get(key);
      if (seen === undefined) {
        this.stable.set(key, value);
      } else if (seen !== value && !sameIgnoringUnknownPrev(seen, value)) {
        throw new InvariantViolation('log-matching', `node ${id} stores entry ${key} as ${value}, another node as ${seen}`);
      }
    }
  }

  /** `id` applied committed entry `e`; its previous applied index was `prevApplied`. */
  onApply(id: NodeId, e: Entry, prevApplied: number): void {
    const t = this.track(id);
    if (e.index !== prevApplied + 1) {
      throw new InvariantViolation('apply-contiguous', `node ${id} applied ${e.index} after ${prevApplied}`);
    }
    if (e.index > t.commit) {
      throw new InvariantViolation('applied<=commit', `node ${id} applies ${e.index} beyond commit ${t.commit}`);
    }
    const value = `${e.term}|${fingerprint(e.data)}|${e.kind}`;
    const seen = this.applied.get(e.index);
    if (seen === undefined) this.applied.set(e.index, value);
    else if (seen !== value) {
      throw new InvariantViolation('state-machine-safety', `node ${id} applied ${value} at index ${e.index}, another node applied ${seen}`);
    }
    if (e.index > this.maxAppliedIndex) {
      this.maxAppliedIndex = e.index;
      this.maxAppliedTerm = e.term;
      this.appliedRecords.push({ index: e.index, term: e.term, committedBy: this.maxLeaderTerm });
    }
    t.applied = e.index;
    this.entriesApplied++;
  }

  /** `id` installed a snapshot (received or its own restart state) at `index`. */
  onSnapshotApplied(id: NodeId, index: number, term: number, data: Uint8Array): void {
    const t = this.track(id);
    if (index < t.applied) throw new InvariantViolation('apply-monotonic', `node ${id} installs snapshot ${index} below applied ${t.applied}`);
    this.onSnapshotTaken(id, index, data);
    const known = this.applied.get(index);
    if (known !== undefined && !known.startsWith(`${term}|`)) {
      throw new InvariantViolation('state-machine-safety', `node ${id} installs snapshot at ${index} term ${term}, applied entry there is ${known}`);
    }
    t.applied = index;
  }

  /** A snapshot of the state machine at `index` (same index ⇒ same bytes on every node). */
  onSnapshotTaken(id: NodeId, index: number, data: Uint8Array): void {
    const fp = fingerprint(data);
    const seen = this.snapshots.get(index);
    if (seen === undefined) this.snapshots.set(index, fp);
    else if (seen !== fp) {
      throw new InvariantViolation('state-machine-safety', `node ${id} state at index ${index} is ${fp}, another node had ${seen}`);
    }
  }

  /** Per-step check of a node's own counters. */
  onStep(id: NodeId, commit: number, applied: number): void {
    const t = this.track(id);
    if (applied > commit) throw new InvariantViolation('applied<=commit', `node ${id} applied ${applied} > commit ${commit}`);
    if (commit < t.commit) throw new InvariantViolation('commit-monotonic', `node ${id} commit went ${t.commit} → ${commit}`);
    t.commit = commit;
  }

  leaderOf(term: number): NodeId | undefined {
    return this.leaderOfTerm.get(term);
  }
}

function sameIgnoringUnknownPrev(a: string, b: string): boolean {
  const [pa, ...ra] = a.split('|');
  const [pb, ...rb] = b.split('|');
  return (pa === '?' || pb === '?') && ra.join('|') === rb.join('|');
}
