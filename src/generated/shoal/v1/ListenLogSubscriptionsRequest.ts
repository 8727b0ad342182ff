// Original file: proto/shoal/v1/control.proto


/**
 * Request for Logs.ListenLogSubscriptions.
 */
export interface ListenLogSubscriptionsRequest {
  /**
   * The session from Dispatcher.Session.
   */
  'sessionId'?: (string);
}

/**
 * Request for Logs.ListenLogSubscriptions.
 */
export interface ListenLogSubscriptionsRequest__Output {
  /**
   * The session from Dispatcher.Session.
   */
  'sessionId': (string);
}
