/**
 * Gives a node's task logs their times (log-lines.ts explains the marks):
 * every TICK_MS it looks at the size of the log of each task the agent holds
 * and, when one grew, appends a mark to that task's output.times and tells
 * the followers (`service logs --follow`) that new bytes are there. One timer
 * for all tasks and all followers: a follower costs nothing until its task
 * writes.
 *
 * The mark's time is the log's modification time, not "now": every byte in
 * the file was written by then, also the bytes written while the agent was
 * down (they get the time of the last write before it came back).
 */
import { appendFileSync, readFileSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { formatMark, parseMarks, type TimeMark } from './log-lines.js';

/** How often the logs' sizes are looked at: bounds how late a followed line arrives. */
export const LOG_TICK_MS = 200;

export type GrowthListener = (taskId: string, size: number, timeMs: number) => void;

export class LogTimes {
  /** The offset of each task's last mark (what followers have been told about). */
  private readonly marked = new Map<string, number>();
  private readonly listeners = new Set<GrowthListener>();
  private timer: NodeJS.Timeout | null = null;

  constructor(
    /** Where a task's log is (the executor's logPath). */
    readonly logPath: (taskId: string) => string,
    /** The tasks whose logs may grow: the agent's assignments. */
    private readonly taskIds: () => Iterable<string>,
    private readonly tickMs = LOG_TICK_MS,
  ) {}

  start(): void {
    if (this.timer) return;
    this.timer = setInterval(() => this.tick(), this.tickMs);
  }

  close(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    this.listeners.clear();
  }

  onGrowth(listener: GrowthListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** The marks recorded for a task's log so far (empty if none). */
  marks(taskId: string): TimeMark[] {
    try {
      return parseMarks(readFileSync(this.timesPath(taskId), 'utf8'));
    } catch {
      return [];
    }
  }

  /** Looks at every held task's log once (also called before reading a log, so its marks are current). */
  tick(): void {
    const seen = new Set<string>();
    for (const id of this.taskIds()) {
      seen.add(id);
      this.check(id);
    }
    // A task the agent no longer holds writes no more (its process was stopped).
    for (const id of this.marked.keys()) if (!seen.has(id)) this.marked.delete(id);
  }

  /** Marks one task's log if it grew; returns its size (0 if it does not exist). */
  check(taskId: string): number {
    let size: number;
    let mtimeMs: number;
    try {
      const st = statSync(this.logPath(taskId));
      size = st.size;
      mtimeMs = Math.floor(st.mtimeMs);
    } catch {
      return 0; // not started yet, or its directory is gone
    }
    let last = this.marked.get(taskId);
    if (last === undefined) {
      last = this.marks(taskId).at(-1)?.offset ?? 0;
      this.marked.set(taskId, last);
    }
    if (size <= last) return size;
    const timeMs = Math.min(mtimeMs, Date.now());
    try {
      appendFileSync(this.timesPath(taskId), formatMark({ offset: size, timeMs }));
    } catch {
      // The task's directory went away between the stat and now: nothing to mark.
      return size;
    }
    this.marked.set(taskId, size);
    for (const l of this.listeners) l(taskId, size, timeMs);
    return size;
  }

  private timesPath(taskId: string): string {
    return join(dirname(this.logPath(taskId)), 'output.times');
  }
}
