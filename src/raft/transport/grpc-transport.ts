/**
 * The Raft transport over gRPC: sends the core's messages to peers and
 * delivers peers' messages to the core.
 *
 * Sending: each peer has two lanes (see peer-lane.ts), one for snapshot
 * chunks and one for everything else, each a long-lived client stream of
 * batches fed from a bounded queue. A peer that cannot keep up or cannot be
 * reached loses messages (Raft retries) and is reported through onUnreachable
 * so that the leader falls back to probing it.
 *
 * Receiving: handlers() is the server side of Raft.Stream, which the manager
 * registers on its grpc.Server next to its own Join/Leave/ListMembers. A
 * batch is decoded completely before any of it reaches onMessages; a
 * malformed batch ends that stream with INVALID_ARGUMENT and is dropped whole.
 *
 * Callbacks (onMessages, onUnreachable) never run inside send(): the core's
 * driving loop is not re-entered.
 */
import * as grpc from '@grpc/grpc-js';
import type { RaftBatch__Output } from '../../generated/shoal/v1/RaftBatch.js';
import type { RaftHandlers } from '../../generated/shoal/v1/Raft.js';
import type { RaftStreamSummary } from '../../generated/shoal/v1/RaftStreamSummary.js';
import { loadProtos } from '../../proto/load.js';
import { NONE, type Message, type NodeId } from '../core/types.js';
import { CodecError, decodeMessage, estimateMessageBytes } from './codec.js';
import type { TransportSecurity } from './credentials.js';
import { DEFAULT_TRANSPORT_LIMITS, type TransportLimits } from './limits.js';
import { PeerLane, type PeerLaneStats } from './peer-lane.js';
import { tracer, type TraceFn } from './trace.js';

export interface GrpcRaftTransportOptions extends Partial<TransportLimits> {
  readonly selfId: NodeId;
  readonly security: TransportSecurity;
  /** Messages from peers, in the order each peer sent them. Runs on the event loop, never inside send(). */
  onMessages(batch: Message[]): void;
  /** `peer` could not be reached (or could not keep up); the core should call reportUnreachable(peer). */
  onUnreachable(peer: NodeId): void;
  /**
   * An incoming stream that carried messages from `peer` broke: cancelled or
   * failed by the other side or the connection (a killed process closes its
   * connections at once), not ended by us. Never a timeout: a paused peer
   * keeps its connections. The shell passes it to the core (reportLeaderLost).
   */
  readonly onPeerStreamBroken?: (peer: NodeId) => void;
  /** Randomness for backoff jitter; default Math.random. Tests pass a seeded source. */
  readonly random?: () => number;
  /**
   * Whether to accept messages from `from`: null to accept, else the reason for refusing (the
   * stream ends with PERMISSION_DENIED and that reason). A manager refuses members it removed.
   */
  readonly admit?: (from: NodeId) => string | null;
  /**
   * Whether the stream's peer (the subject of its verified TLS certificate, or null without one)
   * may send as member `from`: null to accept, else the reason (PERMISSION_DENIED). Asked once per
   * sender ID per stream. Unset on plaintext transports, which have no identity to check.
   */
  readonly authenticate?: (from: NodeId, peer: PeerSubject | null) => string | null;
}

/** The subject of a stream peer's verified certificate. */
export interface PeerSubject {
  readonly CN?: string;
  readonly OU?: string;
  readonly O?: string;
}

export interface PeerStats {
  readonly addr: string;
  readonly main: PeerLaneStats;
  readonly snapshot: PeerLaneStats;
}

interface Peer {
  readonly addr: string;
  readonly main: PeerLane;
  readonly snapshot: PeerLane;
}

/** The server side of one incoming stream, so that close() can end it. */
interface IncomingStream {
  finish(error: Partial<grpc.StatusObject> | null): void;
}

export type RaftStreamHandlers = Pick<RaftHandlers, 'Stream'>;

export class GrpcRaftTransport {
  private readonly opts: GrpcRaftTransportOptions;
  private readonly limits: TransportLimits;
  private readonly peers = new Map<NodeId, Peer>();
  private readonly incoming = new Set<IncomingStream>();
  private readonly trace: TraceFn = tracer('transport');
  private readonly random: () => number;
  private closed = false;

  constructor(opts: GrpcRaftTransportOptions) {
    if (!(Number.isSafeInteger(opts.selfId) && opts.selfId > 0)) throw new Error(`selfId must be a positive integer, got ${opts.selfId}`);
    this.opts = opts;
    this.limits = resolveLimits(opts);
    this.random = opts.random ?? Math.random;
  }

  /** Sets (or changes) the address of `id`. A changed address restarts the peer's lanes; queued messages are dropped. */
  setPeer(id: NodeId, addr: string): void {
    this.assertOpen();
    if (!(Number.isSafeInteger(id) && id > 0 && id !== this.opts.selfId)) throw new Error(`invalid peer id ${id}`);
    if (addr.length === 0) throw new Error(`empty address for peer ${id}`);
    const existing = this.peers.get(id);
    if (existing?.addr === addr) return;
    this.removePeer(id);
    this.peers.set(id, { addr, main: this.makeLane(id, addr, 'main'), snapshot: this.makeLane(id, addr, 'snapshot') });
    this.trace(`peer ${id} set to ${addr}`);
  }

