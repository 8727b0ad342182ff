// Original file: proto/shoal/v1/ca.proto


export interface RotateCARequest {
  /**
   * Idempotency key: a retry with the same ID starts no second rotation.
   */
  'requestId'?: (string);
}

export interface RotateCARequest__Output {
  /**
   * Idempotency key: a retry with the same ID starts no second rotation.
   */
  'requestId': (string);
}
