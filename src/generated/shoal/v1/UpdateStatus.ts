// Original file: proto/shoal/v1/objects.proto

import type { UpdateState as _shoal_v1_UpdateState, UpdateState__Output as _shoal_v1_UpdateState__Output } from '../../shoal/v1/UpdateState.js';
import type { Long } from '@grpc/proto-loader';

/**
 * Progress of a service's rolling update or rollback.
 */
export interface UpdateStatus {
  'state'?: (_shoal_v1_UpdateState);
  /**
   * When the rollout started, Unix ms.
   */
  'startedUnixMs'?: (number | string | Long);
  /**
   * When it completed, Unix ms; 0 while it goes on or is paused.
   */
  'completedUnixMs'?: (number | string | Long);
  /**
   * What happened, e.g. "update paused: task … failed: exit status 1".
   */
  'message'?: (string);
}

/**
 * Progress of a service's rolling update or rollback.
 */
export interface UpdateStatus__Output {
  'state': (_shoal_v1_UpdateState__Output);
  /**
   * When the rollout started, Unix ms.
   */
  'startedUnixMs': (number);
  /**
   * When it completed, Unix ms; 0 while it goes on or is paused.
   */
  'completedUnixMs': (number);
  /**
   * What happened, e.g. "update paused: task … failed: exit status 1".
   */
  'message': (string);
}
