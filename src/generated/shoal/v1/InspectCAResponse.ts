// Original file: proto/shoal/v1/ca.proto

import type { Long } from '@grpc/proto-loader';

export interface InspectCAResponse {
  /**
   * PEM root certificate.
   */
  'caCertificate'?: (string);
  /**
   * SHA-256 of the root (DER) in base 36: the digest join tokens carry.
   */
  'digest'?: (string);
  /**
   * Root validity, Unix milliseconds.
   */
  'notBeforeMs'?: (number | string | Long);
  'notAfterMs'?: (number | string | Long);
  /**
   * Lifetime of node certificates issued now, in milliseconds.
   */
  'nodeCertExpiryMs'?: (number | string | Long);
  /**
   * Removed nodes whose certificates are refused.
   */
  'deniedCertificates'?: (number);
}

export interface InspectCAResponse__Output {
  /**
   * PEM root certificate.
   */
  'caCertificate': (string);
  /**
   * SHA-256 of the root (DER) in base 36: the digest join tokens carry.
   */
  'digest': (string);
  /**
   * Root validity, Unix milliseconds.
   */
  'notBeforeMs': (number);
  'notAfterMs': (number);
  /**
   * Lifetime of node certificates issued now, in milliseconds.
   */
  'nodeCertExpiryMs': (number);
  /**
   * Removed nodes whose certificates are refused.
   */
  'deniedCertificates': (number);
}
