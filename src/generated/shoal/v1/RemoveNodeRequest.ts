// Original file: proto/shoal/v1/control.proto


/**
 * Request for RemoveNode.
 */
export interface RemoveNodeRequest {
  /**
   * Node ID, unique ID prefix, or hostname.
   */
  'ref'?: (string);
  /**
   * Remove even if the node is not down (a manager is also removed from Raft).
   */
  'force'?: (boolean);
  /**
   * Client request ID (1-128 letters, digits, '_', '.', '-'): a repeat with the same ID returns
   * the first request's result instead of acting twice (see docs/api.md "Idempotent writes").
   * Empty = no deduplication.
   */
  'requestId'?: (string);
}

/**
 * Request for RemoveNode.
 */
export interface RemoveNodeRequest__Output {
  /**
   * Node ID, unique ID prefix, or hostname.
   */
  'ref': (string);
  /**
   * Remove even if the node is not down (a manager is also removed from Raft).
   */
  'force': (boolean);
  /**
   * Client request ID (1-128 letters, digits, '_', '.', '-'): a repeat with the same ID returns
   * the first request's result instead of acting twice (see docs/api.md "Idempotent writes").
   * Empty = no deduplication.
   */
  'requestId': (string);
}
