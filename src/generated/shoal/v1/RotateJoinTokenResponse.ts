// Original file: proto/shoal/v1/control.proto


/**
 * Response of RotateJoinToken.
 */
export interface RotateJoinTokenResponse {
  /**
   * The new token for that role.
   */
  'token'?: (string);
}

/**
 * Response of RotateJoinToken.
 */
export interface RotateJoinTokenResponse__Output {
  /**
   * The new token for that role.
   */
  'token': (string);
}
