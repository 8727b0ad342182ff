// Original file: proto/shoal/v1/raft.proto

import type { NodeRole as _shoal_v1_NodeRole, NodeRole__Output as _shoal_v1_NodeRole__Output } from '../../shoal/v1/NodeRole.js';
import type { RaftMember as _shoal_v1_RaftMember, RaftMember__Output as _shoal_v1_RaftMember__Output } from '../../shoal/v1/RaftMember.js';
import type { Long } from '@grpc/proto-loader';

/**
 * The cluster's answer to a successful join.
 */
export interface JoinResponse {
  /**
   * Node.id assigned to the new node.
   */
  'nodeId'?: (string);
  /**
   * Raft node ID assigned (managers only; 0 for workers).
   */
  'raftId'?: (number | string | Long);
  /**
   * The cluster's ID.
   */
  'clusterId'?: (string);
  /**
   * The role the token grants.
   */
  'role'?: (_shoal_v1_NodeRole);
  /**
   * The current Raft members (for a worker: the managers to open a session with).
   */
  'members'?: (_shoal_v1_RaftMember)[];
  /**
   * Raft ID of the current leader; 0 if unknown.
   */
  'leaderRaftId'?: (number | string | Long);
  /**
   * The node's certificate (PEM), signed by the cluster's root.
   */
  'certificate'?: (string);
  /**
   * The root certificate (PEM) the node trusts from now on.
   */
  'caCertificate'?: (string);
}

/**
 * The cluster's answer to a successful join.
 */
export interface JoinResponse__Output {
  /**
   * Node.id assigned to the new node.
   */
  'nodeId': (string);
  /**
   * Raft node ID assigned (managers only; 0 for workers).
   */
  'raftId': (number);
  /**
   * The cluster's ID.
   */
  'clusterId': (string);
  /**
   * The role the token grants.
   */
  'role': (_shoal_v1_NodeRole__Output);
  /**
   * The current Raft members (for a worker: the managers to open a session with).
   */
  'members': (_shoal_v1_RaftMember__Output)[];
  /**
   * Raft ID of the current leader; 0 if unknown.
   */
  'leaderRaftId': (number);
  /**
   * The node's certificate (PEM), signed by the cluster's root.
   */
  'certificate': (string);
  /**
   * The root certificate (PEM) the node trusts from now on.
   */
  'caCertificate': (string);
}
