// Original file: proto/shoal/v1/control.proto

/**
 * Who holds an endpoint address.
 */
export const EndpointKind = {
  /**
   * Never sent.
   */
  ENDPOINT_KIND_UNSPECIFIED: 'ENDPOINT_KIND_UNSPECIFIED',
  /**
   * A service task.
   */
  ENDPOINT_KIND_TASK: 'ENDPOINT_KIND_TASK',
  /**
   * A standalone container (attachable networks only).
   */
  ENDPOINT_KIND_CONTAINER: 'ENDPOINT_KIND_CONTAINER',
  /**
   * A service's virtual IP (owner_id is the service's ID, owner_name its name; no node).
   */
  ENDPOINT_KIND_VIP: 'ENDPOINT_KIND_VIP',
} as const;

/**
 * Who holds an endpoint address.
 */
export type EndpointKind =
  /**
   * Never sent.
   */
  | 'ENDPOINT_KIND_UNSPECIFIED'
  | 0
  /**
   * A service task.
   */
  | 'ENDPOINT_KIND_TASK'
  | 1
  /**
   * A standalone container (attachable networks only).
   */
  | 'ENDPOINT_KIND_CONTAINER'
  | 2
  /**
   * A service's virtual IP (owner_id is the service's ID, owner_name its name; no node).
   */
  | 'ENDPOINT_KIND_VIP'
  | 3

/**
 * Who holds an endpoint address.
 */
export type EndpointKind__Output = typeof EndpointKind[keyof typeof EndpointKind]
