// Original file: proto/shoal/v1/dispatcher.proto

import type * as grpc from '@grpc/grpc-js'
import type { MethodDefinition } from '@grpc/proto-loader'
import type { AssignmentsMessage as _shoal_v1_AssignmentsMessage, AssignmentsMessage__Output as _shoal_v1_AssignmentsMessage__Output } from '../../shoal/v1/AssignmentsMessage.js';
import type { AssignmentsRequest as _shoal_v1_AssignmentsRequest, AssignmentsRequest__Output as _shoal_v1_AssignmentsRequest__Output } from '../../shoal/v1/AssignmentsRequest.js';
import type { HeartbeatRequest as _shoal_v1_HeartbeatRequest, HeartbeatRequest__Output as _shoal_v1_HeartbeatRequest__Output } from '../../shoal/v1/HeartbeatRequest.js';
import type { HeartbeatResponse as _shoal_v1_HeartbeatResponse, HeartbeatResponse__Output as _shoal_v1_HeartbeatResponse__Output } from '../../shoal/v1/HeartbeatResponse.js';
import type { NamesMessage as _shoal_v1_NamesMessage, NamesMessage__Output as _shoal_v1_NamesMessage__Output } from '../../shoal/v1/NamesMessage.js';
import type { NamesRequest as _shoal_v1_NamesRequest, NamesRequest__Output as _shoal_v1_NamesRequest__Output } from '../../shoal/v1/NamesRequest.js';
import type { SessionMessage as _shoal_v1_SessionMessage, SessionMessage__Output as _shoal_v1_SessionMessage__Output } from '../../shoal/v1/SessionMessage.js';
import type { SessionRequest as _shoal_v1_SessionRequest, SessionRequest__Output as _shoal_v1_SessionRequest__Output } from '../../shoal/v1/SessionRequest.js';
import type { SessionStreamRequest as _shoal_v1_SessionStreamRequest, SessionStreamRequest__Output as _shoal_v1_SessionStreamRequest__Output } from '../../shoal/v1/SessionStreamRequest.js';
import type { UpdateTaskStatusRequest as _shoal_v1_UpdateTaskStatusRequest, UpdateTaskStatusRequest__Output as _shoal_v1_UpdateTaskStatusRequest__Output } from '../../shoal/v1/UpdateTaskStatusRequest.js';
import type { UpdateTaskStatusResponse as _shoal_v1_UpdateTaskStatusResponse, UpdateTaskStatusResponse__Output as _shoal_v1_UpdateTaskStatusResponse__Output } from '../../shoal/v1/UpdateTaskStatusResponse.js';

/**
 * Served by every manager.
 */
export interface DispatcherClient extends grpc.Client {
  /**
   * The tasks assigned to this node: first a COMPLETE set, then INCREMENTAL changes.
   */
  Assignments(argument: _shoal_v1_AssignmentsRequest, metadata: grpc.Metadata, options?: grpc.CallOptions): grpc.ClientReadableStream<_shoal_v1_AssignmentsMessage__Output>;
  Assignments(argument: _shoal_v1_AssignmentsRequest, options?: grpc.CallOptions): grpc.ClientReadableStream<_shoal_v1_AssignmentsMessage__Output>;
  /**
   * The tasks assigned to this node: first a COMPLETE set, then INCREMENTAL changes.
   */
  assignments(argument: _shoal_v1_AssignmentsRequest, metadata: grpc.Metadata, options?: grpc.CallOptions): grpc.ClientReadableStream<_shoal_v1_AssignmentsMessage__Output>;
  assignments(argument: _shoal_v1_AssignmentsRequest, options?: grpc.CallOptions): grpc.ClientReadableStream<_shoal_v1_AssignmentsMessage__Output>;
  
  /**
   * A session whose heartbeats travel on the session stream itself (what agents use: far
   * cheaper for the manager than one Heartbeat call each). The first message must be `open`
   * (as Session's request); every later one is a `heartbeat`, which the manager answers on
   * the stream with a SessionMessage carrying only `heartbeat_ack_unix_ms` and the period.
   * The worker sends `goodbye` when it leaves the session on purpose (it reconnects or
   * stops). A stream that ends without one (the worker's process died, its connection
   * broke) gets the node marked down if no new session of it opens within a short grace,
   * without waiting for missed heartbeats.
   */
  Connect(metadata: grpc.Metadata, options?: grpc.CallOptions): grpc.ClientDuplexStream<_shoal_v1_SessionStreamRequest, _shoal_v1_SessionMessage__Output>;
  Connect(options?: grpc.CallOptions): grpc.ClientDuplexStream<_shoal_v1_SessionStreamRequest, _shoal_v1_SessionMessage__Output>;
  /**
   * A session whose heartbeats travel on the session stream itself (what agents use: far
   * cheaper for the manager than one Heartbeat call each). The first message must be `open`
   * (as Session's request); every later one is a `heartbeat`, which the manager answers on
   * the stream with a SessionMessage carrying only `heartbeat_ack_unix_ms` and the period.
   * The worker sends `goodbye` when it leaves the session on purpose (it reconnects or
   * stops). A stream that ends without one (the worker's process died, its connection
   * broke) gets the node marked down if no new session of it opens within a short grace,
   * without waiting for missed heartbeats.
   */
  connect(metadata: grpc.Metadata, options?: grpc.CallOptions): grpc.ClientDuplexStream<_shoal_v1_SessionStreamRequest, _shoal_v1_SessionMessage__Output>;
  connect(options?: grpc.CallOptions): grpc.ClientDuplexStream<_shoal_v1_SessionStreamRequest, _shoal_v1_SessionMessage__Output>;
  
