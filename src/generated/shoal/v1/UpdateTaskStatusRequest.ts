// Original file: proto/shoal/v1/dispatcher.proto

import type { TaskStatusUpdate as _shoal_v1_TaskStatusUpdate, TaskStatusUpdate__Output as _shoal_v1_TaskStatusUpdate__Output } from '../../shoal/v1/TaskStatusUpdate.js';

/**
 * Request for UpdateTaskStatus.
 */
export interface UpdateTaskStatusRequest {
  /**
   * The reporting session.
   */
  'sessionId'?: (string);
  /**
   * Status changes, oldest first (bounded by the worker).
   */
  'updates'?: (_shoal_v1_TaskStatusUpdate)[];
}

/**
 * Request for UpdateTaskStatus.
 */
export interface UpdateTaskStatusRequest__Output {
  /**
   * The reporting session.
   */
  'sessionId': (string);
  /**
   * Status changes, oldest first (bounded by the worker).
   */
  'updates': (_shoal_v1_TaskStatusUpdate__Output)[];
}
