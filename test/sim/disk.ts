import type { ConfState, Entry, HardState, Snapshot } from '../../src/raft/core/types.js';
import type { Storage } from '../../src/raft/core/storage.js';

/**
 * A node's durable state in the simulator: the core's MemoryStorage, which
 * survives a simulated crash (everything else of the node is lost). This is
 * the subset of MemoryStorage the harness writes through.
 */
export interface SimDisk extends Storage {
  /** Append entries, truncating any conflicting suffix first. */
  append(entries: readonly Entry[]): void;
  setHardState(hs: HardState): void;
  /** The membership read back by initialState() on restart (kept equal to the snapshot's). */
  setConfState(conf: ConfState): void;
  /** Replace the whole log with a snapshot (received from a leader). */
  applySnapshot(snapshot: Snapshot): void;
  /** Drop entries before `index` (they must be covered by a snapshot). */
  compact(index: number): void;
  /** Record a snapshot of the applied state at `index`. */
  createSnapshot(index: number, conf: ConfState, data: Uint8Array): Snapshot;
}

export type DiskFactory = () => SimDisk;

/**
 * The disk of a founding member: a snapshot at index 1 (term 1) holding the
 * initial membership and the empty state machine. Starting from index 1 rather
 * than 0 means every log is compacted past entry 1, so a node that joins later
 * always starts from a leader's snapshot and learns the membership from it
 * (the initial membership is not in any log entry it could replay).
 */
export function bootstrapDisk(make: DiskFactory, conf: ConfState): SimDisk {
  const d = make();
  d.applySnapshot({ meta: { index: 1, term: 1, conf }, data: new Uint8Array(0) });
  d.setConfState(conf);
  d.setHardState({ term: 1, vote: 0, commit: 1 });
  return d;
}

/** The snapshot index of a disk (entries up to it are compacted). */
export function snapshotIndexOf(disk: Storage): number {
  return disk.firstIndex() - 1;
}

/**
 * A copy of `disk` that lost its last `dropEntries` entries (commit clamped so
 * the copy is self-consistent). Only the "broken node" sanity test uses this:
 * it models a disk that acknowledged writes it never made durable.
 */
export function copyDiskLosingTail(disk: SimDisk, make: DiskFactory, dropEntries: number): SimDisk {
  const out = make();
  const snap = disk.snapshot();
  if (snap.meta.index > 0) out.applySnapshot(snap);
  out.setConfState(disk.initialState().confState);
  const first = disk.firstIndex();
  const keepLast = Math.max(snap.meta.index, disk.lastIndex() - dropEntries);
  if (keepLast >= first) out.append(disk.entries(first, keepLast + 1, Number.MAX_SAFE_INTEGER));
  const hs = disk.initialState().hardState;
  out.setHardState({ ...hs, commit: Math.min(hs.commit, keepLast) });
  return out;
}
