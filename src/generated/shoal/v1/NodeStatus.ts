// Original file: proto/shoal/v1/objects.proto

/**
 * Whether the node is alive as seen by the managers (its dispatcher session).
 */
export const NodeStatus = {
  /**
   * Not set; never stored.
   */
  NODE_STATUS_UNSPECIFIED: 'NODE_STATUS_UNSPECIFIED',
  /**
   * No session has been seen yet since the manager started.
   */
  NODE_STATUS_UNKNOWN: 'NODE_STATUS_UNKNOWN',
  /**
   * Holds a live session (heartbeats arrive in time).
   */
  NODE_STATUS_READY: 'NODE_STATUS_READY',
  /**
   * Missed its heartbeats or left; its tasks are rescheduled.
   */
  NODE_STATUS_DOWN: 'NODE_STATUS_DOWN',
} as const;

/**
 * Whether the node is alive as seen by the managers (its dispatcher session).
 */
export type NodeStatus =
  /**
   * Not set; never stored.
   */
  | 'NODE_STATUS_UNSPECIFIED'
  | 0
  /**
   * No session has been seen yet since the manager started.
   */
  | 'NODE_STATUS_UNKNOWN'
  | 1
  /**
   * Holds a live session (heartbeats arrive in time).
   */
  | 'NODE_STATUS_READY'
  | 2
  /**
   * Missed its heartbeats or left; its tasks are rescheduled.
   */
  | 'NODE_STATUS_DOWN'
  | 3

/**
 * Whether the node is alive as seen by the managers (its dispatcher session).
 */
export type NodeStatus__Output = typeof NodeStatus[keyof typeof NodeStatus]
