// Original file: proto/shoal/v1/raft.proto

import type { Long } from '@grpc/proto-loader';

/**
 * One Raft member: a manager and where it is reached.
 */
export interface RaftMember {
  /**
   * Raft node ID (as used in RaftMessage.from/to).
   */
  'raftId'?: (number | string | Long);
  /**
   * The member's Node.id.
   */
  'nodeId'?: (string);
  /**
   * The member's advertise address "HOST:PORT".
   */
  'addr'?: (string);
  /**
   * True for voters, false for learners (a manager catching up).
   */
  'voter'?: (boolean);
}

/**
 * One Raft member: a manager and where it is reached.
 */
export interface RaftMember__Output {
  /**
   * Raft node ID (as used in RaftMessage.from/to).
   */
  'raftId': (number);
  /**
   * The member's Node.id.
   */
  'nodeId': (string);
  /**
   * The member's advertise address "HOST:PORT".
   */
  'addr': (string);
  /**
   * True for voters, false for learners (a manager catching up).
   */
  'voter': (boolean);
}
