import { assertConfState } from './conf-change.js';
import { CompactedError, UnavailableError } from './storage.js';
import type { Storage } from './storage.js';
import { EMPTY_HARD_STATE } from './types.js';
import type { ConfState, Entry, HardState, Snapshot } from './types.js';

/**
 * Storage in memory, for tests, the simulator and the benchmark. The caller
 * writes to it after each Ready (append, setHardState, applySnapshot) and may
 * compact it; the core only reads.
 *
 * Layout: the log has been compacted up to `compactedIndex` (whose term is
 * kept so that term(compactedIndex) is answerable) and holds the entries
 * compactedIndex+1 .. lastIndex() in `ents`.
 */
export class MemoryStorage implements Storage {
  private hardState: HardState = EMPTY_HARD_STATE;
  private confState: ConfState;
  private snap: Snapshot;
  private compactedIndex = 0;
  private compactedTerm = 0;
  /** Invariant: ents[k].index === compactedIndex + 1 + k. */
  private ents: Entry[] = [];

  /** `conf` is the initial membership of a freshly bootstrapped cluster. */
  constructor(conf: ConfState = { voters: [], learners: [] }) {
    assertConfState(conf);
    this.confState = conf;
    this.snap = { meta: { index: 0, term: 0, conf }, data: new Uint8Array(0) };
  }

  initialState(): { hardState: HardState; confState: ConfState } {
    return { hardState: this.hardState, confState: this.confState };
  }

  setHardState(hs: HardState): void {
    if (hs.term < this.hardState.term) throw new Error(`MemoryStorage: term going back from ${this.hardState.term} to ${hs.term}`);
    this.hardState = hs;
  }

  /** Persist the membership the application has applied (read back by initialState on restart). */
  setConfState(conf: ConfState): void {
    assertConfState(conf);
    this.confState = conf;
  }

  firstIndex(): number {
    return this.compactedIndex + 1;
  }

  lastIndex(): number {
    return this.compactedIndex + this.ents.length;
  }

  term(i: number): number {
    if (i < this.compactedIndex) throw new CompactedError(i, this.firstIndex());
    if (i > this.lastIndex()) throw new UnavailableError(i, this.lastIndex());
    if (i === this.compactedIndex) return this.compactedTerm;
    return this.ents[i - this.compactedIndex - 1]!.term;
  }

  entries(lo: number, hi: number, maxBytes: number): Entry[] {
    if (lo < this.firstIndex()) throw new CompactedError(lo, this.firstIndex());
    if (hi > this.lastIndex() + 1) throw new UnavailableError(hi - 1, this.lastIndex());
    if (lo > hi) throw new Error(`MemoryStorage.entries: invalid range [${lo}, ${hi})`);
    const start = lo - this.compactedIndex - 1;
    const end = hi - this.compactedIndex - 1;
    let bytes = 0;
    let k = start;
    // Always return at least one entry when the range is not empty.
    for (; k < end; k++) {
      bytes += this.ents[k]!.data.length;
      if (bytes > maxBytes && k > start) break;
    }
    return this.ents.slice(start, k);
  }

  snapshot(): Snapshot {
    return this.snap;
  }

  /**
   * Append entries, replacing any conflicting suffix (a new leader may
   * overwrite uncommitted entries). Entries at or before the compaction point
   * are skipped. Throws if the entries leave a gap.
   */
  append(entries: readonly Entry[]): void {
    if (entries.length === 0) return;
    assertContiguous(entries);
    const first = this.firstIndex();
    const lastNew = entries[0]!.index + entries.length - 1;
    if (lastNew < first) return;
    const skip = Math.max(0, first - entries[0]!.index);
    const startIndex = entries[0]!.index + skip;
    if (startIndex > this.lastIndex() + 1) {
      throw new Error(`MemoryStorage.append: gap, entry ${startIndex} after last index ${this.lastIndex()}`);
    }
    this.ents.length = startIndex - this.compactedIndex - 1;
    for (let k = skip; k < entries.length; k++) this.ents.push(entries[k]!);
  }

  /** Replace the whole log by a snapshot received from the leader. */
  applySnapshot(snapshot: Snapshot): void {
    if (snapshot.meta.index <= this.snap.meta.index) {
      throw new Error(`MemoryStorage.applySnapshot: snapshot ${snapshot.meta.index} is not newer than ${this.snap.meta.index}`);
    }
    assertConfState(snapshot.meta.conf);
    this.snap = snapshot;
    this.confState = snapshot.meta.conf;
    this.compactedIndex = snapshot.meta.index;
    this.compactedTerm = snapshot.meta.term;
    this.ents = [];
  }

  /** Record a snapshot of the application state as of `index` (which must be in the log). Does not compact. */
  createSnapshot(index: number, conf: ConfState, data: Uint8Array): Snapshot {
    if (index <= this.snap.meta.index) {
      throw new Error(`MemoryStorage.createSnapshot: index ${index} is not after the current snapshot ${this.snap.meta.index}`);
    }
    if (index > this.lastIndex()) throw new UnavailableError(index, this.lastIndex());
    assertConfState(conf);
    this.snap = { meta: { index, term: this.term(index), conf }, data };
    return this.snap;
  }

  /**
   * Discard entries up to and including `index`. The index must be covered by
   * the snapshot, or a lagging follower could need entries no one can send.
   */
  compact(index: number): void {
    if (index <= this.compactedIndex) throw new CompactedError(index, this.firstIndex());
    if (index > this.lastIndex()) throw new UnavailableError(index, this.lastIndex());
    if (index > this.snap.meta.index) {
      throw new Error(`MemoryStorage.compact: index ${index} is past the snapshot index ${this.snap.meta.index}`);
    }
    const term = this.term(index);
    this.ents = this.ents.slice(index - this.compactedIndex);
    this.compactedIndex = index;
    this.compactedTerm = term;
  }
}

export function assertContiguous(entries: readonly Entry[]): void {
  for (let k = 1; k < entries.length; k++) {
    const prev = entries[k - 1]!;
    const cur = entries[k]!;
    if (cur.index !== prev.index + 1) throw new Error(`entries not contiguous: ${cur.index} follows ${prev.index}`);
    if (cur.term < prev.term) throw new Error(`entry terms decrease: ${cur.term} at ${cur.index} after ${prev.term}`);
  }
}
