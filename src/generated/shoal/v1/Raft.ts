// Original file: proto/shoal/v1/raft.proto

import type * as grpc from '@grpc/grpc-js'
import type { MethodDefinition } from '@grpc/proto-loader'
import type { JoinRequest as _shoal_v1_JoinRequest, JoinRequest__Output as _shoal_v1_JoinRequest__Output } from '../../shoal/v1/JoinRequest.js';
import type { JoinResponse as _shoal_v1_JoinResponse, JoinResponse__Output as _shoal_v1_JoinResponse__Output } from '../../shoal/v1/JoinResponse.js';
import type { LeaveRequest as _shoal_v1_LeaveRequest, LeaveRequest__Output as _shoal_v1_LeaveRequest__Output } from '../../shoal/v1/LeaveRequest.js';
import type { LeaveResponse as _shoal_v1_LeaveResponse, LeaveResponse__Output as _shoal_v1_LeaveResponse__Output } from '../../shoal/v1/LeaveResponse.js';
import type { ListMembersRequest as _shoal_v1_ListMembersRequest, ListMembersRequest__Output as _shoal_v1_ListMembersRequest__Output } from '../../shoal/v1/ListMembersRequest.js';
import type { ListMembersResponse as _shoal_v1_ListMembersResponse, ListMembersResponse__Output as _shoal_v1_ListMembersResponse__Output } from '../../shoal/v1/ListMembersResponse.js';
import type { RaftBatch as _shoal_v1_RaftBatch, RaftBatch__Output as _shoal_v1_RaftBatch__Output } from '../../shoal/v1/RaftBatch.js';
import type { RaftStreamSummary as _shoal_v1_RaftStreamSummary, RaftStreamSummary__Output as _shoal_v1_RaftStreamSummary__Output } from '../../shoal/v1/RaftStreamSummary.js';

/**
 * Transport of Raft messages between managers, and joining/leaving the cluster.
 */
export interface RaftClient extends grpc.Client {
  /**
   * A new node asks to join the cluster with a join token. Sent to any
   * manager; followers forward it to the leader. Errors: UNAUTHENTICATED for a
   * wrong or rotated token, UNAVAILABLE without a leader or quorum.
   */
  Join(argument: _shoal_v1_JoinRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_shoal_v1_JoinResponse__Output>): grpc.ClientUnaryCall;
  Join(argument: _shoal_v1_JoinRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_shoal_v1_JoinResponse__Output>): grpc.ClientUnaryCall;
  Join(argument: _shoal_v1_JoinRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_shoal_v1_JoinResponse__Output>): grpc.ClientUnaryCall;
  Join(argument: _shoal_v1_JoinRequest, callback: grpc.requestCallback<_shoal_v1_JoinResponse__Output>): grpc.ClientUnaryCall;
  /**
   * A new node asks to join the cluster with a join token. Sent to any
   * manager; followers forward it to the leader. Errors: UNAUTHENTICATED for a
   * wrong or rotated token, UNAVAILABLE without a leader or quorum.
   */
  join(argument: _shoal_v1_JoinRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_shoal_v1_JoinResponse__Output>): grpc.ClientUnaryCall;
  join(argument: _shoal_v1_JoinRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_shoal_v1_JoinResponse__Output>): grpc.ClientUnaryCall;
  join(argument: _shoal_v1_JoinRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_shoal_v1_JoinResponse__Output>): grpc.ClientUnaryCall;
  join(argument: _shoal_v1_JoinRequest, callback: grpc.requestCallback<_shoal_v1_JoinResponse__Output>): grpc.ClientUnaryCall;
  
  /**
   * A node leaves the cluster. For a manager this removes it from the Raft
   * membership; FAILED_PRECONDITION if that would lose quorum and `force` is false.
   */
  Leave(argument: _shoal_v1_LeaveRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_shoal_v1_LeaveResponse__Output>): grpc.ClientUnaryCall;
  Leave(argument: _shoal_v1_LeaveRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_shoal_v1_LeaveResponse__Output>): grpc.ClientUnaryCall;
  Leave(argument: _shoal_v1_LeaveRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_shoal_v1_LeaveResponse__Output>): grpc.ClientUnaryCall;
  Leave(argument: _shoal_v1_LeaveRequest, callback: grpc.requestCallback<_shoal_v1_LeaveResponse__Output>): grpc.ClientUnaryCall;
  /**
   * A node leaves the cluster. For a manager this removes it from the Raft
   * membership; FAILED_PRECONDITION if that would lose quorum and `force` is false.
   */
  leave(argument: _shoal_v1_LeaveRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_shoal_v1_LeaveResponse__Output>): grpc.ClientUnaryCall;
  leave(argument: _shoal_v1_LeaveRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_shoal_v1_LeaveResponse__Output>): grpc.ClientUnaryCall;
  leave(argument: _shoal_v1_LeaveRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_shoal_v1_LeaveResponse__Output>): grpc.ClientUnaryCall;
  leave(argument: _shoal_v1_LeaveRequest, callback: grpc.requestCallback<_shoal_v1_LeaveResponse__Output>): grpc.ClientUnaryCall;
  
