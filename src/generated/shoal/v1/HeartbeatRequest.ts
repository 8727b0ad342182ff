// Original file: proto/shoal/v1/dispatcher.proto


/**
 * Request for Heartbeat.
 */
export interface HeartbeatRequest {
  /**
   * The session to keep alive.
   */
  'sessionId'?: (string);
}

/**
 * Request for Heartbeat.
 */
export interface HeartbeatRequest__Output {
  /**
   * The session to keep alive.
   */
  'sessionId': (string);
}
