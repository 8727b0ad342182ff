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
  /**
   * A rotation in progress: the new root's digest (empty when none), when it
   * started (Unix ms), and the nodes that do not hold a certificate from the
   * new root yet ("hostname (node ID, role)").
   */
  'rotationDigest'?: (string);
  'rotationStartedMs'?: (number | string | Long);
  'rotationPending'?: (string)[];
  /**
   * Nodes that already hold a certificate from the new root.
   */
  'rotationDone'?: (number);
  /**
   * The digest of the root the last completed rotation retired (empty if none).
   */
  'retiredDigest'?: (string);
  /**
   * When that rotation completed (Unix ms; 0 if none). Client certificates
   * (IssueClientCertificate) issued before the rotation started stopped
   * working then: they are not reissued.
   */
  'retiredMs'?: (number | string | Long);
  /**
   * The intermediate CA that signs node certificates and its issuers below
   * the root (PEM, signer first), when the cluster's CA is an external
   * intermediate (`ca rotate --cert BUNDLE`); empty when the root signs.
   */
  'signingChain'?: (string);
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
  /**
   * A rotation in progress: the new root's digest (empty when none), when it
   * started (Unix ms), and the nodes that do not hold a certificate from the
   * new root yet ("hostname (node ID, role)").
   */
  'rotationDigest': (string);
  'rotationStartedMs': (number);
  'rotationPending': (string)[];
  /**
   * Nodes that already hold a certificate from the new root.
   */
  'rotationDone': (number);
  /**
   * The digest of the root the last completed rotation retired (empty if none).
   */
  'retiredDigest': (string);
  /**
   * When that rotation completed (Unix ms; 0 if none). Client certificates
   * (IssueClientCertificate) issued before the rotation started stopped
   * working then: they are not reissued.
   */
  'retiredMs': (number);
  /**
   * The intermediate CA that signs node certificates and its issuers below
   * the root (PEM, signer first), when the cluster's CA is an external
   * intermediate (`ca rotate --cert BUNDLE`); empty when the root signs.
   */
  'signingChain': (string);
}
