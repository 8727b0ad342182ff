// Original file: proto/shoal/v1/objects.proto

import type { Resources as _shoal_v1_Resources, Resources__Output as _shoal_v1_Resources__Output } from '../../shoal/v1/Resources.js';
import type { RestartPolicy as _shoal_v1_RestartPolicy, RestartPolicy__Output as _shoal_v1_RestartPolicy__Output } from '../../shoal/v1/RestartPolicy.js';
import type { Long } from '@grpc/proto-loader';

/**
 * What each task of a service runs.
 */
export interface TaskTemplate {
  /**
   * Executable to run.
   */
  'command'?: (string);
  /**
   * Arguments passed to the executable.
   */
  'args'?: (string)[];
  /**
   * Environment entries "KEY=VALUE".
   */
  'env'?: (string)[];
  /**
   * Resources the scheduler reserves on the node for each task.
   */
  'reservations'?: (_shoal_v1_Resources | null);
  /**
   * Replacement policy for exited tasks.
   */
  'restartPolicy'?: (_shoal_v1_RestartPolicy | null);
  /**
   * A counter with no other meaning: changing it makes every task outdated, so an update
   * that only raises it is a rolling restart (`shoal service update --force`).
   */
  'forceUpdate'?: (number | string | Long);
}

/**
 * What each task of a service runs.
 */
export interface TaskTemplate__Output {
  /**
   * Executable to run.
   */
  'command': (string);
  /**
   * Arguments passed to the executable.
   */
  'args': (string)[];
  /**
   * Environment entries "KEY=VALUE".
   */
  'env': (string)[];
  /**
   * Resources the scheduler reserves on the node for each task.
   */
  'reservations': (_shoal_v1_Resources__Output | null);
  /**
   * Replacement policy for exited tasks.
   */
  'restartPolicy': (_shoal_v1_RestartPolicy__Output | null);
  /**
   * A counter with no other meaning: changing it makes every task outdated, so an update
   * that only raises it is a rolling restart (`shoal service update --force`).
   */
  'forceUpdate': (number);
}
