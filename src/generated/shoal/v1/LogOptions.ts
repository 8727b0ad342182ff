// Original file: proto/shoal/v1/control.proto

import type { Long } from '@grpc/proto-loader';

/**
 * Which lines of each task's log to send (the same for every selected task).
 */
export interface LogOptions {
  /**
   * Keep sending new lines until the client cancels.
   */
  'follow'?: (boolean);
  /**
   * Only the last `tail` lines of each task's log (before following); with has_tail false, all.
   */
  'hasTail'?: (boolean);
  'tail'?: (number | string | Long);
  /**
   * Only lines written at or after this time (ms since the epoch); 0 = from the start.
   */
  'sinceUnixMs'?: (number | string | Long);
}

/**
 * Which lines of each task's log to send (the same for every selected task).
 */
export interface LogOptions__Output {
  /**
   * Keep sending new lines until the client cancels.
   */
  'follow': (boolean);
  /**
   * Only the last `tail` lines of each task's log (before following); with has_tail false, all.
   */
  'hasTail': (boolean);
  'tail': (number);
  /**
   * Only lines written at or after this time (ms since the epoch); 0 = from the start.
   */
  'sinceUnixMs': (number);
}
