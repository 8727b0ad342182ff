// Original file: proto/shoal/v1/dispatcher.proto

/**
 * What to do with an assigned item.
 */
export const AssignmentAction = {
  /**
   * Not set; never sent.
   */
  ASSIGNMENT_ACTION_UNSPECIFIED: 'ASSIGNMENT_ACTION_UNSPECIFIED',
  /**
   * Add or replace the item.
   */
  ASSIGNMENT_ACTION_UPDATE: 'ASSIGNMENT_ACTION_UPDATE',
  /**
   * Remove the item.
   */
  ASSIGNMENT_ACTION_REMOVE: 'ASSIGNMENT_ACTION_REMOVE',
} as const;

/**
 * What to do with an assigned item.
 */
export type AssignmentAction =
  /**
   * Not set; never sent.
   */
  | 'ASSIGNMENT_ACTION_UNSPECIFIED'
  | 0
  /**
   * Add or replace the item.
   */
  | 'ASSIGNMENT_ACTION_UPDATE'
  | 1
  /**
   * Remove the item.
   */
  | 'ASSIGNMENT_ACTION_REMOVE'
  | 2

/**
 * What to do with an assigned item.
 */
export type AssignmentAction__Output = typeof AssignmentAction[keyof typeof AssignmentAction]
