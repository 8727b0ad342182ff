// Original file: proto/shoal/v1/objects.proto

/**
 * Whether the scheduler may place tasks on the node (set by the operator).
 */
export const NodeAvailability = {
  /**
   * Not set; never stored.
   */
  NODE_AVAILABILITY_UNSPECIFIED: 'NODE_AVAILABILITY_UNSPECIFIED',
  /**
   * New tasks may be placed here.
   */
  NODE_AVAILABILITY_ACTIVE: 'NODE_AVAILABILITY_ACTIVE',
  /**
   * No new tasks; running tasks stay.
   */
  NODE_AVAILABILITY_PAUSE: 'NODE_AVAILABILITY_PAUSE',
  /**
   * No tasks; running service tasks are moved elsewhere.
   */
  NODE_AVAILABILITY_DRAIN: 'NODE_AVAILABILITY_DRAIN',
} as const;

/**
 * Whether the scheduler may place tasks on the node (set by the operator).
 */
export type NodeAvailability =
  /**
   * Not set; never stored.
   */
  | 'NODE_AVAILABILITY_UNSPECIFIED'
  | 0
  /**
   * New tasks may be placed here.
   */
  | 'NODE_AVAILABILITY_ACTIVE'
  | 1
  /**
   * No new tasks; running tasks stay.
   */
  | 'NODE_AVAILABILITY_PAUSE'
  | 2
  /**
   * No tasks; running service tasks are moved elsewhere.
   */
  | 'NODE_AVAILABILITY_DRAIN'
  | 3

/**
 * Whether the scheduler may place tasks on the node (set by the operator).
 */
export type NodeAvailability__Output = typeof NodeAvailability[keyof typeof NodeAvailability]
