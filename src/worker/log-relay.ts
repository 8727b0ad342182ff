/**
 * The node's side of `service logs` / `container logs` (docs/design/logs.md):
 * for as long as the agent holds a session, it listens for log subscriptions
 * (Logs.ListenLogSubscriptions on the session's manager) and answers each with
 * one Logs.PublishLogs call that carries the selected lines of the named
 * tasks' logs: first what is in the files (after --since, the last --tail
 * lines), then, when following, each new line as LogTimes sees it.
 *
 * Logs are optional to a session: if the listen stream fails (an older
 * manager, a leader change) the session goes on and the relay listens again.
 */
import * as grpc from '@grpc/grpc-js';
import { once } from 'node:events';
import { open, stat, type FileHandle } from 'node:fs/promises';
import type { DispatcherClient } from '../generated/shoal/v1/Dispatcher.js';
import type { LogsClient } from '../generated/shoal/v1/Logs.js';
import type { LogOptions__Output } from '../generated/shoal/v1/LogOptions.js';
import type { LogSubscription__Output } from '../generated/shoal/v1/LogSubscription.js';
import type { PublishLogsRequest } from '../generated/shoal/v1/PublishLogsRequest.js';
import { loadProtos } from '../proto/load.js';
import { fromServiceError } from '../node/grpc-util.js';
import type { Logger } from '../node/logger.js';
import { frameLines, keepSince, LINE_BYTES_MAX, LineSplitter, offsetBefore, tailStartIn, timeAt, type RawLine, type TimedLine } from './log-lines.js';
import type { LogTimes } from './log-times.js';

/** How long to wait before listening again after the stream failed; longer if the manager has no Logs service. */
const RELISTEN_MS = 1_000;
const RELISTEN_UNIMPLEMENTED_MS = 30_000;
/** Bytes read from a log per step. */
const READ_BLOCK = 256 * 1024;
/** Subscriptions one node serves at once (each holds an open call and, following, a listener). */
const SUBSCRIPTIONS_MAX = 256;

interface Active {
  readonly stop: () => void;
  /** Following a service: the leader names tasks that started after the subscription did. */
  readonly add: (taskIds: readonly string[]) => void;
}

export class LogRelay {
  private readonly active = new Map<string, Active>();
  private readonly logsClients = new WeakMap<DispatcherClient, LogsClient>();

  constructor(
    private readonly times: LogTimes,
    private readonly log: Logger,
  ) {}

  /**
   * Listens for the session `sessionId` on `dispatcher`'s channel until cancel() (the session
   * ended); then every subscription it started stops too.
   */
  listen(dispatcher: DispatcherClient, sessionId: string): { cancel(): void } {
    const logs = this.logsClient(dispatcher);
    const mine = new Set<string>();
    let call: grpc.ClientReadableStream<LogSubscription__Output> | null = null;
    let retry: NodeJS.Timeout | null = null;
    let cancelled = false;
    const start = (): void => {
      retry = null;
      if (cancelled) return;
      const c = logs.ListenLogSubscriptions({ sessionId });
      call = c;
      let failed = false;
      const again = (e: unknown): void => {
        if (failed || cancelled) return;
        failed = true;
        const err = fromServiceError(e);
        const unimplemented = (e as { code?: unknown }).code === grpc.status.UNIMPLEMENTED;
        this.log.info('log-listen-ended', { error: err.message });
        retry = setTimeout(start, unimplemented ? RELISTEN_UNIMPLEMENTED_MS : RELISTEN_MS);
      };
      c.on('error', again);
      c.on('end', () => again(new Error('the log subscription stream ended')));
      c.on('data', (sub: LogSubscription__Output) => {
        if (sub.cancel) {
          this.active.get(sub.id)?.stop();
          return;
        }
        const running = this.active.get(sub.id);
        if (running) return running.add(sub.taskIds);
        mine.add(sub.id);
        this.serve(logs, sessionId, sub, () => mine.delete(sub.id));
      });
    };
    start();
    return {
      cancel: () => {
        cancelled = true;
        if (retry) clearTimeout(retry);
        call?.cancel();
        for (const id of [...mine]) this.active.get(id)?.stop();
      },
    };
  }

  /** Stops every subscription (the agent is closing). */
  close(): void {
    for (const a of [...this.active.values()]) a.stop();
  }

