// Original file: proto/shoal/v1/dispatcher.proto


/**
 * The worker leaves its Connect session on purpose.
 */
export interface SessionGoodbye {
  /**
   * Why, for the manager's log.
   */
  'reason'?: (string);
}

/**
 * The worker leaves its Connect session on purpose.
 */
export interface SessionGoodbye__Output {
  /**
   * Why, for the manager's log.
   */
  'reason': (string);
}
