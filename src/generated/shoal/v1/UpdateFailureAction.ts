// Original file: proto/shoal/v1/objects.proto

/**
 * What to do when an updated task fails during the monitor period.
 */
export const UpdateFailureAction = {
  /**
   * Not set; treated as UPDATE_FAILURE_ACTION_PAUSE.
   */
  UPDATE_FAILURE_ACTION_UNSPECIFIED: 'UPDATE_FAILURE_ACTION_UNSPECIFIED',
  /**
   * Stop the rollout and leave the service as it is.
   */
  UPDATE_FAILURE_ACTION_PAUSE: 'UPDATE_FAILURE_ACTION_PAUSE',
  /**
   * Go on with the rollout.
   */
  UPDATE_FAILURE_ACTION_CONTINUE: 'UPDATE_FAILURE_ACTION_CONTINUE',
  /**
   * Roll back to the previous spec.
   */
  UPDATE_FAILURE_ACTION_ROLLBACK: 'UPDATE_FAILURE_ACTION_ROLLBACK',
} as const;

/**
 * What to do when an updated task fails during the monitor period.
 */
export type UpdateFailureAction =
  /**
   * Not set; treated as UPDATE_FAILURE_ACTION_PAUSE.
   */
  | 'UPDATE_FAILURE_ACTION_UNSPECIFIED'
  | 0
  /**
   * Stop the rollout and leave the service as it is.
   */
  | 'UPDATE_FAILURE_ACTION_PAUSE'
  | 1
  /**
   * Go on with the rollout.
   */
  | 'UPDATE_FAILURE_ACTION_CONTINUE'
  | 2
  /**
   * Roll back to the previous spec.
   */
  | 'UPDATE_FAILURE_ACTION_ROLLBACK'
  | 3

/**
 * What to do when an updated task fails during the monitor period.
 */
export type UpdateFailureAction__Output = typeof UpdateFailureAction[keyof typeof UpdateFailureAction]