  /** A Logs client on the dispatcher client's channel: the same connection and credentials. Never closed on its own (that would close the shared channel). */
  private logsClient(dispatcher: DispatcherClient): LogsClient {
    let c = this.logsClients.get(dispatcher);
    if (!c) {
      c = new (loadProtos().grpcObject.shoal.v1.Logs)('unused', grpc.credentials.createInsecure(), { channelOverride: dispatcher.getChannel() });
      this.logsClients.set(dispatcher, c);
    }
    return c;
  }

  private serve(logs: LogsClient, sessionId: string, sub: LogSubscription__Output, done: () => void): void {
    let stopped = false;
    const cleanups: (() => void)[] = [];
    // The leader answers early when the client went away: that, or any failure, stops the subscription.
    const publish = logs.PublishLogs((err) => {
      if (err && err.code !== grpc.status.CANCELLED) this.log.info('log-publish-ended', { subscription: sub.id, error: fromServiceError(err).message });
      stop();
    });
    publish.on('error', () => undefined);
    const stop = (): void => {
      if (stopped) return;
      stopped = true;
      this.active.delete(sub.id);
      for (const c of cleanups) c();
      publish.cancel();
      done();
    };
    if (this.active.size >= SUBSCRIPTIONS_MAX) {
      publish.write({ sessionId, subscriptionId: sub.id, taskId: sub.taskIds[0] ?? '', warning: `this node already serves ${SUBSCRIPTIONS_MAX} log subscriptions; try again later` });
      publish.end();
      return;
    }
    let first = true;
    const send = async (taskId: string, lines: readonly TimedLine[], warning = ''): Promise<void> => {
      const frames = lines.length > 0 ? frameLines(lines) : [[]];
      for (const frame of frames) {
        if (stopped) return;
        const msg: PublishLogsRequest = { sessionId: first ? sessionId : '', subscriptionId: sub.id, taskId, warning, lines: frame.map((l) => ({ timeUnixMs: l.timeMs, data: l.data })) };
        first = false;
        if (!publish.write(msg)) await Promise.race([once(publish, 'drain'), once(publish, 'close')]);
      }
    };
    const options: LogOptions__Output = sub.options ?? { follow: false, hasTail: false, tail: 0, sinceUnixMs: 0 };
    const reader = new SubscriptionReader(this.times, options, send, () => stopped);
    if (options.follow) cleanups.push(this.times.onGrowth((taskId, size, timeMs) => reader.pump(taskId, size, timeMs)));
    const fail = (e: unknown): void => {
      this.log.warn('log-relay-failed', { subscription: sub.id, error: e instanceof Error ? e.message : String(e) });
      stop();
    };
    // Tasks named later started after the subscription did: all their lines are new, so no --tail.
    this.active.set(sub.id, { stop, add: (ids) => void reader.add(ids, false).catch(fail) });
    void reader.add(sub.taskIds, true).then(() => {
      if (!stopped && !options.follow) publish.end();
    }, fail);
  }
}

/**
 * The reading side of one subscription: each task's history once (after --since/--tail), then,
 * following, what its log gains, read from where the history ended, one read at a time per task.
 */
class SubscriptionReader {
  private readonly cursors = new Map<string, { splitter: LineSplitter; chain: Promise<void> }>();
  private readonly known = new Set<string>();
  private histories: Promise<void> = Promise.resolve();

  constructor(
    private readonly times: LogTimes,
    private readonly options: LogOptions__Output,
    private readonly send: (taskId: string, lines: readonly TimedLine[]) => Promise<void>,
    private readonly stopped: () => boolean,
  ) {}

  /** Reads the history of tasks not seen before (one task after the other); following, then follows them. */
  add(taskIds: readonly string[], withTail: boolean): Promise<void> {
    const fresh = taskIds.filter((id) => !this.known.has(id));
    for (const id of fresh) this.known.add(id);
    this.histories = this.histories.then(async () => {
      for (const taskId of fresh) {
        if (this.stopped()) return;
        await this.history(taskId, withTail);
      }
    });
    return this.histories;
  }

  /** New bytes up to `size` in a followed task's log, all with the time of the mark that saw them. */
  pump(taskId: string, size: number, timeMs: number): void {
    const c = this.cursors.get(taskId);
    if (!c) return;
    c.chain = c.chain
      .then(async () => {
        if (this.stopped() || size <= c.splitter.position) return;
        const lines = await readRange(this.times.logPath(taskId), c.splitter.position, size, (chunk) => c.splitter.push(chunk));
        await this.send(taskId, lines.map((l) => ({ timeMs, data: l.data })));
      })
      .catch(() => undefined);
  }

