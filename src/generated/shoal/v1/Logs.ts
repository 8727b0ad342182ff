// Original file: proto/shoal/v1/control.proto

import type * as grpc from '@grpc/grpc-js'
import type { MethodDefinition } from '@grpc/proto-loader'
import type { ListenLogSubscriptionsRequest as _shoal_v1_ListenLogSubscriptionsRequest, ListenLogSubscriptionsRequest__Output as _shoal_v1_ListenLogSubscriptionsRequest__Output } from '../../shoal/v1/ListenLogSubscriptionsRequest.js';
import type { LogSubscription as _shoal_v1_LogSubscription, LogSubscription__Output as _shoal_v1_LogSubscription__Output } from '../../shoal/v1/LogSubscription.js';
import type { PublishLogsRequest as _shoal_v1_PublishLogsRequest, PublishLogsRequest__Output as _shoal_v1_PublishLogsRequest__Output } from '../../shoal/v1/PublishLogsRequest.js';
import type { PublishLogsResponse as _shoal_v1_PublishLogsResponse, PublishLogsResponse__Output as _shoal_v1_PublishLogsResponse__Output } from '../../shoal/v1/PublishLogsResponse.js';
import type { SubscribeLogsMessage as _shoal_v1_SubscribeLogsMessage, SubscribeLogsMessage__Output as _shoal_v1_SubscribeLogsMessage__Output } from '../../shoal/v1/SubscribeLogsMessage.js';
import type { SubscribeLogsRequest as _shoal_v1_SubscribeLogsRequest, SubscribeLogsRequest__Output as _shoal_v1_SubscribeLogsRequest__Output } from '../../shoal/v1/SubscribeLogsRequest.js';

/**
 * Task output, relayed by the leader between clients and node agents. A client subscribes on
 * any manager (a follower forwards the stream to the leader, which holds the agents'
 * sessions); the leader asks each node that holds a selected task for its lines over that
 * node's ListenLogSubscriptions stream, and the node sends them back with PublishLogs.
 */
export interface LogsClient extends grpc.Client {
  /**
   * Node agents: the subscriptions for this node's tasks, for as long as the session lives.
   */
  ListenLogSubscriptions(argument: _shoal_v1_ListenLogSubscriptionsRequest, metadata: grpc.Metadata, options?: grpc.CallOptions): grpc.ClientReadableStream<_shoal_v1_LogSubscription__Output>;
  ListenLogSubscriptions(argument: _shoal_v1_ListenLogSubscriptionsRequest, options?: grpc.CallOptions): grpc.ClientReadableStream<_shoal_v1_LogSubscription__Output>;
  /**
   * Node agents: the subscriptions for this node's tasks, for as long as the session lives.
   */
  listenLogSubscriptions(argument: _shoal_v1_ListenLogSubscriptionsRequest, metadata: grpc.Metadata, options?: grpc.CallOptions): grpc.ClientReadableStream<_shoal_v1_LogSubscription__Output>;
  listenLogSubscriptions(argument: _shoal_v1_ListenLogSubscriptionsRequest, options?: grpc.CallOptions): grpc.ClientReadableStream<_shoal_v1_LogSubscription__Output>;
  
  /**
   * Node agents: the lines of one subscription (one call per subscription). The first message
   * carries the session ID; the call ends when the node has sent everything (or, following,
   * when the subscription is cancelled: the leader then answers early).
   */
  PublishLogs(metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_shoal_v1_PublishLogsResponse__Output>): grpc.ClientWritableStream<_shoal_v1_PublishLogsRequest>;
  PublishLogs(metadata: grpc.Metadata, callback: grpc.requestCallback<_shoal_v1_PublishLogsResponse__Output>): grpc.ClientWritableStream<_shoal_v1_PublishLogsRequest>;
  PublishLogs(options: grpc.CallOptions, callback: grpc.requestCallback<_shoal_v1_PublishLogsResponse__Output>): grpc.ClientWritableStream<_shoal_v1_PublishLogsRequest>;
  PublishLogs(callback: grpc.requestCallback<_shoal_v1_PublishLogsResponse__Output>): grpc.ClientWritableStream<_shoal_v1_PublishLogsRequest>;
  /**
   * Node agents: the lines of one subscription (one call per subscription). The first message
   * carries the session ID; the call ends when the node has sent everything (or, following,
   * when the subscription is cancelled: the leader then answers early).
   */
  publishLogs(metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_shoal_v1_PublishLogsResponse__Output>): grpc.ClientWritableStream<_shoal_v1_PublishLogsRequest>;
  publishLogs(metadata: grpc.Metadata, callback: grpc.requestCallback<_shoal_v1_PublishLogsResponse__Output>): grpc.ClientWritableStream<_shoal_v1_PublishLogsRequest>;
  publishLogs(options: grpc.CallOptions, callback: grpc.requestCallback<_shoal_v1_PublishLogsResponse__Output>): grpc.ClientWritableStream<_shoal_v1_PublishLogsRequest>;
  publishLogs(callback: grpc.requestCallback<_shoal_v1_PublishLogsResponse__Output>): grpc.ClientWritableStream<_shoal_v1_PublishLogsRequest>;
  
