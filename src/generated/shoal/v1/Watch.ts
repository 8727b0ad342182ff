// Original file: proto/shoal/v1/watch.proto

import type * as grpc from '@grpc/grpc-js'
import type { MethodDefinition } from '@grpc/proto-loader'
import type { WatchEvent as _shoal_v1_WatchEvent, WatchEvent__Output as _shoal_v1_WatchEvent__Output } from '../../shoal/v1/WatchEvent.js';
import type { WatchRequest as _shoal_v1_WatchRequest, WatchRequest__Output as _shoal_v1_WatchRequest__Output } from '../../shoal/v1/WatchRequest.js';

/**
 * Change notifications. Served by every manager from its applied state.
 */
export interface WatchClient extends grpc.Client {
  /**
   * Streams every change to objects of the requested kinds, in order.
   * Every change has a cluster-wide sequence number (identical on every
   * manager). With resume_after_sequence > 0 the stream first replays the
   * changes after that sequence, so a client that reconnects (to any manager)
   * with the last sequence it received sees every change exactly once.
   * resume_from_version does the same by Raft index. OUT_OF_RANGE if the
   * changes asked for are no longer retained (re-list, then watch from the
   * listed version). RESOURCE_EXHAUSTED if the client reads too slowly: resume
   * from the last sequence received. Otherwise the stream never ends by itself.
   */
  Watch(argument: _shoal_v1_WatchRequest, metadata: grpc.Metadata, options?: grpc.CallOptions): grpc.ClientReadableStream<_shoal_v1_WatchEvent__Output>;
  Watch(argument: _shoal_v1_WatchRequest, options?: grpc.CallOptions): grpc.ClientReadableStream<_shoal_v1_WatchEvent__Output>;
  /**
   * Streams every change to objects of the requested kinds, in order.
   * Every change has a cluster-wide sequence number (identical on every
   * manager). With resume_after_sequence > 0 the stream first replays the
   * changes after that sequence, so a client that reconnects (to any manager)
   * with the last sequence it received sees every change exactly once.
   * resume_from_version does the same by Raft index. OUT_OF_RANGE if the
   * changes asked for are no longer retained (re-list, then watch from the
   * listed version). RESOURCE_EXHAUSTED if the client reads too slowly: resume
   * from the last sequence received. Otherwise the stream never ends by itself.
   */
  watch(argument: _shoal_v1_WatchRequest, metadata: grpc.Metadata, options?: grpc.CallOptions): grpc.ClientReadableStream<_shoal_v1_WatchEvent__Output>;
  watch(argument: _shoal_v1_WatchRequest, options?: grpc.CallOptions): grpc.ClientReadableStream<_shoal_v1_WatchEvent__Output>;
  
}

/**
 * Change notifications. Served by every manager from its applied state.
 */
export interface WatchHandlers extends grpc.UntypedServiceImplementation {
  /**
   * Streams every change to objects of the requested kinds, in order.
   * Every change has a cluster-wide sequence number (identical on every
   * manager). With resume_after_sequence > 0 the stream first replays the
   * changes after that sequence, so a client that reconnects (to any manager)
   * with the last sequence it received sees every change exactly once.
   * resume_from_version does the same by Raft index. OUT_OF_RANGE if the
   * changes asked for are no longer retained (re-list, then watch from the
   * listed version). RESOURCE_EXHAUSTED if the client reads too slowly: resume
   * from the last sequence received. Otherwise the stream never ends by itself.
   */
  Watch: grpc.handleServerStreamingCall<_shoal_v1_WatchRequest__Output, _shoal_v1_WatchEvent>;
  
}

export interface WatchDefinition extends grpc.ServiceDefinition {
  Watch: MethodDefinition<_shoal_v1_WatchRequest, _shoal_v1_WatchEvent, _shoal_v1_WatchRequest__Output, _shoal_v1_WatchEvent__Output>
}
