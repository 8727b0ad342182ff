// Original file: proto/shoal/v1/dispatcher.proto


/**
 * Request for Heartbeat.
 */
export interface HeartbeatRequest {
  /**
   * The session to keep alive.
   */
  'sessionId'?: (string);
  /**
   * The digest of the root CA the node's current certificate leads to (empty
   * without mutual TLS): how the leader learns who a CA rotation has reached.
   */
  'certRootDigest'?: (string);
}

/**
 * Request for Heartbeat.
 */
export interface HeartbeatRequest__Output {
  /**
   * The session to keep alive.
   */
  'sessionId': (string);
  /**
   * The digest of the root CA the node's current certificate leads to (empty
   * without mutual TLS): how the leader learns who a CA rotation has reached.
   */
  'certRootDigest': (string);
}
