// Original file: proto/shoal/v1/control.proto

import type { Task as _shoal_v1_Task, Task__Output as _shoal_v1_Task__Output } from '../../shoal/v1/Task.js';

/**
 * Response of GetTask.
 */
export interface GetTaskResponse {
  /**
   * The task.
   */
  'task'?: (_shoal_v1_Task | null);
}

/**
 * Response of GetTask.
 */
export interface GetTaskResponse__Output {
  /**
   * The task.
   */
  'task': (_shoal_v1_Task__Output | null);
}
