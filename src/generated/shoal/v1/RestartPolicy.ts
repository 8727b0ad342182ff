// Original file: proto/shoal/v1/objects.proto

import type { RestartCondition as _shoal_v1_RestartCondition, RestartCondition__Output as _shoal_v1_RestartCondition__Output } from '../../shoal/v1/RestartCondition.js';
import type { Long } from '@grpc/proto-loader';

/**
 * When tasks that exited are replaced, and how eagerly.
 */
export interface RestartPolicy {
  /**
   * Which exits lead to a replacement.
   */
  'condition'?: (_shoal_v1_RestartCondition);
  /**
   * Wait between an exit and the replacement, in ms.
   */
  'delayMs'?: (number | string | Long);
  /**
   * Maximum number of replacements within `window_ms`; 0 = unlimited.
   */
  'maxAttempts'?: (number | string | Long);
  /**
   * Window over which attempts are counted, in ms; 0 = the service's lifetime.
   */
  'windowMs'?: (number | string | Long);
}

/**
 * When tasks that exited are replaced, and how eagerly.
 */
export interface RestartPolicy__Output {
  /**
   * Which exits lead to a replacement.
   */
  'condition': (_shoal_v1_RestartCondition__Output);
  /**
   * Wait between an exit and the replacement, in ms.
   */
  'delayMs': (number);
  /**
   * Maximum number of replacements within `window_ms`; 0 = unlimited.
   */
  'maxAttempts': (number);
  /**
   * Window over which attempts are counted, in ms; 0 = the service's lifetime.
   */
  'windowMs': (number);
}
