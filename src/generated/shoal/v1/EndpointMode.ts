// Original file: proto/shoal/v1/objects.proto

/**
 * How a service's name resolves (`--endpoint-mode`).
 */
export const EndpointMode = {
  /**
   * Not set: VIP.
   */
  ENDPOINT_MODE_UNSPECIFIED: 'ENDPOINT_MODE_UNSPECIFIED',
  /**
   * The name resolves to one virtual IP per network; connections to it are spread over the running tasks.
   */
  ENDPOINT_MODE_VIP: 'ENDPOINT_MODE_VIP',
  /**
   * The name resolves to the running tasks' addresses (DNS round robin, shuffled).
   */
  ENDPOINT_MODE_DNSRR: 'ENDPOINT_MODE_DNSRR',
} as const;

/**
 * How a service's name resolves (`--endpoint-mode`).
 */
export type EndpointMode =
  /**
   * Not set: VIP.
   */
  | 'ENDPOINT_MODE_UNSPECIFIED'
  | 0
  /**
   * The name resolves to one virtual IP per network; connections to it are spread over the running tasks.
   */
  | 'ENDPOINT_MODE_VIP'
  | 1
  /**
   * The name resolves to the running tasks' addresses (DNS round robin, shuffled).
   */
  | 'ENDPOINT_MODE_DNSRR'
  | 2

/**
 * How a service's name resolves (`--endpoint-mode`).
 */
export type EndpointMode__Output = typeof EndpointMode[keyof typeof EndpointMode]
