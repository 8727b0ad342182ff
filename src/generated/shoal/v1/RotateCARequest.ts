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
   * An external CA to rotate to (`ca rotate --cert FILE --key FILE`): one
   * self-signed ECDSA P-256 CA certificate, or an intermediate (ECDSA P-256,
   * CA:TRUE, keyCertSign) followed by its issuers up to and including the
   * root; and the unencrypted private key (PKCS#8 or SEC1) of the first
   * certificate, all PEM. With an intermediate, node certificates are issued
   * by it, sent with it, and verified against the bundle's root (whose
   * digest join tokens then carry). Empty: the cluster makes a new root.
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
   * An external CA to rotate to (`ca rotate --cert FILE --key FILE`): one
   * self-signed ECDSA P-256 CA certificate, or an intermediate (ECDSA P-256,
   * CA:TRUE, keyCertSign) followed by its issuers up to and including the
   * root; and the unencrypted private key (PKCS#8 or SEC1) of the first
   * certificate, all PEM. With an intermediate, node certificates are issued
   * by it, sent with it, and verified against the bundle's root (whose
   * digest join tokens then carry). Empty: the cluster makes a new root.
   */
  'caCertPem': (string);
  'caKeyPem': (string);
}
