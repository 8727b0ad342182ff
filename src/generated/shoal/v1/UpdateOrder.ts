// Original file: proto/shoal/v1/objects.proto

/**
 * Order in which an update replaces a task.
 */
export const UpdateOrder = {
  /**
   * Not set; treated as UPDATE_ORDER_STOP_FIRST.
   */
  UPDATE_ORDER_UNSPECIFIED: 'UPDATE_ORDER_UNSPECIFIED',
  /**
   * Stop the old task, then start the new one.
   */
  UPDATE_ORDER_STOP_FIRST: 'UPDATE_ORDER_STOP_FIRST',
  /**
   * Start the new task, then stop the old one.
   */
  UPDATE_ORDER_START_FIRST: 'UPDATE_ORDER_START_FIRST',
} as const;

/**
 * Order in which an update replaces a task.
 */
export type UpdateOrder =
  /**
   * Not set; treated as UPDATE_ORDER_STOP_FIRST.
   */
  | 'UPDATE_ORDER_UNSPECIFIED'
  | 0
  /**
   * Stop the old task, then start the new one.
   */
  | 'UPDATE_ORDER_STOP_FIRST'
  | 1
  /**
   * Start the new task, then stop the old one.
   */
  | 'UPDATE_ORDER_START_FIRST'
  | 2

/**
 * Order in which an update replaces a task.
 */
export type UpdateOrder__Output = typeof UpdateOrder[keyof typeof UpdateOrder]