  /**
   * Keeps the session alive; must be called within each heartbeat period.
   * NOT_FOUND if the session expired (open a new one).
   */
  Heartbeat(argument: _shoal_v1_HeartbeatRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_shoal_v1_HeartbeatResponse__Output>): grpc.ClientUnaryCall;
  Heartbeat(argument: _shoal_v1_HeartbeatRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_shoal_v1_HeartbeatResponse__Output>): grpc.ClientUnaryCall;
  Heartbeat(argument: _shoal_v1_HeartbeatRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_shoal_v1_HeartbeatResponse__Output>): grpc.ClientUnaryCall;
  Heartbeat(argument: _shoal_v1_HeartbeatRequest, callback: grpc.requestCallback<_shoal_v1_HeartbeatResponse__Output>): grpc.ClientUnaryCall;
  /**
   * Keeps the session alive; must be called within each heartbeat period.
   * NOT_FOUND if the session expired (open a new one).
   */
  heartbeat(argument: _shoal_v1_HeartbeatRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_shoal_v1_HeartbeatResponse__Output>): grpc.ClientUnaryCall;
  heartbeat(argument: _shoal_v1_HeartbeatRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_shoal_v1_HeartbeatResponse__Output>): grpc.ClientUnaryCall;
  heartbeat(argument: _shoal_v1_HeartbeatRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_shoal_v1_HeartbeatResponse__Output>): grpc.ClientUnaryCall;
  heartbeat(argument: _shoal_v1_HeartbeatRequest, callback: grpc.requestCallback<_shoal_v1_HeartbeatResponse__Output>): grpc.ClientUnaryCall;
  
  /**
   * The names the node's resolver answers, for the networks the node has an endpoint on:
   * complete first, then the networks that change (service discovery).
   */
  Names(argument: _shoal_v1_NamesRequest, metadata: grpc.Metadata, options?: grpc.CallOptions): grpc.ClientReadableStream<_shoal_v1_NamesMessage__Output>;
  Names(argument: _shoal_v1_NamesRequest, options?: grpc.CallOptions): grpc.ClientReadableStream<_shoal_v1_NamesMessage__Output>;
  /**
   * The names the node's resolver answers, for the networks the node has an endpoint on:
   * complete first, then the networks that change (service discovery).
   */
  names(argument: _shoal_v1_NamesRequest, metadata: grpc.Metadata, options?: grpc.CallOptions): grpc.ClientReadableStream<_shoal_v1_NamesMessage__Output>;
  names(argument: _shoal_v1_NamesRequest, options?: grpc.CallOptions): grpc.ClientReadableStream<_shoal_v1_NamesMessage__Output>;
  
  /**
   * Opens a session. The first message carries the session ID; later
   * messages update the manager list. The session ends when the stream ends
   * or heartbeats stop; the worker then opens a new one (possibly elsewhere).
   */
  Session(argument: _shoal_v1_SessionRequest, metadata: grpc.Metadata, options?: grpc.CallOptions): grpc.ClientReadableStream<_shoal_v1_SessionMessage__Output>;
  Session(argument: _shoal_v1_SessionRequest, options?: grpc.CallOptions): grpc.ClientReadableStream<_shoal_v1_SessionMessage__Output>;
  /**
   * Opens a session. The first message carries the session ID; later
   * messages update the manager list. The session ends when the stream ends
   * or heartbeats stop; the worker then opens a new one (possibly elsewhere).
   */
  session(argument: _shoal_v1_SessionRequest, metadata: grpc.Metadata, options?: grpc.CallOptions): grpc.ClientReadableStream<_shoal_v1_SessionMessage__Output>;
  session(argument: _shoal_v1_SessionRequest, options?: grpc.CallOptions): grpc.ClientReadableStream<_shoal_v1_SessionMessage__Output>;
  
