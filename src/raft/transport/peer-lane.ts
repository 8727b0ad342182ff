/**
 * One lane to one peer: a bounded queue of outgoing Raft messages and the one
 * long-lived gRPC stream that drains it in batches, reconnecting with backoff
 * when the stream fails. A peer has two lanes (heartbeats/appends and
 * snapshot chunks), so a large chunk never waits in front of a heartbeat.
 *
 * Loss is allowed (Raft retries), reordering is not: messages leave in the
 * order they were queued, and a message is never sent twice. Messages that
 * were handed to a stream that then failed are lost, not re-sent.
 */
import * as grpc from '@grpc/grpc-js';
import type { RaftBatch } from '../../generated/shoal/v1/RaftBatch.js';
import type { RaftClient } from '../../generated/shoal/v1/Raft.js';
import type { ShoalProtoGrpcType } from '../../proto/load.js';
import type { Message, NodeId } from '../core/types.js';
import { backoffDelayMs } from './backoff.js';
import { encodeMessage } from './codec.js';
import type { TransportSecurity } from './credentials.js';
import { raftChannelOptions, type TransportLimits } from './limits.js';
import type { TraceFn } from './trace.js';

export type RaftClientConstructor = ShoalProtoGrpcType['shoal']['v1']['Raft'];

export interface PeerLaneOptions {
  readonly peer: NodeId;
  readonly addr: string;
  /** For traces only: "main" or "snapshot". */
  readonly lane: string;
  readonly limits: TransportLimits;
  readonly security: TransportSecurity;
  readonly clientConstructor: RaftClientConstructor;
  /** Called (at most once per outage or overflow episode) when the peer cannot be reached. */
  readonly onUnreachable: () => void;
  readonly random: () => number;
  readonly trace: TraceFn;
}

export interface PeerLaneStats {
  readonly queuedMessages: number;
  readonly queuedBytes: number;
  /** Messages handed to a stream (not necessarily delivered). */
  readonly sentMessages: number;
  /** Messages refused because the queue was full. */
  readonly droppedMessages: number;
  /** Streams opened so far (1 + reconnects). */
  readonly streamsOpened: number;
  /** True while a stream is open and the peer has answered it. */
  readonly established: boolean;
}

interface QueuedMessage {
  readonly message: Message;
  readonly bytes: number;
}

export class PeerLane {
  private readonly opts: PeerLaneOptions;
  // Invariant: queueBytes is the sum of queue[i].bytes; queue.length <= queueMessagesMax.
  private queue: QueuedMessage[] = [];
  private queueBytes = 0;
  private client: RaftClient | null = null;
  // Invariant: call !== null implies client !== null.
  private call: grpc.ClientWritableStream<RaftBatch> | null = null;
  /** The peer answered the current stream with headers. */
  private established = false;
  /** False while the stream's buffer is full; 'drain' sets it again. */
  private writable = true;
  private flushImmediate: NodeJS.Immediate | null = null;
  private backoffTimer: NodeJS.Timeout | null = null;
  private connectTimer: NodeJS.Timeout | null = null;
  /** Consecutive streams that failed before the peer answered. */
  private failures = 0;
  private unreachableReported = false;
  private closed = false;
  private sentMessages = 0;
  private droppedMessages = 0;
  private streamsOpened = 0;

  constructor(opts: PeerLaneOptions) {
    this.opts = opts;
  }

  /** Queues `message` (estimated at `bytes`); returns false if it was dropped because the queue is full. */
  enqueue(message: Message, bytes: number): boolean {
    if (this.closed) throw new Error(`peer lane ${this.opts.peer}/${this.opts.lane} used after close`);
    const { queueMessagesMax, queueBytesMax } = this.opts.limits;
    const full = this.queue.length >= queueMessagesMax || (this.queue.length > 0 && this.queueBytes + bytes > queueBytesMax);
    if (full) {
      this.droppedMessages++;
      this.reportUnreachable(`queue full (${this.queue.length} messages, ${this.queueBytes} bytes)`);
      return false;
    }
    this.queue.push({ message, bytes });
    this.queueBytes += bytes;
    this.scheduleFlush();
    return true;
  }

  stats(): PeerLaneStats {
    return {
      queuedMessages: this.queue.length,
      queuedBytes: this.queueBytes,
      sentMessages: this.sentMessages,
      droppedMessages: this.droppedMessages,
      streamsOpened: this.streamsOpened,
      established: this.established,
    };
  }

  /** Ends the stream, drops the queue and cancels timers. The lane cannot be used again. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    if (this.flushImmediate !== null) clearImmediate(this.flushImmediate);
    if (this.backoffTimer !== null) clearTimeout(this.backoffTimer);
    this.flushImmediate = null;
    this.backoffTimer = null;
    this.queue = [];
    this.queueBytes = 0;
    this.endStream('closed');
  }

  /**
   * Writes what is queued now rather than on the next turn (the node shell calls it when it
   * sends before a blocking fsync, so the bytes are on their way while the leader syncs).
   */
  flushNow(): void {
    if (this.flushImmediate === null) return;
    clearImmediate(this.flushImmediate);
    this.flushImmediate = null;
    this.flush();
  }

