import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  formatMark,
  frameLines,
  keepSince,
  keepTail,
  LINE_BYTES_MAX,
  LineSplitter,
  offsetBefore,
  parseMarks,
  tailStartIn,
  timeAt,
} from '../../src/worker/log-lines.js';
import { formatLine, parseSince, parseTail, sourcePrefix } from '../../bin/commands/logs.js';

const b = (s: string): Buffer => Buffer.from(s);
const text = (lines: readonly { data: Buffer }[]): string[] => lines.map((l) => l.data.toString());

// Proves the marks file round-trips, and that a torn or out-of-order record (an agent killed
// mid-append, a clock step back) is skipped rather than corrupting every line's time.
test('parseMarks: round trip; torn and out-of-order records are skipped', () => {
  const marks = [{ offset: 10, timeMs: 1_000 }, { offset: 25, timeMs: 1_200 }];
  assert.deepEqual(parseMarks(marks.map(formatMark).join('')), marks);
  assert.deepEqual(parseMarks('10 1000\n25 1200\n20 1300\n30 900\n40 1400\n5'), [...marks, { offset: 40, timeMs: 1_400 }]);
  assert.deepEqual(parseMarks('garbage\n\n12 x\n'), []);
});

// Proves a line's time is that of the first mark at or past its end, and unmarked lines get the fallback.
test('timeAt: the first mark covering the line end', () => {
  const marks = [{ offset: 10, timeMs: 100 }, { offset: 20, timeMs: 200 }, { offset: 30, timeMs: 300 }];
  assert.equal(timeAt(marks, 1, 999), 100);
  assert.equal(timeAt(marks, 10, 999), 100);
  assert.equal(timeAt(marks, 11, 999), 200);
  assert.equal(timeAt(marks, 30, 999), 300);
  assert.equal(timeAt(marks, 31, 999), 999);
  assert.equal(timeAt([], 5, 42), 42);
});

// Proves --since's byte cut never drops a line written at or after the time: it starts after
// the last mark wholly before `since`, and the per-line filter removes the older straddlers.
test('offsetBefore and keepSince: --since', () => {
  const marks = [{ offset: 10, timeMs: 100 }, { offset: 20, timeMs: 200 }, { offset: 30, timeMs: 300 }];
  assert.equal(offsetBefore(marks, 50), 0);
  assert.equal(offsetBefore(marks, 100), 0);
  assert.equal(offsetBefore(marks, 150), 10);
  assert.equal(offsetBefore(marks, 201), 20);
  assert.equal(offsetBefore(marks, 10_000), 30);
  const lines = [{ timeMs: 100, data: b('a') }, { timeMs: 200, data: b('b') }, { timeMs: 300, data: b('c') }];
  assert.deepEqual(text(keepSince(lines, 200)), ['b', 'c']);
  assert.deepEqual(text(keepSince(lines, 0)), ['a', 'b', 'c']);
  assert.deepEqual(text(keepSince(lines, 301)), []);
});

// Proves --tail counts lines from the end, with or without a final newline, and asks for more
// bytes when the block read so far holds too few lines.
test('tailStartIn and keepTail: --tail', () => {
  const buf = b('one\ntwo\nthree\n');
  assert.equal(buf.subarray(tailStartIn(buf, 1, true)).toString(), 'three\n');
  assert.equal(buf.subarray(tailStartIn(buf, 2, true)).toString(), 'two\nthree\n');
  assert.equal(tailStartIn(buf, 3, true), 0);
  assert.equal(tailStartIn(buf, 5, true), 0, 'fewer lines than asked: all of them');
  assert.equal(tailStartIn(buf, 3, false), -1, 'not at the file start: read further back');
  assert.equal(tailStartIn(buf, 0, true), buf.length);
  const partial = b('one\ntwo\nthr');
  assert.equal(partial.subarray(tailStartIn(partial, 1, true)).toString(), 'thr', 'an unfinished last line counts');
  assert.deepEqual(keepTail([1, 2, 3], 2), [2, 3]);
  assert.deepEqual(keepTail([1, 2, 3], 0), []);
  assert.deepEqual(keepTail([1, 2, 3], undefined), [1, 2, 3]);
});

