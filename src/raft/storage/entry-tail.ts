import type { Entry } from '../core/types.js';

/**
 * The newest persisted log entries, kept in memory so that reading them back
 * costs no SQLite query. The core hands an entry to persist() and, once it is
 * committed (for a lone manager: the very next Ready), asks storage for it
 * again to apply it; that read was ≈ 40 µs of every write (issue #16 profile).
 *
 * The tail mirrors raft.db's log: it is contiguous and, when not empty, ends
 * at the log's last index. Its owner calls the methods below only after the
 * matching SQLite transaction committed, so a failed write never changes it.
 * It holds at most `maxEntries` entries and `maxBytes` of entry data (at least
 * the newest entry); older entries are read from SQLite as before.
 */
export class EntryTail {
  private tail: Entry[] = [];
  private bytes = 0;

  constructor(
    private readonly maxEntries = 256,
    private readonly maxBytes = 1 << 20,
  ) {}

  /** Index of the oldest cached entry, or Infinity when the tail is empty. */
  get firstIndex(): number {
    return this.tail.length === 0 ? Infinity : this.tail[0]!.index;
  }

  /** `entries` (contiguous) were written, replacing any entries at or after their first index. */
  appended(entries: readonly Entry[]): void {
    if (entries.length === 0) return;
    const first = entries[0]!.index;
    this.truncateFrom(first);
    const last = this.tail[this.tail.length - 1];
    // The log's entries below `first` that the tail does not hold (it was empty or trimmed): start afresh.
    if (last !== undefined && last.index !== first - 1) this.clear();
    for (const e of entries) {
      this.tail.push(e);
      this.bytes += e.data.byteLength;
    }
    this.trim();
  }

  /** The log now starts after `index` (compaction or a snapshot): entries up to it are gone. */
  compactedTo(index: number): void {
    let drop = 0;
    while (drop < this.tail.length && this.tail[drop]!.index <= index) this.bytes -= this.tail[drop++]!.data.byteLength;
    if (drop > 0) this.tail.splice(0, drop);
  }

  clear(): void {
    this.tail = [];
    this.bytes = 0;
  }

  /**
   * Entries lo..hi-1 under Storage.entries()'s maxBytes rule (at least one
   * entry), or undefined when lo is older than the tail. The caller has
   * checked that hi <= lastIndex + 1.
   */
  read(lo: number, hi: number, maxBytes: number): Entry[] | undefined {
    const first = this.firstIndex;
    if (lo < first) return undefined;
    const out: Entry[] = [];
    let bytes = 0;
    for (let i = lo; i < hi; i++) {
      const e = this.tail[i - first]!;
      bytes += e.data.byteLength;
      if (out.length > 0 && bytes > maxBytes) break;
      out.push(e);
    }
    return out;
  }

  private truncateFrom(index: number): void {
    while (this.tail.length > 0 && this.tail[this.tail.length - 1]!.index >= index) this.bytes -= this.tail.pop()!.data.byteLength;
  }

  private trim(): void {
    let drop = 0;
    while (this.tail.length - drop > 1 && (this.tail.length - drop > this.maxEntries || this.bytes > this.maxBytes)) {
      this.bytes -= this.tail[drop++]!.data.byteLength;
    }
    if (drop > 0) this.tail.splice(0, drop);
  }
}
