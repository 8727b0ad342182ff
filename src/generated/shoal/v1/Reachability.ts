// Original file: proto/shoal/v1/objects.proto

/**
 * Whether a manager can be reached by the Raft leader. Only meaningful for managers.
 */
export const Reachability = {
  /**
   * Not set, or the node is a worker.
   */
  REACHABILITY_UNSPECIFIED: 'REACHABILITY_UNSPECIFIED',
  /**
   * The leader exchanges Raft messages with it.
   */
  REACHABILITY_REACHABLE: 'REACHABILITY_REACHABLE',
  /**
   * The leader cannot reach it.
   */
  REACHABILITY_UNREACHABLE: 'REACHABILITY_UNREACHABLE',
  /**
   * No longer a Raft member (removed by `shoal init --force-new-cluster`); `node rm` it.
   */
  REACHABILITY_REMOVED: 'REACHABILITY_REMOVED',
} as const;

/**
 * Whether a manager can be reached by the Raft leader. Only meaningful for managers.
 */
export type Reachability =
  /**
   * Not set, or the node is a worker.
   */
  | 'REACHABILITY_UNSPECIFIED'
  | 0
  /**
   * The leader exchanges Raft messages with it.
   */
  | 'REACHABILITY_REACHABLE'
  | 1
  /**
   * The leader cannot reach it.
   */
  | 'REACHABILITY_UNREACHABLE'
  | 2
  /**
   * No longer a Raft member (removed by `shoal init --force-new-cluster`); `node rm` it.
   */
  | 'REACHABILITY_REMOVED'
  | 3

/**
 * Whether a manager can be reached by the Raft leader. Only meaningful for managers.
 */
export type Reachability__Output = typeof Reachability[keyof typeof Reachability]
