// Original file: proto/shoal/v1/dispatcher.proto

/**
 * Whether an assignments message is a whole set or a delta.
 */
export const AssignmentsType = {
  /**
   * Not set; never sent.
   */
  ASSIGNMENTS_TYPE_UNSPECIFIED: 'ASSIGNMENTS_TYPE_UNSPECIFIED',
  /**
   * The complete set: drop everything not in it.
   */
  ASSIGNMENTS_TYPE_COMPLETE: 'ASSIGNMENTS_TYPE_COMPLETE',
  /**
   * Changes relative to the previous message.
   */
  ASSIGNMENTS_TYPE_INCREMENTAL: 'ASSIGNMENTS_TYPE_INCREMENTAL',
} as const;

/**
 * Whether an assignments message is a whole set or a delta.
 */
export type AssignmentsType =
  /**
   * Not set; never sent.
   */
  | 'ASSIGNMENTS_TYPE_UNSPECIFIED'
  | 0
  /**
   * The complete set: drop everything not in it.
   */
  | 'ASSIGNMENTS_TYPE_COMPLETE'
  | 1
  /**
   * Changes relative to the previous message.
   */
  | 'ASSIGNMENTS_TYPE_INCREMENTAL'
  | 2

/**
 * Whether an assignments message is a whole set or a delta.
 */
export type AssignmentsType__Output = typeof AssignmentsType[keyof typeof AssignmentsType]