  /**
   * The output of a service's tasks or of one container. Ends once every node has sent what it
   * has (unless `follow`). A node that is down or not connected is named in a message's `warning`.
   */
  SubscribeLogs(argument: _shoal_v1_SubscribeLogsRequest, metadata: grpc.Metadata, options?: grpc.CallOptions): grpc.ClientReadableStream<_shoal_v1_SubscribeLogsMessage__Output>;
  SubscribeLogs(argument: _shoal_v1_SubscribeLogsRequest, options?: grpc.CallOptions): grpc.ClientReadableStream<_shoal_v1_SubscribeLogsMessage__Output>;
  /**
   * The output of a service's tasks or of one container. Ends once every node has sent what it
   * has (unless `follow`). A node that is down or not connected is named in a message's `warning`.
   */
  subscribeLogs(argument: _shoal_v1_SubscribeLogsRequest, metadata: grpc.Metadata, options?: grpc.CallOptions): grpc.ClientReadableStream<_shoal_v1_SubscribeLogsMessage__Output>;
  subscribeLogs(argument: _shoal_v1_SubscribeLogsRequest, options?: grpc.CallOptions): grpc.ClientReadableStream<_shoal_v1_SubscribeLogsMessage__Output>;
  
}

/**
 * Task output, relayed by the leader between clients and node agents. A client subscribes on
 * any manager (a follower forwards the stream to the leader, which holds the agents'
 * sessions); the leader asks each node that holds a selected task for its lines over that
 * node's ListenLogSubscriptions stream, and the node sends them back with PublishLogs.
 */
export interface LogsHandlers extends grpc.UntypedServiceImplementation {
  /**
   * Node agents: the subscriptions for this node's tasks, for as long as the session lives.
   */
  ListenLogSubscriptions: grpc.handleServerStreamingCall<_shoal_v1_ListenLogSubscriptionsRequest__Output, _shoal_v1_LogSubscription>;
  
  /**
   * Node agents: the lines of one subscription (one call per subscription). The first message
   * carries the session ID; the call ends when the node has sent everything (or, following,
   * when the subscription is cancelled: the leader then answers early).
   */
  PublishLogs: grpc.handleClientStreamingCall<_shoal_v1_PublishLogsRequest__Output, _shoal_v1_PublishLogsResponse>;
  
  /**
   * The output of a service's tasks or of one container. Ends once every node has sent what it
   * has (unless `follow`). A node that is down or not connected is named in a message's `warning`.
   */
  SubscribeLogs: grpc.handleServerStreamingCall<_shoal_v1_SubscribeLogsRequest__Output, _shoal_v1_SubscribeLogsMessage>;
  
}

export interface LogsDefinition extends grpc.ServiceDefinition {
  ListenLogSubscriptions: MethodDefinition<_shoal_v1_ListenLogSubscriptionsRequest, _shoal_v1_LogSubscription, _shoal_v1_ListenLogSubscriptionsRequest__Output, _shoal_v1_LogSubscription__Output>
  PublishLogs: MethodDefinition<_shoal_v1_PublishLogsRequest, _shoal_v1_PublishLogsResponse, _shoal_v1_PublishLogsRequest__Output, _shoal_v1_PublishLogsResponse__Output>
  SubscribeLogs: MethodDefinition<_shoal_v1_SubscribeLogsRequest, _shoal_v1_SubscribeLogsMessage, _shoal_v1_SubscribeLogsRequest__Output, _shoal_v1_SubscribeLogsMessage__Output>
}
