/**
 * Bounds of the Raft transport, and the gRPC options derived from them. By
 * design no Raft message is large: appends are capped by the core's
 * maxSizePerMsgBytes (1 MiB) and snapshot chunks by snapshotChunkBytes
 * (1 MiB), so the gRPC limits below hold with a wide margin.
 */
import type * as grpc from '@grpc/grpc-js';

export interface TransportLimits {
  /** Messages waiting per peer lane before new ones are dropped. */
  readonly queueMessagesMax: number;
  /** Bytes (estimated) waiting per peer lane before new messages are dropped. */
  readonly queueBytesMax: number;
  /** Messages in one RaftBatch. */
  readonly batchMessagesMax: number;
  /** Bytes (estimated) in one RaftBatch; a single larger message travels alone. */
  readonly batchBytesMax: number;
  /** Largest single Raft message accepted for sending; larger is a bug in the caller's limits. */
  readonly messageBytesMax: number;
  /** Reconnect delay after the first failure. */
  readonly backoffMsMin: number;
  /** Reconnect delay cap. */
  readonly backoffMsMax: number;
  /** A stream whose peer has not answered with headers within this time counts as failed. */
  readonly connectTimeoutMs: number;
}

export const DEFAULT_TRANSPORT_LIMITS: TransportLimits = Object.freeze({
  queueMessagesMax: 4096,
  queueBytesMax: 64 * 1024 * 1024,
  batchMessagesMax: 512,
  batchBytesMax: 4 * 1024 * 1024,
  messageBytesMax: 16 * 1024 * 1024,
  backoffMsMin: 100,
  backoffMsMax: 5000,
  connectTimeoutMs: 5000,
});

/** Room for protobuf framing on top of the estimated payload. */
const frameSlackBytes = 64 * 1024;

/** The largest gRPC message a Raft stream carries: one batch. */
export function grpcMessageBytesMax(limits: TransportLimits): number {
  return Math.max(limits.batchBytesMax, limits.messageBytesMax) + frameSlackBytes;
}

/**
 * Options for the manager's grpc.Server so that it accepts Raft batches.
 * (The server default of 4 MiB would refuse a batch with a large append.)
 */
export function raftServerOptions(limits: TransportLimits = DEFAULT_TRANSPORT_LIMITS): grpc.ServerOptions {
  const bytes = grpcMessageBytesMax(limits);
  return { 'grpc.max_receive_message_length': bytes, 'grpc.max_send_message_length': bytes };
}

/** Options for a channel to one peer lane. */
export function raftChannelOptions(limits: TransportLimits): grpc.ChannelOptions {
  const bytes = grpcMessageBytesMax(limits);
  return {
    'grpc.max_receive_message_length': bytes,
    'grpc.max_send_message_length': bytes,
    // Each lane owns its connection: the snapshot lane must not share (and
    // so queue behind) the TCP connection of the heartbeat lane, and a
    // reconnect must really dial afresh instead of waiting on a shared
    // subchannel's own (much longer) backoff.
    'grpc.use_local_subchannel_pool': 1,
    // Detect a peer that vanished without closing the connection.
    'grpc.keepalive_time_ms': 10_000,
    'grpc.keepalive_timeout_ms': 5_000,
  };
}
