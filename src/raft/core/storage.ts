import type { ConfState, Entry, HardState, Snapshot } from './types.js';

/**
 * What the core reads of the durable log. The application writes to it (after
 * each Ready) and the core only reads. Implementations: MemoryStorage (tests,
 * simulator) and the SQLite storage in src/raft/storage.
 *
 * Index conventions (as in etcd): the storage holds a snapshot at index S and
 * entries S+1..L. firstIndex() = S+1, lastIndex() = L (= S when empty).
 * term(S) is answerable (from the snapshot metadata); term(i < S) is compacted.
 */
export interface Storage {
  /** The persisted hard state and the membership as of the last persisted state. */
  initialState(): { hardState: HardState; confState: ConfState };
  /**
   * Entries in [lo, hi), at most maxBytes of data (but always at least one
   * entry if any is in range). Throws CompactedError if lo < firstIndex(),
   * UnavailableError if hi > lastIndex() + 1.
   */
  entries(lo: number, hi: number, maxBytes: number): Entry[];
  /** The term of the entry at i. Throws CompactedError / UnavailableError. */
  term(i: number): number;
  firstIndex(): number;
  lastIndex(): number;
  /** The most recent snapshot. May throw SnapshotTemporarilyUnavailableError. */
  snapshot(): Snapshot;
}

/** The requested index is before the first one still in the log (compacted into a snapshot). */
export class CompactedError extends Error {
  constructor(readonly index: number, readonly firstIndex: number) {
    super(`log index ${index} is compacted (first available index is ${firstIndex})`);
    this.name = 'CompactedError';
  }
}

/** The requested index is past the end of the log. */
export class UnavailableError extends Error {
  constructor(readonly index: number, readonly lastIndex: number) {
    super(`log index ${index} is unavailable (last index is ${lastIndex})`);
    this.name = 'UnavailableError';
  }
}

/** The snapshot is being produced; the leader should retry later. */
export class SnapshotTemporarilyUnavailableError extends Error {
  constructor() {
    super('snapshot temporarily unavailable');
    this.name = 'SnapshotTemporarilyUnavailableError';
  }
}
