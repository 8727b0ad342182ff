import { assertContiguous } from './memory-storage.js';
import { CompactedError, UnavailableError } from './storage.js';
import type { Storage } from './storage.js';
import type { Entry, Snapshot } from './types.js';

/**
 * The part of the log not yet known to be in stable storage: entries appended
 * since the last advance() and possibly a snapshot received from the leader.
 * Invariant: entries[k].index === offset + k; if snapshot is set, offset === snapshot index + 1.
 */
class Unstable {
  snapshot: Snapshot | null = null;
  entries: Entry[] = [];

  constructor(public offset: number) {}

  maybeFirstIndex(): number | null {
    return this.snapshot === null ? null : this.snapshot.meta.index + 1;
  }

  maybeLastIndex(): number | null {
    if (this.entries.length > 0) return this.offset + this.entries.length - 1;
    return this.snapshot === null ? null : this.snapshot.meta.index;
  }

  maybeTerm(i: number): number | null {
    if (i < this.offset) {
      if (this.snapshot !== null && this.snapshot.meta.index === i) return this.snapshot.meta.term;
      return null;
    }
    const e = this.entries[i - this.offset];
    return e === undefined ? null : e.term;
  }

  /** Entries up to (index, term) reached stable storage; drop them unless they were replaced meanwhile. */
  stableTo(index: number, term: number): void {
    const t = this.maybeTerm(index);
    if (t === null || t !== term || index < this.offset) return;
    this.entries = this.entries.slice(index + 1 - this.offset);
    this.offset = index + 1;
  }

  stableSnapTo(index: number): void {
    if (this.snapshot !== null && this.snapshot.meta.index === index) this.snapshot = null;
  }

  restore(s: Snapshot): void {
    this.offset = s.meta.index + 1;
    this.entries = [];
    this.snapshot = s;
  }

  truncateAndAppend(ents: readonly Entry[]): void {
    const after = ents[0]!.index;
    if (after === this.offset + this.entries.length) {
      for (const e of ents) this.entries.push(e);
    } else if (after <= this.offset) {
      // Replaces everything unstable (storage's conflicting suffix is replaced when the caller appends).
      this.offset = after;
      this.entries = ents.slice();
    } else {
      this.entries = this.entries.slice(0, after - this.offset);
      for (const e of ents) this.entries.push(e);
    }
  }

  slice(lo: number, hi: number): Entry[] {
    if (lo < this.offset || hi > this.offset + this.entries.length || lo > hi) {
      throw new Error(`unstable.slice [${lo}, ${hi}) out of bounds [${this.offset}, ${this.offset + this.entries.length})`);
    }
    return this.entries.slice(lo - this.offset, hi - this.offset);
  }
}

/**
 * The Raft log as one node sees it: stable storage plus the unstable tail,
 * with the commit and applied indexes.
 * Invariant: applied <= committed <= lastIndex(); committed never decreases.
 */
export class RaftLog {
  readonly unstable: Unstable;
  committed: number;
  applied: number;

  constructor(readonly storage: Storage) {
    const first = storage.firstIndex();
    const last = storage.lastIndex();
    this.unstable = new Unstable(last + 1);
    this.committed = first - 1;
    this.applied = first - 1;
  }

  firstIndex(): number {
    return this.unstable.maybeFirstIndex() ?? this.storage.firstIndex();
  }

  lastIndex(): number {
    return this.unstable.maybeLastIndex() ?? this.storage.lastIndex();
  }

  /** The last index known to be in stable storage (entries after it are still being written). */
  stableLastIndex(): number {
    if (this.unstable.entries.length > 0) return this.unstable.offset - 1;
    if (this.unstable.snapshot !== null) return this.unstable.snapshot.meta.index;
    return this.storage.lastIndex();
  }

  /** The term at i. Throws CompactedError / UnavailableError when i is outside [firstIndex-1, lastIndex]. */
  term(i: number): number {
    const t = this.unstable.maybeTerm(i);
    if (t !== null) return t;
    const dummy = this.firstIndex() - 1;
    if (i < dummy) throw new CompactedError(i, dummy + 1);
    if (i > this.lastIndex()) throw new UnavailableError(i, this.lastIndex());
    return this.storage.term(i);
  }

  /** The term at i, or 0 when it is compacted or past the end (0 matches no real entry). */
  termOrZero(i: number): number {
    try {
      return this.term(i);
    } catch (e) {
      if (e instanceof CompactedError || e instanceof UnavailableError) return 0;
      throw e;
    }
  }

  lastTerm(): number {
    return this.term(this.lastIndex());
  }

  matchTerm(i: number, t: number): boolean {
    return this.termOrZero(i) === t;
  }

  /** The voting rule: is a log ending at (lastIndex, lastTerm) at least as up to date as ours? */
  isUpToDate(lastIndex: number, lastTerm: number): boolean {
    const ourTerm = this.lastTerm();
    return lastTerm > ourTerm || (lastTerm === ourTerm && lastIndex >= this.lastIndex());
  }

  /** The index of the first entry that conflicts with ours or is new; 0 if all are already present. */
  findConflict(ents: readonly Entry[]): number {
    for (const e of ents) {
      if (!this.matchTerm(e.index, e.term)) return e.index;
    }
    return 0;
  }

