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
  /**
   * Container image to run through the node's container engine (Docker); empty = run
   * `command` as a process. With an image, `command`/`args` override the image's command.
   */
  'image'?: (string);
  /**
   * When the node pulls the image: "missing" (default when empty), "always" or "never".
   */
  'pull'?: (string);
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
  /**
   * Container image to run through the node's container engine (Docker); empty = run
   * `command` as a process. With an image, `command`/`args` override the image's command.
   */
  'image': (string);
  /**
   * When the node pulls the image: "missing" (default when empty), "always" or "never".
   */
  'pull': (string);
}