  /** Forgets `id`: its streams end and its queued messages are dropped. Unknown ids are ignored. */
  removePeer(id: NodeId): void {
    const peer = this.peers.get(id);
    if (peer === undefined) return;
    this.peers.delete(id);
    peer.main.close();
    peer.snapshot.close();
    this.trace(`peer ${id} removed`);
  }

  /**
   * Queues messages for their peers; they leave on a later turn of the event
   * loop. Never blocks and never throws for network reasons: a message to an
   * unknown or overloaded peer is dropped and the peer reported unreachable.
   */
  send(messages: readonly Message[]): void {
    this.assertOpen();
    let unknown: Set<NodeId> | null = null;
    for (const m of messages) {
      if (m.from !== this.opts.selfId || m.to === NONE || m.to === this.opts.selfId) {
        throw new Error(`message ${m.type} from ${m.from} to ${m.to} cannot be sent by node ${this.opts.selfId}`);
      }
      const bytes = estimateMessageBytes(m);
      if (bytes > this.limits.messageBytesMax) {
        // The core's maxSizePerMsgBytes/snapshotChunkBytes must stay below the transport's limit.
        throw new Error(`message ${m.type} to ${m.to} is ~${bytes} bytes, over messageBytesMax ${this.limits.messageBytesMax}`);
      }
      const peer = this.peers.get(m.to);
      if (peer === undefined) {
        (unknown ??= new Set()).add(m.to);
        continue;
      }
      (m.type === 'snapshot' ? peer.snapshot : peer.main).enqueue(m, bytes);
    }
    for (const id of unknown ?? []) {
      this.trace(`dropping messages to peer ${id}: no address known`);
      this.reportUnreachable(id);
    }
  }

  /** Writes every peer's queued messages now instead of on the next turn (see PeerLane.flushNow). */
  flushNow(): void {
    for (const peer of this.peers.values()) peer.main.flushNow();
  }

  /** Per-peer counters, for tests, metrics and `shoal info`. */
  stats(id: NodeId): PeerStats | null {
    const peer = this.peers.get(id);
    return peer === undefined ? null : { addr: peer.addr, main: peer.main.stats(), snapshot: peer.snapshot.stats() };
  }

  /** The server side of Raft.Stream, to register on the manager's grpc.Server. */
  handlers(): RaftStreamHandlers {
    return { Stream: (call, callback) => this.receive(call, callback) };
  }

  /** Ends every stream in both directions and drops all queues. Idempotent. */
  close(): Promise<void> {
    if (!this.closed) {
      this.closed = true;
      for (const id of [...this.peers.keys()]) this.removePeer(id);
      for (const s of [...this.incoming]) s.finish({ code: grpc.status.UNAVAILABLE, details: 'raft transport is shutting down' });
      this.trace('closed');
    }
    // Let the cancellations just issued reach their callbacks before the caller tears down servers.
    return new Promise((resolve) => setImmediate(resolve));
  }

  private receive(
    call: grpc.ServerReadableStream<RaftBatch__Output, RaftStreamSummary>,
    callback: grpc.sendUnaryData<RaftStreamSummary>,
  ): void {
    let received = 0;
    let finished = false;
    // Who sent on this stream (normally one peer), to name in onPeerStreamBroken.
    const senders = new Set<NodeId>();
    let lastSender: NodeId = NONE;
    // Our senders never end a stream (they cancel it to reconnect or to stop), so an end is the
    // connection closing under it, as when the sending process is killed; a cancel is its
    // transport stopping or giving up on the stream; an error is a reset.
    const broken = (why: string): void => {
      if (finished || this.closed) return; // we ended it ourselves (a refusal, or close())
      for (const peer of senders) {
        this.trace(`incoming stream from peer ${peer} broke: ${why}`);
        this.reportStreamBroken(peer);
      }
    };
    // Sender IDs this stream's certificate was found to speak for.
    const authenticated = new Set<NodeId>();
    const subject = (): PeerSubject | null => (call.getAuthContext().sslPeerCertificate?.subject as PeerSubject | undefined) ?? null;
    const stream: IncomingStream = {
      finish: (error) => {
        if (finished) return;
        finished = true;
        this.incoming.delete(stream);
        if (error === null) callback(null, { messagesReceived: received });
        else callback(error);
      },
    };
    call.on('error', (err: Error) => {
      this.trace(`incoming stream from ${call.getPeer()} failed: ${err.message}`);
      broken(err.message);
      finished = true;
      this.incoming.delete(stream);
    });
    call.on('cancelled', () => {
      broken('cancelled');
      finished = true;
      this.incoming.delete(stream);
    });
    if (this.closed) {
      stream.finish({ code: grpc.status.UNAVAILABLE, details: 'raft transport is shutting down' });
      return;
    }
    this.incoming.add(stream);
    call.sendMetadata(new grpc.Metadata()); // the handshake the sender waits for
    call.on('data', (batch: RaftBatch__Output) => {
      if (finished) return;
      const decoded = this.decodeBatch(batch);
      if (decoded instanceof CodecError) {
        this.trace(`refusing batch from ${call.getPeer()}: ${decoded.message}`);
        stream.finish({ code: grpc.status.INVALID_ARGUMENT, details: `malformed Raft batch: ${decoded.message}` });
        return;
      }
      const refusal = this.refusalFor(decoded, authenticated, subject);
      if (refusal !== null) {
        this.trace(`refusing batch from ${call.getPeer()}: ${refusal}`);
        stream.finish({ code: grpc.status.PERMISSION_DENIED, details: refusal });
        return;
      }
      received += decoded.length;
      for (const m of decoded) {
        if (m.from !== lastSender) senders.add((lastSender = m.from));
      }
      if (decoded.length > 0) this.opts.onMessages(decoded);
    });
    call.on('end', () => {
      broken('ended by the peer');
      stream.finish(null);
    });
  }

