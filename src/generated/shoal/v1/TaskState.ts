// Original file: proto/shoal/v1/objects.proto

/**
 * The lifecycle of a task, in order. A task only moves forward.
 */
export const TaskState = {
  /**
   * Not set; never stored.
   */
  TASK_STATE_UNSPECIFIED: 'TASK_STATE_UNSPECIFIED',
  /**
   * Created by the orchestrator.
   */
  TASK_STATE_NEW: 'TASK_STATE_NEW',
  /**
   * Waiting for resources (network addresses) to be allocated.
   */
  TASK_STATE_PENDING: 'TASK_STATE_PENDING',
  /**
   * Addresses allocated; waiting for a node.
   */
  TASK_STATE_ALLOCATED: 'TASK_STATE_ALLOCATED',
  /**
   * Placed on a node.
   */
  TASK_STATE_ASSIGNED: 'TASK_STATE_ASSIGNED',
  /**
   * The worker accepted it.
   */
  TASK_STATE_ACCEPTED: 'TASK_STATE_ACCEPTED',
  /**
   * The worker is preparing it.
   */
  TASK_STATE_PREPARING: 'TASK_STATE_PREPARING',
  /**
   * The worker is starting the process.
   */
  TASK_STATE_STARTING: 'TASK_STATE_STARTING',
  /**
   * The process runs.
   */
  TASK_STATE_RUNNING: 'TASK_STATE_RUNNING',
  /**
   * Exited with code 0.
   */
  TASK_STATE_COMPLETE: 'TASK_STATE_COMPLETE',
  /**
   * Stopped on request.
   */
  TASK_STATE_SHUTDOWN: 'TASK_STATE_SHUTDOWN',
  /**
   * Exited with a non-zero code or could not start.
   */
  TASK_STATE_FAILED: 'TASK_STATE_FAILED',
  /**
   * Refused by the worker.
   */
  TASK_STATE_REJECTED: 'TASK_STATE_REJECTED',
  /**
   * Removed.
   */
  TASK_STATE_REMOVE: 'TASK_STATE_REMOVE',
  /**
   * Its node went down; the task's fate is unknown.
   */
  TASK_STATE_ORPHANED: 'TASK_STATE_ORPHANED',
} as const;

/**
 * The lifecycle of a task, in order. A task only moves forward.
 */
export type TaskState =
  /**
   * Not set; never stored.
   */
  | 'TASK_STATE_UNSPECIFIED'
  | 0
  /**
   * Created by the orchestrator.
   */
  | 'TASK_STATE_NEW'
  | 1
  /**
   * Waiting for resources (network addresses) to be allocated.
   */
  | 'TASK_STATE_PENDING'
  | 2
  /**
   * Addresses allocated; waiting for a node.
   */
  | 'TASK_STATE_ALLOCATED'
  | 3
  /**
   * Placed on a node.
   */
  | 'TASK_STATE_ASSIGNED'
  | 4
  /**
   * The worker accepted it.
   */
  | 'TASK_STATE_ACCEPTED'
  | 5
  /**
   * The worker is preparing it.
   */
  | 'TASK_STATE_PREPARING'
  | 6
  /**
   * The worker is starting the process.
   */
  | 'TASK_STATE_STARTING'
  | 7
  /**
   * The process runs.
   */
  | 'TASK_STATE_RUNNING'
  | 8
  /**
   * Exited with code 0.
   */
  | 'TASK_STATE_COMPLETE'
  | 9
  /**
   * Stopped on request.
   */
  | 'TASK_STATE_SHUTDOWN'
  | 10
  /**
   * Exited with a non-zero code or could not start.
   */
  | 'TASK_STATE_FAILED'
  | 11
  /**
   * Refused by the worker.
   */
  | 'TASK_STATE_REJECTED'
  | 12
  /**
   * Removed.
   */
  | 'TASK_STATE_REMOVE'
  | 13
  /**
   * Its node went down; the task's fate is unknown.
   */
  | 'TASK_STATE_ORPHANED'
  | 14

/**
 * The lifecycle of a task, in order. A task only moves forward.
 */
export type TaskState__Output = typeof TaskState[keyof typeof TaskState]
