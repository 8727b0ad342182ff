// Original file: proto/shoal/v1/control.proto

import type { Task as _shoal_v1_Task, Task__Output as _shoal_v1_Task__Output } from '../../shoal/v1/Task.js';

/**
 * Response of ListTasks.
 */
export interface ListTasksResponse {
  /**
   * Matching tasks, ordered by service, slot, then creation.
   */
  'tasks'?: (_shoal_v1_Task)[];
}

/**
 * Response of ListTasks.
 */
export interface ListTasksResponse__Output {
  /**
   * Matching tasks, ordered by service, slot, then creation.
   */
  'tasks': (_shoal_v1_Task__Output)[];
}
