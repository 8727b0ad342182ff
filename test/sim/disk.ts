import type { ConfState, Entry, HardState, Snapshot } from '../../src/raft/core/types.js';
import type { Storage } from '../../src/raft/core/storage.js';
import type { Prng } from './prng.js';

/**
 * An in-memory image of a node's storage: the core's MemoryStorage, which the
 * disk model below keeps two of (what the node reads, and what is durable).
 */
export interface DiskImage extends Storage {
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

export type ImageFactory = () => DiskImage;

/**
 * A node's disk in the simulator. Writes are grouped like the real storage's
 * transactions (src/raft/storage/sqlite-log.ts): the node writes a Ready's
 * state, then ends the write with or without a sync, as the node shell does
 * with Ready.mustSync. Only synced writes (and every write before a synced one:
 * the log is written in order) are sure to survive a crash; see VolatileDisk.
 */
export interface SimDisk extends DiskImage {
  /** Close the current write; with `sync`, it and every earlier write become durable. */
  endWrite(sync: boolean): void;
  /**
   * The machine stops. With `loseUnsynced`, the writes not yet synced are lost
   * (all of them, or a torn tail: the oldest survive, then part of one
   * write's entries, then nothing); otherwise they survive (a process crash:
   * the OS still had them). Returns what happened, for the trace.
   */
  crash(rng: Prng, loseUnsynced: boolean): string;
  /** Writes not yet synced (including an unfinished one). */
  readonly unsyncedWrites: number;
}

type DiskOp =
  | { readonly k: 'append'; readonly entries: readonly Entry[] }
  | { readonly k: 'hard-state'; readonly hs: HardState }
  | { readonly k: 'conf-state'; readonly conf: ConfState }
  | { readonly k: 'apply-snapshot'; readonly snapshot: Snapshot }
  | { readonly k: 'compact'; readonly index: number }
  | { readonly k: 'create-snapshot'; readonly index: number; readonly conf: ConfState; readonly data: Uint8Array };

/**
 * The disk model: `live` is what the running node reads (every write, as in
 * the OS page cache), `durable` what survives a power failure (synced
 * writes). Unsynced writes are kept as a journal of operations in write order;
 * a sync replays them onto `durable`. At a crash that loses them, a prefix of
 * the journal survives and the node restarts from a copy of `durable`.
 */
export class VolatileDisk implements SimDisk {
  private live: DiskImage;
  private durable: DiskImage;
  /** Closed but unsynced writes, oldest first. */
  private readonly unsynced: DiskOp[][] = [];
  /** The write being made (closed by endWrite). */
  private open: DiskOp[] = [];

  constructor(private readonly make: ImageFactory) {
    this.live = make();
    this.durable = make();
  }

  get unsyncedWrites(): number {
    return this.unsynced.length + (this.open.length > 0 ? 1 : 0);
  }

  // ---- reads: what the running node sees

  initialState(): { hardState: HardState; confState: ConfState } {
    return this.live.initialState();
  }
  entries(lo: number, hi: number, maxBytes: number): Entry[] {
    return this.live.entries(lo, hi, maxBytes);
  }
  term(i: number): number {
    return this.live.term(i);
  }
  firstIndex(): number {
    return this.live.firstIndex();
  }
  lastIndex(): number {
    return this.live.lastIndex();
  }
  snapshot(): Snapshot {
    return this.live.snapshot();
  }

  // ---- writes: applied to `live` at once, journaled for `durable`

  append(entries: readonly Entry[]): void {
    this.write({ k: 'append', entries: entries.slice() });
  }
  setHardState(hs: HardState): void {
    this.write({ k: 'hard-state', hs });
  }
  setConfState(conf: ConfState): void {
    this.write({ k: 'conf-state', conf });
  }
  applySnapshot(snapshot: Snapshot): void {
    this.write({ k: 'apply-snapshot', snapshot });
  }
  compact(index: number): void {
    this.write({ k: 'compact', index });
  }
  createSnapshot(index: number, conf: ConfState, data: Uint8Array): Snapshot {
    this.write({ k: 'create-snapshot', index, conf, data });
    return this.live.snapshot();
  }

  endWrite(sync: boolean): void {
    if (this.open.length > 0) this.unsynced.push(this.open);
    this.open = [];
    if (!sync) return;
    for (const w of this.unsynced) for (const op of w) applyOp(this.durable, op);
    this.unsynced.length = 0;
  }

