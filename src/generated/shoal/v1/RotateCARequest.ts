// Original file: proto/shoal/v1/ca.proto


export interface RotateCARequest {
  /**
   * Idempotency key: a retry with the same ID starts no second rotation.
   */
  'requestId'?: (string);
  /**
   * Start even when a rotation is in progress, replacing it (`ca rotate --force`).
   */
  'force'?: (boolean);
}

export interface RotateCARequest__Output {
  /**
   * Idempotency key: a retry with the same ID starts no second rotation.
   */
  'requestId': (string);
  /**
   * Start even when a rotation is in progress, replacing it (`ca rotate --force`).
   */
  'force': (boolean);
}