  private refusalFor(messages: readonly Message[], authenticated: Set<NodeId>, subject: () => PeerSubject | null): string | null {
    const { admit, authenticate } = this.opts;
    for (const m of messages) {
      if (authenticate !== undefined && !authenticated.has(m.from)) {
        const refusal = authenticate(m.from, subject());
        if (refusal !== null) return refusal;
        authenticated.add(m.from);
      }
      const refusal = admit?.(m.from) ?? null;
      if (refusal !== null) return refusal;
    }
    return null;
  }

  /** All messages of the batch, or the first reason it is malformed. */
  private decodeBatch(batch: RaftBatch__Output): Message[] | CodecError {
    try {
      return batch.messages.map((w, i) => {
        const m = decodeMessage(w);
        if (m.to !== this.opts.selfId || m.from === this.opts.selfId) {
          throw new CodecError(`messages[${i}] is from ${m.from} to ${m.to}, but this is node ${this.opts.selfId}`);
        }
        return m;
      });
    } catch (err) {
      if (err instanceof CodecError) return err;
      throw err;
    }
  }

  private makeLane(peer: NodeId, addr: string, lane: string): PeerLane {
    return new PeerLane({
      peer,
      addr,
      lane,
      limits: this.limits,
      security: this.opts.security,
      clientConstructor: loadProtos().grpcObject.shoal.v1.Raft,
      onUnreachable: () => this.reportUnreachable(peer),
      random: this.random,
      trace: this.trace,
    });
  }

  private reportStreamBroken(peer: NodeId): void {
    const report = this.opts.onPeerStreamBroken;
    if (report === undefined) return;
    // Deferred like reportUnreachable: never inside the caller's turn of the Raft loop.
    setImmediate(() => {
      if (!this.closed) report(peer);
    });
  }

  private reportUnreachable(peer: NodeId): void {
    // Deferred: the caller may be inside send(), i.e. inside the Raft loop.
    setImmediate(() => {
      if (!this.closed) this.opts.onUnreachable(peer);
    });
  }

  private assertOpen(): void {
    if (this.closed) throw new Error('raft transport used after close()');
  }
}

function resolveLimits(opts: Partial<TransportLimits>): TransportLimits {
  const limits: TransportLimits = {
    queueMessagesMax: opts.queueMessagesMax ?? DEFAULT_TRANSPORT_LIMITS.queueMessagesMax,
    queueBytesMax: opts.queueBytesMax ?? DEFAULT_TRANSPORT_LIMITS.queueBytesMax,
    batchMessagesMax: opts.batchMessagesMax ?? DEFAULT_TRANSPORT_LIMITS.batchMessagesMax,
    batchBytesMax: opts.batchBytesMax ?? DEFAULT_TRANSPORT_LIMITS.batchBytesMax,
    messageBytesMax: opts.messageBytesMax ?? DEFAULT_TRANSPORT_LIMITS.messageBytesMax,
    backoffMsMin: opts.backoffMsMin ?? DEFAULT_TRANSPORT_LIMITS.backoffMsMin,
    backoffMsMax: opts.backoffMsMax ?? DEFAULT_TRANSPORT_LIMITS.backoffMsMax,
    connectTimeoutMs: opts.connectTimeoutMs ?? DEFAULT_TRANSPORT_LIMITS.connectTimeoutMs,
  };
  for (const [name, value] of Object.entries(limits)) {
    if (!(Number.isSafeInteger(value) && value > 0)) throw new Error(`transport limit ${name} must be a positive integer, got ${String(value)}`);
  }
  if (limits.backoffMsMin > limits.backoffMsMax) throw new Error(`backoffMsMin ${limits.backoffMsMin} > backoffMsMax ${limits.backoffMsMax}`);
  return limits;
}
