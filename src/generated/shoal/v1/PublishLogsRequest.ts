// Original file: proto/shoal/v1/control.proto

import type { LogLine as _shoal_v1_LogLine, LogLine__Output as _shoal_v1_LogLine__Output } from '../../shoal/v1/LogLine.js';

/**
 * One message of Logs.PublishLogs.
 */
export interface PublishLogsRequest {
  /**
   * The node's session (first message only; later ones may leave it empty).
   */
  'sessionId'?: (string);
  /**
   * The subscription the lines answer.
   */
  'subscriptionId'?: (string);
  /**
   * The task the lines belong to.
   */
  'taskId'?: (string);
  /**
   * Lines in the order they were written (a message carries at most 1,000 lines / 1 MiB).
   */
  'lines'?: (_shoal_v1_LogLine)[];
  /**
   * Why this task's output cannot be sent (e.g. its log is not on this node), for the client.
   */
  'warning'?: (string);
}

/**
 * One message of Logs.PublishLogs.
 */
export interface PublishLogsRequest__Output {
  /**
   * The node's session (first message only; later ones may leave it empty).
   */
  'sessionId': (string);
  /**
   * The subscription the lines answer.
   */
  'subscriptionId': (string);
  /**
   * The task the lines belong to.
   */
  'taskId': (string);
  /**
   * Lines in the order they were written (a message carries at most 1,000 lines / 1 MiB).
   */
  'lines': (_shoal_v1_LogLine__Output)[];
  /**
   * Why this task's output cannot be sent (e.g. its log is not on this node), for the client.
   */
  'warning': (string);
}