  private async history(taskId: string, withTail: boolean): Promise<void> {
    const sinceMs = Number(this.options.sinceUnixMs);
    const tail = withTail && this.options.hasTail ? Number(this.options.tail) : undefined;
    this.times.check(taskId); // marks bytes written since the last tick, so they get a time now
    const path = this.times.logPath(taskId);
    let size = 0;
    let mtimeMs = Date.now();
    try {
      const st = await stat(path);
      size = st.size;
      mtimeMs = Math.floor(st.mtimeMs);
    } catch {
      // No log yet (the task has not started here): following picks it up when it appears.
    }
    const marks = this.times.marks(taskId);
    const splitter = new LineSplitter(await historyStart(path, size, marks, sinceMs, tail));
    const timed = (lines: readonly RawLine[]): TimedLine[] => keepSince(lines.map((l) => ({ timeMs: timeAt(marks, l.end, mtimeMs), data: l.data })), sinceMs);
    await readRange(path, splitter.position, size, async (chunk) => this.send(taskId, timed(splitter.push(chunk))));
    if (!this.options.follow) {
      await this.send(taskId, timed(splitter.flush()));
      return;
    }
    this.cursors.set(taskId, { splitter, chain: Promise.resolve() });
    // Growth seen while the history was read was not this task's cursor's yet: catch up to now.
    const now = await stat(path).catch(() => null);
    if (now) this.pump(taskId, now.size, Math.min(Date.now(), Math.floor(now.mtimeMs)));
  }
}

/** Where the history of a log starts: after --since's cut and at the last --tail lines (whichever is later), at a line start. */
async function historyStart(path: string, size: number, marks: ReturnType<LogTimes['marks']>, sinceMs: number, tail: number | undefined): Promise<number> {
  if (size === 0) return 0;
  const fh = await open(path, 'r');
  try {
    let start = 0;
    if (sinceMs > 0) start = await lineStartAtOrBefore(fh, Math.min(size, offsetBefore(marks, sinceMs)));
    if (tail !== undefined) start = Math.max(start, await tailStart(fh, size, tail));
    return start;
  } finally {
    await fh.close();
  }
}

/** The start of the line holding the byte at `offset` (for a line longer than LINE_BYTES_MAX, `offset` itself). */
async function lineStartAtOrBefore(fh: FileHandle, offset: number): Promise<number> {
  if (offset === 0) return 0;
  const from = Math.max(0, offset - LINE_BYTES_MAX);
  const buf = Buffer.alloc(offset - from);
  const { bytesRead } = await fh.read(buf, 0, buf.length, from);
  const nl = buf.subarray(0, bytesRead).lastIndexOf(0x0a);
  if (nl >= 0) return from + nl + 1;
  return from === 0 ? 0 : offset;
}

/** The offset where the last `n` lines of the file start, reading backwards block by block. */
async function tailStart(fh: FileHandle, size: number, n: number): Promise<number> {
  let from = size;
  let buf = Buffer.alloc(0);
  while (from > 0) {
    const step = Math.min(READ_BLOCK, from);
    from -= step;
    const block = Buffer.alloc(step);
    await fh.read(block, 0, step, from);
    buf = Buffer.concat([block, buf]);
    const at = tailStartIn(buf, n, from === 0);
    if (at >= 0) return from + at;
  }
  return 0;
}

/** Reads [from, to) of a file in blocks, handing each to `onChunk`; returns what the calls returned, concatenated. */
async function readRange<T>(path: string, from: number, to: number, onChunk: (chunk: Buffer) => T[] | Promise<unknown>): Promise<T[]> {
  const out: T[] = [];
  if (to <= from) return out;
  let fh: FileHandle;
  try {
    fh = await open(path, 'r');
  } catch {
    return out;
  }
  try {
    for (let pos = from; pos < to; ) {
      const buf = Buffer.alloc(Math.min(READ_BLOCK, to - pos));
      const { bytesRead } = await fh.read(buf, 0, buf.length, pos);
      if (bytesRead === 0) break;
      pos += bytesRead;
      const r = await onChunk(buf.subarray(0, bytesRead));
      if (Array.isArray(r)) out.push(...(r as T[]));
    }
  } finally {
    await fh.close();
  }
  return out;
}