  /**
   * The current Raft membership as this manager knows it.
   */
  ListMembers(argument: _shoal_v1_ListMembersRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_shoal_v1_ListMembersResponse__Output>): grpc.ClientUnaryCall;
  ListMembers(argument: _shoal_v1_ListMembersRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_shoal_v1_ListMembersResponse__Output>): grpc.ClientUnaryCall;
  ListMembers(argument: _shoal_v1_ListMembersRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_shoal_v1_ListMembersResponse__Output>): grpc.ClientUnaryCall;
  ListMembers(argument: _shoal_v1_ListMembersRequest, callback: grpc.requestCallback<_shoal_v1_ListMembersResponse__Output>): grpc.ClientUnaryCall;
  /**
   * The current Raft membership as this manager knows it.
   */
  listMembers(argument: _shoal_v1_ListMembersRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_shoal_v1_ListMembersResponse__Output>): grpc.ClientUnaryCall;
  listMembers(argument: _shoal_v1_ListMembersRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_shoal_v1_ListMembersResponse__Output>): grpc.ClientUnaryCall;
  listMembers(argument: _shoal_v1_ListMembersRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_shoal_v1_ListMembersResponse__Output>): grpc.ClientUnaryCall;
  listMembers(argument: _shoal_v1_ListMembersRequest, callback: grpc.requestCallback<_shoal_v1_ListMembersResponse__Output>): grpc.ClientUnaryCall;
  
  /**
   * One long-lived stream from a sender to this manager. The sender writes
   * batches in order; the receiver hands each batch to its Raft node. The
   * receiver ends the stream with INVALID_ARGUMENT if a batch is malformed
   * (the whole batch is then dropped) and the sender reconnects with backoff.
   * The response is sent only when the stream ends normally.
   */
  Stream(metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_shoal_v1_RaftStreamSummary__Output>): grpc.ClientWritableStream<_shoal_v1_RaftBatch>;
  Stream(metadata: grpc.Metadata, callback: grpc.requestCallback<_shoal_v1_RaftStreamSummary__Output>): grpc.ClientWritableStream<_shoal_v1_RaftBatch>;
  Stream(options: grpc.CallOptions, callback: grpc.requestCallback<_shoal_v1_RaftStreamSummary__Output>): grpc.ClientWritableStream<_shoal_v1_RaftBatch>;
  Stream(callback: grpc.requestCallback<_shoal_v1_RaftStreamSummary__Output>): grpc.ClientWritableStream<_shoal_v1_RaftBatch>;
  /**
   * One long-lived stream from a sender to this manager. The sender writes
   * batches in order; the receiver hands each batch to its Raft node. The
   * receiver ends the stream with INVALID_ARGUMENT if a batch is malformed
   * (the whole batch is then dropped) and the sender reconnects with backoff.
   * The response is sent only when the stream ends normally.
   */
  stream(metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_shoal_v1_RaftStreamSummary__Output>): grpc.ClientWritableStream<_shoal_v1_RaftBatch>;
  stream(metadata: grpc.Metadata, callback: grpc.requestCallback<_shoal_v1_RaftStreamSummary__Output>): grpc.ClientWritableStream<_shoal_v1_RaftBatch>;
  stream(options: grpc.CallOptions, callback: grpc.requestCallback<_shoal_v1_RaftStreamSummary__Output>): grpc.ClientWritableStream<_shoal_v1_RaftBatch>;
  stream(callback: grpc.requestCallback<_shoal_v1_RaftStreamSummary__Output>): grpc.ClientWritableStream<_shoal_v1_RaftBatch>;
  
}

/**
 * Transport of Raft messages between managers, and joining/leaving the cluster.
 */
export interface RaftHandlers extends grpc.UntypedServiceImplementation {
  /**
   * A new node asks to join the cluster with a join token. Sent to any
   * manager; followers forward it to the leader. Errors: UNAUTHENTICATED for a
   * wrong or rotated token, UNAVAILABLE without a leader or quorum.
   */
  Join: grpc.handleUnaryCall<_shoal_v1_JoinRequest__Output, _shoal_v1_JoinResponse>;
  
  /**
   * A node leaves the cluster. For a manager this removes it from the Raft
   * membership; FAILED_PRECONDITION if that would lose quorum and `force` is false.
   */
  Leave: grpc.handleUnaryCall<_shoal_v1_LeaveRequest__Output, _shoal_v1_LeaveResponse>;
  
  /**
   * The current Raft membership as this manager knows it.
   */
  ListMembers: grpc.handleUnaryCall<_shoal_v1_ListMembersRequest__Output, _shoal_v1_ListMembersResponse>;
  
  /**
   * One long-lived stream from a sender to this manager. The sender writes
   * batches in order; the receiver hands each batch to its Raft node. The
   * receiver ends the stream with INVALID_ARGUMENT if a batch is malformed
   * (the whole batch is then dropped) and the sender reconnects with backoff.
   * The response is sent only when the stream ends normally.
   */
  Stream: grpc.handleClientStreamingCall<_shoal_v1_RaftBatch__Output, _shoal_v1_RaftStreamSummary>;
  
}

export interface RaftDefinition extends grpc.ServiceDefinition {
  Join: MethodDefinition<_shoal_v1_JoinRequest, _shoal_v1_JoinResponse, _shoal_v1_JoinRequest__Output, _shoal_v1_JoinResponse__Output>
  Leave: MethodDefinition<_shoal_v1_LeaveRequest, _shoal_v1_LeaveResponse, _shoal_v1_LeaveRequest__Output, _shoal_v1_LeaveResponse__Output>
  ListMembers: MethodDefinition<_shoal_v1_ListMembersRequest, _shoal_v1_ListMembersResponse, _shoal_v1_ListMembersRequest__Output, _shoal_v1_ListMembersResponse__Output>
  Stream: MethodDefinition<_shoal_v1_RaftBatch, _shoal_v1_RaftStreamSummary, _shoal_v1_RaftBatch__Output, _shoal_v1_RaftStreamSummary__Output>
}
