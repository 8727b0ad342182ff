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
  /**
   * An external root to rotate to (`ca rotate --cert FILE --key FILE`): one
   * self-signed ECDSA P-256 CA certificate and its unencrypted private key
   * (PKCS#8 or SEC1), both PEM. Empty: the cluster makes a new root.
   */
  'caCertPem'?: (string);
  'caKeyPem'?: (string);
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
  /**
   * An external root to rotate to (`ca rotate --cert FILE --key FILE`): one
   * self-signed ECDSA P-256 CA certificate and its unencrypted private key
   * (PKCS#8 or SEC1), both PEM. Empty: the cluster makes a new root.
   */
  'caCertPem': (string);
  'caKeyPem': (string);
}
