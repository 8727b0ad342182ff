// Original file: proto/shoal/v1/objects.proto

/**
 * Where the rollout of a service's last spec change stands.
 */
export const UpdateState = {
  /**
   * Not set: the service's tasks never needed a rollout.
   */
  UPDATE_STATE_UNSPECIFIED: 'UPDATE_STATE_UNSPECIFIED',
  /**
   * Tasks are being replaced, batch by batch.
   */
  UPDATE_STATE_UPDATING: 'UPDATE_STATE_UPDATING',
  /**
   * A new task failed while monitored and the failure action is pause; a new update resumes.
   */
  UPDATE_STATE_PAUSED: 'UPDATE_STATE_PAUSED',
  /**
   * Every task runs the current spec.
   */
  UPDATE_STATE_COMPLETED: 'UPDATE_STATE_COMPLETED',
  /**
   * Going back to the previous spec (by request, or by the failure action rollback).
   */
  UPDATE_STATE_ROLLBACK_STARTED: 'UPDATE_STATE_ROLLBACK_STARTED',
  /**
   * A task failed during the rollback; it stopped there.
   */
  UPDATE_STATE_ROLLBACK_PAUSED: 'UPDATE_STATE_ROLLBACK_PAUSED',
  /**
   * Every task runs the previous spec again.
   */
  UPDATE_STATE_ROLLBACK_COMPLETED: 'UPDATE_STATE_ROLLBACK_COMPLETED',
} as const;

/**
 * Where the rollout of a service's last spec change stands.
 */
export type UpdateState =
  /**
   * Not set: the service's tasks never needed a rollout.
   */
  | 'UPDATE_STATE_UNSPECIFIED'
  | 0
  /**
   * Tasks are being replaced, batch by batch.
   */
  | 'UPDATE_STATE_UPDATING'
  | 1
  /**
   * A new task failed while monitored and the failure action is pause; a new update resumes.
   */
  | 'UPDATE_STATE_PAUSED'
  | 2
  /**
   * Every task runs the current spec.
   */
  | 'UPDATE_STATE_COMPLETED'
  | 3
  /**
   * Going back to the previous spec (by request, or by the failure action rollback).
   */
  | 'UPDATE_STATE_ROLLBACK_STARTED'
  | 4
  /**
   * A task failed during the rollback; it stopped there.
   */
  | 'UPDATE_STATE_ROLLBACK_PAUSED'
  | 5
  /**
   * Every task runs the previous spec again.
   */
  | 'UPDATE_STATE_ROLLBACK_COMPLETED'
  | 6

/**
 * Where the rollout of a service's last spec change stands.
 */
export type UpdateState__Output = typeof UpdateState[keyof typeof UpdateState]
