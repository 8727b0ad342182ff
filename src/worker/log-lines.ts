/**
 * The pure parts of reading a task's log (docs/design/logs.md): splitting
 * bytes into lines, giving each line its time from the log's time marks,
 * the --since and --tail cuts, and framing lines into bounded messages.
 *
 * A task writes its output.log itself (the file is its stdout and stderr), so
 * the file holds no times. The node's agent watches the file's size and
 * appends a mark "OFFSET TIME" to output.times whenever it grew: every byte
 * before OFFSET was in the file by TIME. A line's time is the time of the
 * first mark at or past its end: when the agent first saw it whole.
 */

/** Every byte before `offset` was written by `timeMs` (ms since the epoch). */
export interface TimeMark {
  readonly offset: number;
  readonly timeMs: number;
}

/** A line of output without its newline, and the offset just past it in the file. */
export interface RawLine {
  readonly data: Buffer;
  /** Offset of the byte after the line (after its newline, when it has one). */
  readonly end: number;
}

export interface TimedLine {
  readonly timeMs: number;
  readonly data: Buffer;
}

/** A line longer than this is sent in pieces of this size (each a line of its own). */
export const LINE_BYTES_MAX = 64 * 1024;
/** Bounds of one PublishLogs / SubscribeLogs message. */
export const FRAME_LINES_MAX = 1_000;
export const FRAME_BYTES_MAX = 1024 * 1024;

const NEWLINE = 0x0a;

export function formatMark(m: TimeMark): string {
  return `${m.offset} ${m.timeMs}\n`;
}

/**
 * Marks from the text of an output.times file. A torn last record (the agent
 * died mid-append) and anything out of order are skipped, so the result is
 * increasing in both offset and time.
 */
export function parseMarks(text: string): TimeMark[] {
  const marks: TimeMark[] = [];
  for (const line of text.split('\n')) {
    const m = /^(\d+) (\d+)$/.exec(line);
    if (!m) continue;
    const offset = Number(m[1]);
    const timeMs = Number(m[2]);
    const last = marks[marks.length - 1];
    if (!Number.isSafeInteger(offset) || !Number.isSafeInteger(timeMs)) continue;
    if (last && (offset <= last.offset || timeMs < last.timeMs)) continue;
    marks.push({ offset, timeMs });
  }
  return marks;
}

/** The time of a line ending at `end`: the first mark at or past it, else `fallbackMs` (not marked yet). */
export function timeAt(marks: readonly TimeMark[], end: number, fallbackMs: number): number {
  let lo = 0;
  let hi = marks.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (marks[mid]!.offset >= end) hi = mid;
    else lo = mid + 1;
  }
  return lo < marks.length ? marks[lo]!.timeMs : fallbackMs;
}

/**
 * Where lines written at or after `sinceMs` may start: the largest marked
 * offset whose bytes were all written before `sinceMs` (0 if none). Lines that
 * end past it may still be older than `sinceMs` only if they straddle it:
 * filter them with keepSince.
 */
export function offsetBefore(marks: readonly TimeMark[], sinceMs: number): number {
  let best = 0;
  for (const m of marks) {
    if (m.timeMs >= sinceMs) break;
    best = m.offset;
  }
  return best;
}

export function keepSince<T extends { readonly timeMs: number }>(lines: readonly T[], sinceMs: number): T[] {
  return sinceMs <= 0 ? [...lines] : lines.filter((l) => l.timeMs >= sinceMs);
}

/** The last `n` of `lines` (all when n is undefined). */
export function keepTail<T>(lines: readonly T[], n: number | undefined): T[] {
  if (n === undefined) return [...lines];
  return n === 0 ? [] : lines.slice(-n);
}

/**
 * Where the last `n` lines of `buf` start, counting a final line without a
 * newline as a line; -1 when `buf` holds fewer than n line starts (the caller
 * reads further back). `atFileStart`: buf begins at offset 0, so its first
 * line is whole.
 */
export function tailStartIn(buf: Buffer, n: number, atFileStart: boolean): number {
  if (n === 0) return buf.length;
  let end = buf.length;
  if (end > 0 && buf[end - 1] === NEWLINE) end--; // the last line's own newline does not start a line
  let found = 0;
  for (let i = end - 1; i >= 0; i--) {
    if (buf[i] === NEWLINE && ++found === n) return i + 1;
  }
  return atFileStart ? 0 : -1;
}

/**
 * Splits a byte stream into lines, holding back a line that has not ended
 * yet. Lines longer than LINE_BYTES_MAX come out in pieces. The lines are
 * views of the pushed buffers (no copy per line: callers send them at once
 * and never reuse a pushed buffer); only the held-back part is copied.
 */
export class LineSplitter {
  private pending: Buffer = Buffer.alloc(0);

  /** @param offset the file offset of the first byte pushed */
  constructor(private offset = 0) {}

  /** The file offset of the next byte expected. */
  get position(): number {
    return this.offset;
  }

  push(bytes: Buffer): RawLine[] {
    const out: RawLine[] = [];
    let buf = this.pending.length > 0 ? Buffer.concat([this.pending, bytes]) : bytes;
    let base = this.offset - this.pending.length;
    this.offset += bytes.length;
    for (;;) {
      const nl = buf.indexOf(NEWLINE);
      if (nl < 0 || nl > LINE_BYTES_MAX) {
        if (buf.length < LINE_BYTES_MAX) break;
        out.push({ data: buf.subarray(0, LINE_BYTES_MAX), end: base + LINE_BYTES_MAX });
        buf = buf.subarray(LINE_BYTES_MAX);
        base += LINE_BYTES_MAX;
        continue;
      }
      out.push({ data: buf.subarray(0, nl), end: base + nl + 1 });
      buf = buf.subarray(nl + 1);
      base += nl + 1;
    }
    this.pending = Buffer.from(buf);
    return out;
  }

  /** The line that has not ended yet, if any (for a log read to its end). */
  flush(): RawLine[] {
    if (this.pending.length === 0) return [];
    const line = { data: this.pending, end: this.offset };
    this.pending = Buffer.alloc(0);
    return [line];
  }
}

/** Splits lines into messages of at most FRAME_LINES_MAX lines and about FRAME_BYTES_MAX bytes. */
export function frameLines<T extends { readonly data: Buffer }>(lines: readonly T[], linesMax = FRAME_LINES_MAX, bytesMax = FRAME_BYTES_MAX): T[][] {
  const frames: T[][] = [];
  let frame: T[] = [];
  let bytes = 0;
  for (const l of lines) {
    if (frame.length > 0 && (frame.length >= linesMax || bytes + l.data.length > bytesMax)) {
      frames.push(frame);
      frame = [];
      bytes = 0;
    }
    frame.push(l);
    bytes += l.data.length;
  }
  if (frame.length > 0) frames.push(frame);
  return frames;
}
