// Original file: proto/shoal/v1/objects.proto

/**
 * The role of a node in the cluster.
 */
export const NodeRole = {
  /**
   * Not set; never stored.
   */
  NODE_ROLE_UNSPECIFIED: 'NODE_ROLE_UNSPECIFIED',
  /**
   * Runs tasks only; holds a session with a manager's dispatcher.
   */
  NODE_ROLE_WORKER: 'NODE_ROLE_WORKER',
  /**
   * Member of the Raft group; stores cluster state and also runs tasks.
   */
  NODE_ROLE_MANAGER: 'NODE_ROLE_MANAGER',
} as const;

/**
 * The role of a node in the cluster.
 */
export type NodeRole =
  /**
   * Not set; never stored.
   */
  | 'NODE_ROLE_UNSPECIFIED'
  | 0
  /**
   * Runs tasks only; holds a session with a manager's dispatcher.
   */
  | 'NODE_ROLE_WORKER'
  | 1
  /**
   * Member of the Raft group; stores cluster state and also runs tasks.
   */
  | 'NODE_ROLE_MANAGER'
  | 2

/**
 * The role of a node in the cluster.
 */
export type NodeRole__Output = typeof NodeRole[keyof typeof NodeRole]
