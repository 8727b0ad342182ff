/**
 * `shoal service logs` and `shoal container logs`: the output of tasks and
 * containers wherever they ran, through Logs.SubscribeLogs on a manager
 * (docs/design/logs.md). Lines go to stdout; warnings (a node that is down,
 * a node that stopped sending) go to stderr, each naming the node.
 */
import type { Argv } from 'yargs';
import type * as grpc from '@grpc/grpc-js';
import { ShoalError } from '../../src/errors.js';
import type { LogOptions } from '../../src/generated/shoal/v1/LogOptions.js';
import type { LogSource__Output } from '../../src/generated/shoal/v1/LogSource.js';
import type { SubscribeLogsMessage__Output } from '../../src/generated/shoal/v1/SubscribeLogsMessage.js';
import type { SubscribeLogsRequest } from '../../src/generated/shoal/v1/SubscribeLogsRequest.js';
import { loadProtos } from '../../src/proto/load.js';
import { classifyCallError } from '../call-errors.js';
import { parseDuration } from '../parse.js';
import { CLIENT_CHANNEL_OPTIONS, clientCredentials } from '../tls.js';

export interface LogFlags {
  readonly follow: boolean;
  readonly tail: string;
  readonly since?: string | undefined;
  readonly timestamps: boolean;
}

/** The flags both commands take (docker's names). */
export function withLogFlags<T>(y: Argv<T>): Argv<T & LogFlags> {
  return y
    .option('follow', { alias: 'f', type: 'boolean', default: false, describe: 'Keep printing new output until interrupted' })
    .option('tail', { type: 'string', default: 'all', describe: 'Only the last N lines of each task (before following)' })
    .option('since', { type: 'string', describe: 'Only lines written since a time (2026-12-07T10:00:00Z, or unix seconds) or for a duration (10m, 1h30m)' })
    .option('timestamps', { alias: 't', type: 'boolean', default: false, describe: 'Show when each line was written' });
}

/** `--tail`: "all" or a whole number of lines. */
export function parseTail(text: string): number | undefined {
  const t = text.trim();
  if (t === 'all') return undefined;
  const n = Number(t);
  if (t === '' || !Number.isSafeInteger(n) || n < 0) throw new ShoalError('INVALID_ARGUMENT', `--tail "${text}" must be "all" or a whole number of lines, 0 or more`);
  return n;
}

/** `--since`: a duration back from `nowMs`, an RFC 3339 time, or unix seconds; ms since the epoch. */
export function parseSince(text: string, nowMs: number): number {
  const t = text.trim();
  if (/^\d+(\.\d+)?$/.test(t)) return Math.round(Number(t) * 1000);
  if (/^(\d+(\.\d+)?(ms|s|m|h))+$/.test(t)) return nowMs - parseDuration(t, '--since');
  const ms = /^\d{4}-\d{2}-\d{2}/.test(t) ? Date.parse(t) : NaN;
  if (!Number.isFinite(ms)) throw new ShoalError('INVALID_ARGUMENT', `--since "${text}" is not a time or a duration: use e.g. 10m, 1h30m, 2026-12-07T10:00:00Z or unix seconds`);
  return ms;
}

export function logOptions(flags: LogFlags, nowMs: number): LogOptions {
  const tail = parseTail(flags.tail);
  return {
    follow: flags.follow,
    hasTail: tail !== undefined,
    tail: tail ?? 0,
    sinceUnixMs: flags.since === undefined ? 0 : Math.max(0, parseSince(flags.since, nowMs)),
  };
}

/** "web.1.abcdef012345@node2 | " (docker's task/node prefix). */
export function sourcePrefix(s: LogSource__Output): string {
  return `${s.taskName}.${s.taskId.slice(0, 12)}@${s.nodeName} | `;
}

/** One output line as printed: [time ][prefix]data. */
export function formatLine(data: Buffer, timeMs: number, prefix: string, timestamps: boolean): Buffer {
  const head = `${timestamps ? `${new Date(timeMs).toISOString()} ` : ''}${prefix}`;
  return Buffer.concat([Buffer.from(head), data, Buffer.from('\n')]);
}

/**
 * Streams the selected output to stdout (warnings to stderr) until the manager ends the stream
 * (or, following, until interrupted). `prefix`: print each task's prefix (services).
 */
export function printLogs(target: string, request: SubscribeLogsRequest, opts: { prefix: boolean; timestamps: boolean }): Promise<void> {
  const client = new (loadProtos().grpcObject.shoal.v1.Logs)(target, clientCredentials(target), CLIENT_CHANNEL_OPTIONS);
  return new Promise<void>((resolve, reject) => {
    const stream = client.SubscribeLogs(request);
    const stop = (): void => {
      stream.cancel();
      client.close();
      resolve();
    };
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
    const done = (e?: ShoalError): void => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      client.close();
      if (e) reject(e);
      else resolve();
    };
    stream.on('data', (msg: SubscribeLogsMessage__Output) => {
      if (msg.warning !== '') process.stderr.write(`warning: ${msg.warning}\n`);
      if (msg.lines.length === 0) return;
      const prefix = opts.prefix && msg.source ? sourcePrefix(msg.source) : '';
      const out = msg.lines.map((l) => formatLine(l.data, Number(l.timeUnixMs), prefix, opts.timestamps));
      if (!process.stdout.write(Buffer.concat(out))) {
        stream.pause();
        process.stdout.once('drain', () => stream.resume());
      }
    });
    stream.on('end', () => done());
    stream.on('error', (e: grpc.ServiceError) => done(classifyCallError(target, e).error));
  });
}
