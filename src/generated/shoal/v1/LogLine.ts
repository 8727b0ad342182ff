// Original file: proto/shoal/v1/control.proto

import type { Long } from '@grpc/proto-loader';

/**
 * One line of output (without its newline).
 */
export interface LogLine {
  /**
   * When the line was written, as its node's agent saw it (ms since the epoch).
   */
  'timeUnixMs'?: (number | string | Long);
  /**
   * The line's bytes (stdout and stderr are one stream).
   */
  'data'?: (Buffer | Uint8Array | string);
}

/**
 * One line of output (without its newline).
 */
export interface LogLine__Output {
  /**
   * When the line was written, as its node's agent saw it (ms since the epoch).
   */
  'timeUnixMs': (number);
  /**
   * The line's bytes (stdout and stderr are one stream).
   */
  'data': (Buffer);
}
