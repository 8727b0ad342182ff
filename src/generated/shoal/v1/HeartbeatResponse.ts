// Original file: proto/shoal/v1/dispatcher.proto

import type { Long } from '@grpc/proto-loader';

/**
 * Response of Heartbeat.
 */
export interface HeartbeatResponse {
  /**
   * Interval until the next heartbeat is due, in ms.
   */
  'periodMs'?: (number | string | Long);
  /**
   * The root that signs node certificates now (the new one during a CA
   * rotation) and the digests of the roots to trust. A node whose certificate
   * or trust differs renews its certificate (empty without mutual TLS).
   */
  'caSigningDigest'?: (string);
  'caTrustDigests'?: (string)[];
}

/**
 * Response of Heartbeat.
 */
export interface HeartbeatResponse__Output {
  /**
   * Interval until the next heartbeat is due, in ms.
   */
  'periodMs': (number);
  /**
   * The root that signs node certificates now (the new one during a CA
   * rotation) and the digests of the roots to trust. A node whose certificate
   * or trust differs renews its certificate (empty without mutual TLS).
   */
  'caSigningDigest': (string);
  'caTrustDigests': (string)[];
}