  /**
   * The largest index <= `index` whose term is <= `term` (fast log backtracking:
   * everything after it surely conflicts). Returns that index and its term.
   */
  findConflictByTerm(index: number, term: number): { index: number; term: number } {
    const floor = this.firstIndex() - 1;
    let i = Math.min(index, this.lastIndex());
    // Bounded by the log length: each step moves one index down.
    for (; i >= floor; i--) {
      const t = this.termOrZero(i);
      if (t <= term) return { index: i, term: t };
    }
    return { index: floor, term: 0 };
  }

  /**
   * AppendEntries receiver: if our entry at prevIndex has prevTerm, append
   * `ents` (truncating any conflicting suffix), advance commit to
   * min(leaderCommit, last new index) and return the last new index; else null.
   */
  maybeAppend(prevIndex: number, prevTerm: number, leaderCommit: number, ents: readonly Entry[]): number | null {
    if (!this.matchTerm(prevIndex, prevTerm)) return null;
    const lastNew = prevIndex + ents.length;
    const ci = this.findConflict(ents);
    if (ci !== 0) {
      if (ci <= this.committed) throw new Error(`entry ${ci} conflicts with committed entry (committed ${this.committed})`);
      this.append(ents.slice(ci - prevIndex - 1));
    }
    this.commitTo(Math.min(leaderCommit, lastNew));
    return lastNew;
  }

  append(ents: readonly Entry[]): number {
    if (ents.length === 0) return this.lastIndex();
    assertContiguous(ents);
    const after = ents[0]!.index - 1;
    if (after < this.committed) throw new Error(`append after ${after} would overwrite committed entries (committed ${this.committed})`);
    if (after > this.lastIndex()) throw new Error(`append after ${after} leaves a gap (last index ${this.lastIndex()})`);
    this.unstable.truncateAndAppend(ents);
    return this.lastIndex();
  }

  commitTo(c: number): void {
    if (c <= this.committed) return;
    if (c > this.lastIndex()) throw new Error(`commit ${c} is out of range [committed ${this.committed}, last ${this.lastIndex()}]`);
    this.committed = c;
  }

  /** Leader commit rule: commit maxIndex only if it carries the current term (Raft §5.4.2). */
  maybeCommit(maxIndex: number, term: number): boolean {
    if (maxIndex > this.committed && this.termOrZero(maxIndex) === term) {
      this.commitTo(maxIndex);
      return true;
    }
    return false;
  }

  appliedTo(i: number): void {
    if (i === 0) return;
    if (i < this.applied || i > this.committed) {
      throw new Error(`applied ${i} out of range [prev applied ${this.applied}, committed ${this.committed}]`);
    }
    this.applied = i;
  }

  /** Highest index that may be handed to the application now: committed and durable. */
  private applicableLimit(): number {
    return Math.min(this.committed, this.stableLastIndex());
  }

  hasNextCommittedEntries(): boolean {
    return this.unstable.snapshot === null && this.applicableLimit() > this.applied;
  }

  nextCommittedEntries(maxBytes: number): Entry[] {
    if (!this.hasNextCommittedEntries()) return [];
    return this.slice(this.applied + 1, this.applicableLimit() + 1, maxBytes);
  }

  /** Entries from i to the end, at most maxBytes (but at least one entry). Throws CompactedError. */
  entriesFrom(i: number, maxBytes: number): Entry[] {
    const last = this.lastIndex();
    if (i > last) return [];
    return this.slice(i, last + 1, maxBytes);
  }

  /** Entries in [lo, hi), at most maxBytes (but at least one). Throws CompactedError if lo is compacted. */
  slice(lo: number, hi: number, maxBytes: number): Entry[] {
    if (lo > hi) throw new Error(`slice: invalid range [${lo}, ${hi})`);
    if (lo === hi) return [];
    const first = this.firstIndex();
    if (lo < first) throw new CompactedError(lo, first);
    if (hi > this.lastIndex() + 1) throw new Error(`slice [${lo}, ${hi}) past last index ${this.lastIndex()}`);
    const off = this.unstable.offset;
    let out: Entry[] = [];
    if (lo < off) {
      out = this.storage.entries(lo, Math.min(hi, off), maxBytes);
      // Storage stopped early because of the size limit: return what fits.
      if (out.length < Math.min(hi, off) - lo) return out;
    }
    if (hi > off) {
      const un = this.unstable.slice(Math.max(lo, off), hi);
      if (out.length === 0) out = un;
      else for (const e of un) out.push(e);
    }
    return limitBytes(out, maxBytes);
  }

  restore(s: Snapshot): void {
    if (s.meta.index < this.committed) throw new Error(`restore of snapshot ${s.meta.index} behind commit ${this.committed}`);
    this.committed = s.meta.index;
    this.unstable.restore(s);
  }
}

/** The longest prefix within maxBytes, but at least one entry. */
function limitBytes(ents: Entry[], maxBytes: number): Entry[] {
  let bytes = 0;
  for (let k = 0; k < ents.length; k++) {
    bytes += ents[k]!.data.length;
    if (bytes > maxBytes && k > 0) return ents.slice(0, k);
  }
  return ents;
}
