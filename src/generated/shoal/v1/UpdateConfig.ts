// Original file: proto/shoal/v1/objects.proto

import type { UpdateOrder as _shoal_v1_UpdateOrder, UpdateOrder__Output as _shoal_v1_UpdateOrder__Output } from '../../shoal/v1/UpdateOrder.js';
import type { UpdateFailureAction as _shoal_v1_UpdateFailureAction, UpdateFailureAction__Output as _shoal_v1_UpdateFailureAction__Output } from '../../shoal/v1/UpdateFailureAction.js';
import type { Long } from '@grpc/proto-loader';

/**
 * How a change to a service is rolled out over its tasks.
 */
export interface UpdateConfig {
  /**
   * Tasks replaced at a time; 0 = all at once.
   */
  'parallelism'?: (number | string | Long);
  /**
   * Wait between batches, in ms.
   */
  'delayMs'?: (number | string | Long);
  /**
   * Stop-first or start-first.
   */
  'order'?: (_shoal_v1_UpdateOrder);
  /**
   * Reaction to a task that fails while monitored.
   */
  'failureAction'?: (_shoal_v1_UpdateFailureAction);
  /**
   * How long after its start a new task is watched for failure, in ms.
   */
  'monitorMs'?: (number | string | Long);
  /**
   * Share of the tasks updated so far that may fail while monitored before the failure
   * action applies, 0..1; 0 = the first failure does.
   */
  'maxFailureRatio'?: (number | string);
}

/**
 * How a change to a service is rolled out over its tasks.
 */
export interface UpdateConfig__Output {
  /**
   * Tasks replaced at a time; 0 = all at once.
   */
  'parallelism': (number);
  /**
   * Wait between batches, in ms.
   */
  'delayMs': (number);
  /**
   * Stop-first or start-first.
   */
  'order': (_shoal_v1_UpdateOrder__Output);
  /**
   * Reaction to a task that fails while monitored.
   */
  'failureAction': (_shoal_v1_UpdateFailureAction__Output);
  /**
   * How long after its start a new task is watched for failure, in ms.
   */
  'monitorMs': (number);
  /**
   * Share of the tasks updated so far that may fail while monitored before the failure
   * action applies, 0..1; 0 = the first failure does.
   */
  'maxFailureRatio': (number);
}
