// Original file: proto/shoal/v1/control.proto

import type { Reachability as _shoal_v1_Reachability, Reachability__Output as _shoal_v1_Reachability__Output } from '../../shoal/v1/Reachability.js';
import type { Long } from '@grpc/proto-loader';

/**
 * A manager as `shoal info` shows it.
 */
export interface ManagerInfo {
  /**
   * Node.id of the manager.
   */
  'nodeId'?: (string);
  /**
   * Raft node ID.
   */
  'raftId'?: (number | string | Long);
  /**
   * Advertise address "HOST:PORT".
   */
  'addr'?: (string);
  /**
   * Whether the leader can reach it.
   */
  'reachability'?: (_shoal_v1_Reachability);
  /**
   * True for the leader.
   */
  'leader'?: (boolean);
  /**
   * True while the manager is a Raft learner: it is catching up with the log and does not
   * vote yet (a joined manager becomes a voter once it has caught up).
   */
  'catchingUp'?: (boolean);
}

/**
 * A manager as `shoal info` shows it.
 */
export interface ManagerInfo__Output {
  /**
   * Node.id of the manager.
   */
  'nodeId': (string);
  /**
   * Raft node ID.
   */
  'raftId': (number);
  /**
   * Advertise address "HOST:PORT".
   */
  'addr': (string);
  /**
   * Whether the leader can reach it.
   */
  'reachability': (_shoal_v1_Reachability__Output);
  /**
   * True for the leader.
   */
  'leader': (boolean);
  /**
   * True while the manager is a Raft learner: it is catching up with the log and does not
   * vote yet (a joined manager becomes a voter once it has caught up).
   */
  'catchingUp': (boolean);
}
