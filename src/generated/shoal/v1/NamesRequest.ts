// Original file: proto/shoal/v1/dispatcher.proto


/**
 * Request for Dispatcher.Names.
 */
export interface NamesRequest {
  /**
   * The session from Dispatcher.Session.
   */
  'sessionId'?: (string);
}

/**
 * Request for Dispatcher.Names.
 */
export interface NamesRequest__Output {
  /**
   * The session from Dispatcher.Session.
   */
  'sessionId': (string);
}