// Proves the splitter gives whole lines with their end offsets across chunk boundaries, holds an
// unfinished line until its newline (or flush), and cuts an endless line into bounded pieces.
test('LineSplitter: lines across chunks, held partial line, long lines in pieces', () => {
  const s = new LineSplitter(100);
  assert.deepEqual(s.push(b('ab')), []);
  const got = s.push(b('c\nde\nf'));
  assert.deepEqual(got.map((l) => [l.data.toString(), l.end]), [['abc', 104], ['de', 107]]);
  assert.equal(s.position, 108);
  assert.deepEqual(s.push(b('g\n')).map((l) => [l.data.toString(), l.end]), [['fg', 110]]);
  assert.deepEqual(s.flush(), []);
  s.push(b('tail'));
  assert.deepEqual(s.flush().map((l) => [l.data.toString(), l.end]), [['tail', 114]]);
  const long = new LineSplitter();
  const pieces = long.push(Buffer.alloc(LINE_BYTES_MAX * 2 + 5, 0x61));
  assert.deepEqual(pieces.map((p) => [p.data.length, p.end]), [[LINE_BYTES_MAX, LINE_BYTES_MAX], [LINE_BYTES_MAX, 2 * LINE_BYTES_MAX]]);
  assert.deepEqual(long.push(b('\n')).map((p) => p.data.length), [5]);
});

// Proves framing bounds each message by lines and bytes, keeps order, and never splits or drops a line.
test('frameLines: bounded messages, order kept', () => {
  const lines = Array.from({ length: 7 }, (_, i) => ({ data: Buffer.alloc(i === 3 ? 50 : 10, 0x30 + i) }));
  const frames = frameLines(lines, 3, 55);
  assert.deepEqual(frames.map((f) => f.map((l) => l.data[0]! - 0x30)), [[0, 1, 2], [3], [4, 5, 6]]);
  assert.deepEqual(frames.flat(), lines);
  assert.deepEqual(frameLines([]), []);
  const big = [{ data: Buffer.alloc(100) }];
  assert.deepEqual(frameLines(big, 10, 10), [big], 'a line bigger than the byte bound still goes, alone');
});

// Proves the CLI's --since and --tail parsing (durations, RFC 3339, unix seconds) and its errors.
test('parseSince and parseTail', () => {
  const now = Date.parse('2026-12-07T12:00:00Z');
  assert.equal(parseSince('10m', now), now - 600_000);
  assert.equal(parseSince('1h30m', now), now - 5_400_000);
  assert.equal(parseSince('2026-12-07T11:00:00Z', now), now - 3_600_000);
  assert.equal(parseSince('1796644800', now), 1_796_644_800_000);
  assert.equal(parseSince('1796644800.5', now), 1_796_644_800_500);
  assert.throws(() => parseSince('yesterday', now), /--since "yesterday" is not a time or a duration/);
  assert.throws(() => parseSince('2026-13-45', now), /is not a time or a duration/);
  assert.equal(parseTail('all'), undefined);
  assert.equal(parseTail('0'), 0);
  assert.equal(parseTail('25'), 25);
  assert.throws(() => parseTail('-1'), /--tail "-1" must be "all" or a whole number/);
  assert.throws(() => parseTail('ten'), /--tail "ten"/);
});

// Proves the printed form: docker's "task.slot.id@node | line", the time first with -t.
test('sourcePrefix and formatLine', () => {
  const prefix = sourcePrefix({ taskId: 'abcdef0123456789', taskName: 'web.1', nodeId: 'n2', nodeName: 'node2' });
  assert.equal(prefix, 'web.1.abcdef012345@node2 | ');
  assert.equal(formatLine(b('hi'), 0, prefix, false).toString(), 'web.1.abcdef012345@node2 | hi\n');
  assert.equal(formatLine(b('hi'), Date.parse('2026-12-07T12:00:00.250Z'), '', true).toString(), '2026-12-07T12:00:00.250Z hi\n');
});
