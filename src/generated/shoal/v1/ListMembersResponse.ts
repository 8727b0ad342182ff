// Original file: proto/shoal/v1/raft.proto

import type { RaftMember as _shoal_v1_RaftMember, RaftMember__Output as _shoal_v1_RaftMember__Output } from '../../shoal/v1/RaftMember.js';
import type { Long } from '@grpc/proto-loader';

/**
 * The Raft membership.
 */
export interface ListMembersResponse {
  /**
   * All members, voters and learners.
   */
  'members'?: (_shoal_v1_RaftMember)[];
  /**
   * Raft ID of the current leader; 0 if unknown.
   */
  'leaderRaftId'?: (number | string | Long);
}

/**
 * The Raft membership.
 */
export interface ListMembersResponse__Output {
  /**
   * All members, voters and learners.
   */
  'members': (_shoal_v1_RaftMember__Output)[];
  /**
   * Raft ID of the current leader; 0 if unknown.
   */
  'leaderRaftId': (number);
}