  private scheduleFlush(): void {
    // Flushing on a later turn batches everything the caller sends in this one.
    if (this.flushImmediate !== null || this.backoffTimer !== null || this.closed) return;
    this.flushImmediate = setImmediate(() => {
      this.flushImmediate = null;
      this.flush();
    });
  }

  private flush(): void {
    if (this.closed || this.queue.length === 0 || this.backoffTimer !== null) return;
    if (this.call === null) this.openStream();
    // Each turn removes at least one message, so the loop runs at most queue.length times.
    while (this.queue.length > 0 && this.writable && this.call !== null) {
      const batch = this.takeBatch();
      this.sentMessages += batch.length;
      this.writable = this.call.write({ messages: batch.map(encodeMessage) });
    }
    if (this.queue.length === 0 && this.established) this.unreachableReported = false;
  }

  /** Removes and returns the longest prefix of the queue within the batch bounds (never empty). */
  private takeBatch(): Message[] {
    const { batchMessagesMax, batchBytesMax } = this.opts.limits;
    let count = 0;
    let bytes = 0;
    while (count < this.queue.length && count < batchMessagesMax) {
      const next = this.queue[count]!.bytes;
      if (count > 0 && bytes + next > batchBytesMax) break;
      bytes += next;
      count++;
    }
    if (count === 0) throw new Error('takeBatch on an empty queue');
    const taken = this.queue.splice(0, count);
    this.queueBytes -= bytes;
    return taken.map((q) => q.message);
  }

  private openStream(): void {
    const { addr, clientConstructor, security, limits } = this.opts;
    const client = new clientConstructor(addr, security.channelCredentials(), raftChannelOptions(limits));
    const call = client.Stream((err) => this.onStreamEnd(call, err));
    this.client = client;
    this.call = call;
    this.established = false;
    this.writable = true;
    this.streamsOpened++;
    this.opts.trace(`peer ${this.opts.peer}/${this.opts.lane} opening stream #${this.streamsOpened} to ${addr}`);
    // The receiver sends headers as soon as it accepts the stream: that is our handshake.
    call.on('metadata', () => {
      if (this.call !== call) return;
      this.clearConnectTimer();
      this.established = true;
      this.failures = 0;
      this.unreachableReported = false;
      this.opts.trace(`peer ${this.opts.peer}/${this.opts.lane} stream established`);
    });
    call.on('drain', () => {
      if (this.call !== call) return;
      this.writable = true;
      this.scheduleFlush();
    });
    // Errors also reach the callback; this listener exists so that an error
    // event never goes unhandled (which would crash the process).
    call.on('error', (err: Error) => this.opts.trace(`peer ${this.opts.peer}/${this.opts.lane} stream error: ${err.message}`));
    this.connectTimer = setTimeout(() => {
      this.connectTimer = null;
      if (this.call !== call || this.established) return;
      this.opts.trace(`peer ${this.opts.peer}/${this.opts.lane} did not answer within ${limits.connectTimeoutMs} ms`);
      call.cancel(); // reported as CANCELLED through onStreamEnd, which backs off
    }, limits.connectTimeoutMs);
  }

  private onStreamEnd(call: grpc.ClientWritableStream<RaftBatch>, err: grpc.ServiceError | null): void {
    if (this.call !== call) return; // a stream we already abandoned
    const why = err === null ? 'ended by peer' : `${grpc.status[err.code]}: ${err.details}`;
    this.endStream(why);
    if (this.closed) return;
    this.failures++;
    this.reportUnreachable(`stream failed (${why})`);
    const delayMs = backoffDelayMs(this.opts.limits, this.failures, this.opts.random);
    this.opts.trace(`peer ${this.opts.peer}/${this.opts.lane} reconnecting in ${delayMs} ms (failure ${this.failures})`);
    this.backoffTimer = setTimeout(() => {
      this.backoffTimer = null;
      this.scheduleFlush();
    }, delayMs);
  }

  /** Forgets the current stream and its client (cancelling the call if still open). */
  private endStream(why: string): void {
    this.clearConnectTimer();
    const call = this.call;
    const client = this.client;
    this.call = null;
    this.client = null;
    this.established = false;
    this.writable = true;
    if (call !== null) {
      this.opts.trace(`peer ${this.opts.peer}/${this.opts.lane} stream closed: ${why}`);
      call.cancel();
    }
    client?.close();
  }

  private clearConnectTimer(): void {
    if (this.connectTimer !== null) clearTimeout(this.connectTimer);
    this.connectTimer = null;
  }

  private reportUnreachable(why: string): void {
    if (this.unreachableReported || this.closed) return;
    this.unreachableReported = true;
    this.opts.trace(`peer ${this.opts.peer}/${this.opts.lane} unreachable: ${why}`);
    this.opts.onUnreachable();
  }
}