  crash(rng: Prng, loseUnsynced: boolean): string {
    if (this.open.length > 0) this.unsynced.push(this.open);
    this.open = [];
    const writes = this.unsynced.splice(0);
    if (writes.length === 0) return 'nothing unsynced';
    let kept = writes.length;
    let tornEntries = -1;
    if (loseUnsynced) {
      // Lost wholly, or a torn tail: the oldest `kept` writes made it, then maybe part of the next one's entries.
      kept = rng.chance(0.5) ? 0 : rng.int(writes.length);
      const next = writes[kept];
      const append = next?.find((op) => op.k === 'append');
      // Entries of a write that also installs a snapshot are not torn off it: the snapshot comes first in that write.
      if (append?.k === 'append' && append.entries.length > 0 && !next!.some((op) => op.k === 'apply-snapshot') && rng.chance(0.5)) {
        tornEntries = rng.int(append.entries.length);
      }
    }
    for (let w = 0; w < kept; w++) for (const op of writes[w]!) applyOp(this.durable, op);
    if (tornEntries > 0) {
      const append = writes[kept]!.find((op) => op.k === 'append')!;
      if (append.k === 'append') this.durable.append(append.entries.slice(0, tornEntries));
    }
    this.live = this.durable;
    this.durable = copyImage(this.live, this.make);
    if (kept === writes.length) return `${writes.length} unsynced writes survive`;
    const torn = tornEntries > 0 ? ` and ${tornEntries} entries of the next` : '';
    return `${writes.length - kept} of ${writes.length} unsynced writes lost (kept ${kept}${torn})`;
  }

  private write(op: DiskOp): void {
    applyOp(this.live, op);
    this.open.push(op);
  }
}

function applyOp(d: DiskImage, op: DiskOp): void {
  switch (op.k) {
    case 'append':
      d.append(op.entries);
      break;
    case 'hard-state':
      d.setHardState(op.hs);
      break;
    case 'conf-state':
      d.setConfState(op.conf);
      break;
    case 'apply-snapshot':
      d.applySnapshot(op.snapshot);
      break;
    case 'compact':
      d.compact(op.index);
      break;
    case 'create-snapshot':
      d.createSnapshot(op.index, op.conf, op.data);
      break;
  }
}

/**
 * An independent copy of an image with the same snapshot, compaction point,
 * entries, hard state and membership (entries are immutable and shared).
 */
export function copyImage(src: DiskImage, make: ImageFactory, lastIndex = src.lastIndex()): DiskImage {
  const out = make();
  const snap = src.snapshot();
  const compacted = src.firstIndex() - 1;
  if (compacted > 0) {
    // Entries may be kept behind the snapshot: restore the compaction point first, then the snapshot over it.
    const base = compacted === snap.meta.index ? snap : { meta: { index: compacted, term: src.term(compacted), conf: snap.meta.conf }, data: snap.data };
    out.applySnapshot(base);
  }
  const last = Math.max(lastIndex, compacted);
  if (last > compacted) out.append(src.entries(compacted + 1, last + 1, Number.MAX_SAFE_INTEGER));
  if (snap.meta.index > compacted) out.createSnapshot(snap.meta.index, snap.meta.conf, snap.data);
  const { hardState, confState } = src.initialState();
  out.setConfState(confState);
  out.setHardState({ ...hardState, commit: Math.min(hardState.commit, last) });
  return out;
}

/**
 * The disk of a founding member: a snapshot at index 1 (term 1) holding the
 * initial membership and the empty state machine. Starting from index 1 rather
 * than 0 means every log is compacted past entry 1, so a node that joins later
 * always starts from a leader's snapshot and learns the membership from it
 * (the initial membership is not in any log entry it could replay).
 */
export function bootstrapDisk(make: ImageFactory, conf: ConfState): SimDisk {
  const d = new VolatileDisk(make);
  d.applySnapshot({ meta: { index: 1, term: 1, conf }, data: new Uint8Array(0) });
  d.setConfState(conf);
  d.setHardState({ term: 1, vote: 0, commit: 1 });
  d.endWrite(true);
  return d;
}

/** The snapshot index of a disk (entries up to it are compacted). */
export function snapshotIndexOf(disk: Storage): number {
  return disk.firstIndex() - 1;
}

/**
 * A copy of `disk` that lost its last `dropEntries` entries (commit clamped so
 * the copy is self-consistent). Only the "broken node" sanity test uses this:
 * it models a disk that acknowledged synced writes it never made durable.
 */
export function copyDiskLosingTail(disk: SimDisk, make: ImageFactory, dropEntries: number): SimDisk {
  const keepLast = Math.max(disk.snapshot().meta.index, disk.lastIndex() - dropEntries);
  const image = copyImage(disk, make, keepLast);
  const out = new VolatileDisk(() => copyImage(image, make));
  out.endWrite(true);
  return out;
}