  /**
   * Reports observed task states (batched).
   */
  UpdateTaskStatus(argument: _shoal_v1_UpdateTaskStatusRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_shoal_v1_UpdateTaskStatusResponse__Output>): grpc.ClientUnaryCall;
  UpdateTaskStatus(argument: _shoal_v1_UpdateTaskStatusRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_shoal_v1_UpdateTaskStatusResponse__Output>): grpc.ClientUnaryCall;
  UpdateTaskStatus(argument: _shoal_v1_UpdateTaskStatusRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_shoal_v1_UpdateTaskStatusResponse__Output>): grpc.ClientUnaryCall;
  UpdateTaskStatus(argument: _shoal_v1_UpdateTaskStatusRequest, callback: grpc.requestCallback<_shoal_v1_UpdateTaskStatusResponse__Output>): grpc.ClientUnaryCall;
  /**
   * Reports observed task states (batched).
   */
  updateTaskStatus(argument: _shoal_v1_UpdateTaskStatusRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_shoal_v1_UpdateTaskStatusResponse__Output>): grpc.ClientUnaryCall;
  updateTaskStatus(argument: _shoal_v1_UpdateTaskStatusRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_shoal_v1_UpdateTaskStatusResponse__Output>): grpc.ClientUnaryCall;
  updateTaskStatus(argument: _shoal_v1_UpdateTaskStatusRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_shoal_v1_UpdateTaskStatusResponse__Output>): grpc.ClientUnaryCall;
  updateTaskStatus(argument: _shoal_v1_UpdateTaskStatusRequest, callback: grpc.requestCallback<_shoal_v1_UpdateTaskStatusResponse__Output>): grpc.ClientUnaryCall;
  
}

/**
 * Served by every manager.
 */
export interface DispatcherHandlers extends grpc.UntypedServiceImplementation {
  /**
   * The tasks assigned to this node: first a COMPLETE set, then INCREMENTAL changes.
   */
  Assignments: grpc.handleServerStreamingCall<_shoal_v1_AssignmentsRequest__Output, _shoal_v1_AssignmentsMessage>;
  
  /**
   * A session whose heartbeats travel on the session stream itself (what agents use: far
   * cheaper for the manager than one Heartbeat call each). The first message must be `open`
   * (as Session's request); every later one is a `heartbeat`, which the manager answers on
   * the stream with a SessionMessage carrying only `heartbeat_ack_unix_ms` and the period.
   * The worker sends `goodbye` when it leaves the session on purpose (it reconnects or
   * stops). A stream that ends without one (the worker's process died, its connection
   * broke) gets the node marked down if no new session of it opens within a short grace,
   * without waiting for missed heartbeats.
   */
  Connect: grpc.handleBidiStreamingCall<_shoal_v1_SessionStreamRequest__Output, _shoal_v1_SessionMessage>;
  
  /**
   * Keeps the session alive; must be called within each heartbeat period.
   * NOT_FOUND if the session expired (open a new one).
   */
  Heartbeat: grpc.handleUnaryCall<_shoal_v1_HeartbeatRequest__Output, _shoal_v1_HeartbeatResponse>;
  
  /**
   * The names the node's resolver answers, for the networks the node has an endpoint on:
   * complete first, then the networks that change (service discovery).
   */
  Names: grpc.handleServerStreamingCall<_shoal_v1_NamesRequest__Output, _shoal_v1_NamesMessage>;
  
  /**
   * Opens a session. The first message carries the session ID; later
   * messages update the manager list. The session ends when the stream ends
   * or heartbeats stop; the worker then opens a new one (possibly elsewhere).
   */
  Session: grpc.handleServerStreamingCall<_shoal_v1_SessionRequest__Output, _shoal_v1_SessionMessage>;
  
  /**
   * Reports observed task states (batched).
   */
  UpdateTaskStatus: grpc.handleUnaryCall<_shoal_v1_UpdateTaskStatusRequest__Output, _shoal_v1_UpdateTaskStatusResponse>;
  
}

export interface DispatcherDefinition extends grpc.ServiceDefinition {
  Assignments: MethodDefinition<_shoal_v1_AssignmentsRequest, _shoal_v1_AssignmentsMessage, _shoal_v1_AssignmentsRequest__Output, _shoal_v1_AssignmentsMessage__Output>
  Connect: MethodDefinition<_shoal_v1_SessionStreamRequest, _shoal_v1_SessionMessage, _shoal_v1_SessionStreamRequest__Output, _shoal_v1_SessionMessage__Output>
  Heartbeat: MethodDefinition<_shoal_v1_HeartbeatRequest, _shoal_v1_HeartbeatResponse, _shoal_v1_HeartbeatRequest__Output, _shoal_v1_HeartbeatResponse__Output>
  Names: MethodDefinition<_shoal_v1_NamesRequest, _shoal_v1_NamesMessage, _shoal_v1_NamesRequest__Output, _shoal_v1_NamesMessage__Output>
  Session: MethodDefinition<_shoal_v1_SessionRequest, _shoal_v1_SessionMessage, _shoal_v1_SessionRequest__Output, _shoal_v1_SessionMessage__Output>
  UpdateTaskStatus: MethodDefinition<_shoal_v1_UpdateTaskStatusRequest, _shoal_v1_UpdateTaskStatusResponse, _shoal_v1_UpdateTaskStatusRequest__Output, _shoal_v1_UpdateTaskStatusResponse__Output>
}
