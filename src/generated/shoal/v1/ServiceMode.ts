// Original file: proto/shoal/v1/objects.proto

/**
 * How many tasks a service runs.
 */
export const ServiceMode = {
  /**
   * Not set; never stored.
   */
  SERVICE_MODE_UNSPECIFIED: 'SERVICE_MODE_UNSPECIFIED',
  /**
   * A fixed number of tasks (Service.replicas).
   */
  SERVICE_MODE_REPLICATED: 'SERVICE_MODE_REPLICATED',
  /**
   * One task on every eligible node.
   */
  SERVICE_MODE_GLOBAL: 'SERVICE_MODE_GLOBAL',
} as const;

/**
 * How many tasks a service runs.
 */
export type ServiceMode =
  /**
   * Not set; never stored.
   */
  | 'SERVICE_MODE_UNSPECIFIED'
  | 0
  /**
   * A fixed number of tasks (Service.replicas).
   */
  | 'SERVICE_MODE_REPLICATED'
  | 1
  /**
   * One task on every eligible node.
   */
  | 'SERVICE_MODE_GLOBAL'
  | 2

/**
 * How many tasks a service runs.
 */
export type ServiceMode__Output = typeof ServiceMode[keyof typeof ServiceMode]
