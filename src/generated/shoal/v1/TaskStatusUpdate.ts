// Original file: proto/shoal/v1/dispatcher.proto

import type { TaskStatus as _shoal_v1_TaskStatus, TaskStatus__Output as _shoal_v1_TaskStatus__Output } from '../../shoal/v1/TaskStatus.js';

/**
 * A task's new observed status.
 */
export interface TaskStatusUpdate {
  /**
   * The task.
   */
  'taskId'?: (string);
  /**
   * Its observed status.
   */
  'status'?: (_shoal_v1_TaskStatus | null);
}

/**
 * A task's new observed status.
 */
export interface TaskStatusUpdate__Output {
  /**
   * The task.
   */
  'taskId': (string);
  /**
   * Its observed status.
   */
  'status': (_shoal_v1_TaskStatus__Output | null);
}
