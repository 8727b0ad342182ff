// Original file: proto/shoal/v1/control.proto


/**
 * Response of GetJoinTokens. Tokens are secrets: whoever holds one can join.
 */
export interface GetJoinTokensResponse {
  /**
   * Token that joins a node as worker.
   */
  'worker'?: (string);
  /**
   * Token that joins a node as manager.
   */
  'manager'?: (string);
  /**
   * Addresses of managers to put in the printed join command.
   */
  'managerAddrs'?: (string)[];
}

/**
 * Response of GetJoinTokens. Tokens are secrets: whoever holds one can join.
 */
export interface GetJoinTokensResponse__Output {
  /**
   * Token that joins a node as worker.
   */
  'worker': (string);
  /**
   * Token that joins a node as manager.
   */
  'manager': (string);
  /**
   * Addresses of managers to put in the printed join command.
   */
  'managerAddrs': (string)[];
}
