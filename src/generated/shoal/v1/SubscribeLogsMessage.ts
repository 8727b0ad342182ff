// Original file: proto/shoal/v1/control.proto

import type { LogSource as _shoal_v1_LogSource, LogSource__Output as _shoal_v1_LogSource__Output } from '../../shoal/v1/LogSource.js';
import type { LogLine as _shoal_v1_LogLine, LogLine__Output as _shoal_v1_LogLine__Output } from '../../shoal/v1/LogLine.js';

/**
 * One message of Logs.SubscribeLogs: lines of one task, or a warning.
 */
export interface SubscribeLogsMessage {
  /**
   * The task the lines belong to (absent with a warning only).
   */
  'source'?: (_shoal_v1_LogSource | null);
  /**
   * Lines in the order they were written.
   */
  'lines'?: (_shoal_v1_LogLine)[];
  /**
   * Something the client should tell its user (a node that is down, a node that stopped sending).
   */
  'warning'?: (string);
}

/**
 * One message of Logs.SubscribeLogs: lines of one task, or a warning.
 */
export interface SubscribeLogsMessage__Output {
  /**
   * The task the lines belong to (absent with a warning only).
   */
  'source': (_shoal_v1_LogSource__Output | null);
  /**
   * Lines in the order they were written.
   */
  'lines': (_shoal_v1_LogLine__Output)[];
  /**
   * Something the client should tell its user (a node that is down, a node that stopped sending).
   */
  'warning': (string);
}
