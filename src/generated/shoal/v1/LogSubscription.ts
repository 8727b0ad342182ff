// Original file: proto/shoal/v1/control.proto

import type { LogOptions as _shoal_v1_LogOptions, LogOptions__Output as _shoal_v1_LogOptions__Output } from '../../shoal/v1/LogOptions.js';

/**
 * A request for the node to send (or stop sending) output of some of its tasks.
 */
export interface LogSubscription {
  /**
   * Subscription ID (the node names it in PublishLogs).
   */
  'id'?: (string);
  /**
   * The tasks (and containers) of this node whose output is wanted.
   */
  'taskIds'?: (string)[];
  /**
   * Which lines.
   */
  'options'?: (_shoal_v1_LogOptions | null);
  /**
   * Stop sending for this subscription (the client went away).
   */
  'cancel'?: (boolean);
}

/**
 * A request for the node to send (or stop sending) output of some of its tasks.
 */
export interface LogSubscription__Output {
  /**
   * Subscription ID (the node names it in PublishLogs).
   */
  'id': (string);
  /**
   * The tasks (and containers) of this node whose output is wanted.
   */
  'taskIds': (string)[];
  /**
   * Which lines.
   */
  'options': (_shoal_v1_LogOptions__Output | null);
  /**
   * Stop sending for this subscription (the client went away).
   */
  'cancel': (boolean);
}
