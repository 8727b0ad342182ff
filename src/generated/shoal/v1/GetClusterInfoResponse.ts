// Original file: proto/shoal/v1/control.proto

import type { NodeRole as _shoal_v1_NodeRole, NodeRole__Output as _shoal_v1_NodeRole__Output } from '../../shoal/v1/NodeRole.js';
import type { ManagerInfo as _shoal_v1_ManagerInfo, ManagerInfo__Output as _shoal_v1_ManagerInfo__Output } from '../../shoal/v1/ManagerInfo.js';
import type { Cluster as _shoal_v1_Cluster, Cluster__Output as _shoal_v1_Cluster__Output } from '../../shoal/v1/Cluster.js';
import type { Network as _shoal_v1_Network, Network__Output as _shoal_v1_Network__Output } from '../../shoal/v1/Network.js';
import type { Long } from '@grpc/proto-loader';

/**
 * Response of GetClusterInfo.
 */
export interface GetClusterInfoResponse {
  /**
   * Cluster ID.
   */
  'clusterId'?: (string);
  /**
   * Node.id of the node that answered.
   */
  'nodeId'?: (string);
  /**
   * Role of the node that answered.
   */
  'role'?: (_shoal_v1_NodeRole);
  /**
   * Node.id of the current leader; empty if unknown.
   */
  'leaderNodeId'?: (string);
  /**
   * All managers.
   */
  'managers'?: (_shoal_v1_ManagerInfo)[];
  /**
   * The answering manager's current Raft term.
   */
  'raftTerm'?: (number | string | Long);
  /**
   * The answering manager's commit index.
   */
  'commitIndex'?: (number | string | Long);
  /**
   * The cluster object (settings).
   */
  'cluster'?: (_shoal_v1_Cluster | null);
  /**
   * The networks present on the node (`node_id`, else this manager) right now: those on which it
   * has at least one endpoint (a task's or a standalone container's). A node learns of a network
   * with its first endpoint there and forgets it with its last.
   */
  'nodeNetworks'?: (_shoal_v1_Network)[];
}

/**
 * Response of GetClusterInfo.
 */
export interface GetClusterInfoResponse__Output {
  /**
   * Cluster ID.
   */
  'clusterId': (string);
  /**
   * Node.id of the node that answered.
   */
  'nodeId': (string);
  /**
   * Role of the node that answered.
   */
  'role': (_shoal_v1_NodeRole__Output);
  /**
   * Node.id of the current leader; empty if unknown.
   */
  'leaderNodeId': (string);
  /**
   * All managers.
   */
  'managers': (_shoal_v1_ManagerInfo__Output)[];
  /**
   * The answering manager's current Raft term.
   */
  'raftTerm': (number);
  /**
   * The answering manager's commit index.
   */
  'commitIndex': (number);
  /**
   * The cluster object (settings).
   */
  'cluster': (_shoal_v1_Cluster__Output | null);
  /**
   * The networks present on the node (`node_id`, else this manager) right now: those on which it
   * has at least one endpoint (a task's or a standalone container's). A node learns of a network
   * with its first endpoint there and forgets it with its last.
   */
  'nodeNetworks': (_shoal_v1_Network__Output)[];
}
