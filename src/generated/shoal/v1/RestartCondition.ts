// Original file: proto/shoal/v1/objects.proto

/**
 * When a task that exited is replaced.
 */
export const RestartCondition = {
  /**
   * Not set; treated as RESTART_CONDITION_ANY.
   */
  RESTART_CONDITION_UNSPECIFIED: 'RESTART_CONDITION_UNSPECIFIED',
  /**
   * Replace it whatever the exit status.
   */
  RESTART_CONDITION_ANY: 'RESTART_CONDITION_ANY',
  /**
   * Replace it only if it exited with a non-zero code or failed to start.
   */
  RESTART_CONDITION_ON_FAILURE: 'RESTART_CONDITION_ON_FAILURE',
  /**
   * Never replace it.
   */
  RESTART_CONDITION_NONE: 'RESTART_CONDITION_NONE',
} as const;

/**
 * When a task that exited is replaced.
 */
export type RestartCondition =
  /**
   * Not set; treated as RESTART_CONDITION_ANY.
   */
  | 'RESTART_CONDITION_UNSPECIFIED'
  | 0
  /**
   * Replace it whatever the exit status.
   */
  | 'RESTART_CONDITION_ANY'
  | 1
  /**
   * Replace it only if it exited with a non-zero code or failed to start.
   */
  | 'RESTART_CONDITION_ON_FAILURE'
  | 2
  /**
   * Never replace it.
   */
  | 'RESTART_CONDITION_NONE'
  | 3

/**
 * When a task that exited is replaced.
 */
export type RestartCondition__Output = typeof RestartCondition[keyof typeof RestartCondition]
