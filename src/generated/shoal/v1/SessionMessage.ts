// Original file: proto/shoal/v1/dispatcher.proto

import type { WeightedPeer as _shoal_v1_WeightedPeer, WeightedPeer__Output as _shoal_v1_WeightedPeer__Output } from '../../shoal/v1/WeightedPeer.js';
import type { Node as _shoal_v1_Node, Node__Output as _shoal_v1_Node__Output } from '../../shoal/v1/Node.js';
import type { NodeRole as _shoal_v1_NodeRole, NodeRole__Output as _shoal_v1_NodeRole__Output } from '../../shoal/v1/NodeRole.js';
import type { Long } from '@grpc/proto-loader';

/**
 * A message on the session stream.
 */
export interface SessionMessage {
  /**
   * The session ID to pass to Heartbeat, Assignments and UpdateTaskStatus.
   */
  'sessionId'?: (string);
  /**
   * Current managers (so the worker can fail over).
   */
  'managers'?: (_shoal_v1_WeightedPeer)[];
  /**
   * Heartbeat interval, in ms.
   */
  'heartbeatPeriodMs'?: (number | string | Long);
  /**
   * The node as the managers see it.
   */
  'node'?: (_shoal_v1_Node | null);
  /**
   * UDP port of the VXLAN data path, cluster-wide (4789 unless `init --data-path-port`).
   */
  'dataPathPort'?: (number);
  /**
   * On Connect: the manager's clock when it received a heartbeat (an acknowledgement);
   * 0 on other messages.
   */
  'heartbeatAckUnixMs'?: (number | string | Long);
  /**
   * On Connect heartbeat answers, as in HeartbeatResponse: the role the replicated state holds for
   * this node and its Raft ID for that role (the node daemon converges to it).
   */
  'desiredRole'?: (_shoal_v1_NodeRole);
  'raftId'?: (number | string | Long);
  /**
   * On Connect heartbeat answers, as in HeartbeatResponse: the root that signs node certificates
   * now and the digests of the roots to trust (a CA rotation; empty without mutual TLS).
   */
  'caSigningDigest'?: (string);
  'caTrustDigests'?: (string)[];
  /**
   * On Connect's first message: this manager takes every HTTP/2 PING the worker sends on this
   * connection as a heartbeat. A worker whose channel pings at least once per period may then send
   * a heartbeat message only every few periods (and at once when its certificate's root changes);
   * the manager sends changed facts (role, managers, CA roots) on the stream without being asked.
   * A PING is answered by the HTTP/2 layer without a gRPC call, so it costs the leader a fraction
   * of a heartbeat message.
   */
  'heartbeatPings'?: (boolean);
}

/**
 * A message on the session stream.
 */
export interface SessionMessage__Output {
  /**
   * The session ID to pass to Heartbeat, Assignments and UpdateTaskStatus.
   */
  'sessionId': (string);
  /**
   * Current managers (so the worker can fail over).
   */
  'managers': (_shoal_v1_WeightedPeer__Output)[];
  /**
   * Heartbeat interval, in ms.
   */
  'heartbeatPeriodMs': (number);
  /**
   * The node as the managers see it.
   */
  'node': (_shoal_v1_Node__Output | null);
  /**
   * UDP port of the VXLAN data path, cluster-wide (4789 unless `init --data-path-port`).
   */
  'dataPathPort': (number);
  /**
   * On Connect: the manager's clock when it received a heartbeat (an acknowledgement);
   * 0 on other messages.
   */
  'heartbeatAckUnixMs': (number);
  /**
   * On Connect heartbeat answers, as in HeartbeatResponse: the role the replicated state holds for
   * this node and its Raft ID for that role (the node daemon converges to it).
   */
  'desiredRole': (_shoal_v1_NodeRole__Output);
  'raftId': (number);
  /**
   * On Connect heartbeat answers, as in HeartbeatResponse: the root that signs node certificates
   * now and the digests of the roots to trust (a CA rotation; empty without mutual TLS).
   */
  'caSigningDigest': (string);
  'caTrustDigests': (string)[];
  /**
   * On Connect's first message: this manager takes every HTTP/2 PING the worker sends on this
   * connection as a heartbeat. A worker whose channel pings at least once per period may then send
   * a heartbeat message only every few periods (and at once when its certificate's root changes);
   * the manager sends changed facts (role, managers, CA roots) on the stream without being asked.
   * A PING is answered by the HTTP/2 layer without a gRPC call, so it costs the leader a fraction
   * of a heartbeat message.
   */
  'heartbeatPings': (boolean);
}
