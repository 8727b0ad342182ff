// Original file: proto/shoal/v1/objects.proto

import type { TaskState as _shoal_v1_TaskState, TaskState__Output as _shoal_v1_TaskState__Output } from '../../shoal/v1/TaskState.js';
import type { Long } from '@grpc/proto-loader';

/**
 * An observed state of a task, with the reason for it.
 */
export interface TaskStatus {
  /**
   * The state reached.
   */
  'state'?: (_shoal_v1_TaskState);
  /**
   * A short human-readable description ("started", "exited").
   */
  'message'?: (string);
  /**
   * Error text when the state is FAILED or REJECTED; empty otherwise.
   */
  'err'?: (string);
  /**
   * Exit code of the process once it exited; 0 otherwise.
   */
  'exitCode'?: (number);
  /**
   * When this status was reached, Unix ms.
   */
  'timestampUnixMs'?: (number | string | Long);
}

/**
 * An observed state of a task, with the reason for it.
 */
export interface TaskStatus__Output {
  /**
   * The state reached.
   */
  'state': (_shoal_v1_TaskState__Output);
  /**
   * A short human-readable description ("started", "exited").
   */
  'message': (string);
  /**
   * Error text when the state is FAILED or REJECTED; empty otherwise.
   */
  'err': (string);
  /**
   * Exit code of the process once it exited; 0 otherwise.
   */
  'exitCode': (number);
  /**
   * When this status was reached, Unix ms.
   */
  'timestampUnixMs': (number);
}
