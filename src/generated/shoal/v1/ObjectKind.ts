// Original file: proto/shoal/v1/watch.proto

/**
 * The kinds of objects that can be watched.
 */
export const ObjectKind = {
  /**
   * Not set; invalid in a request.
   */
  OBJECT_KIND_UNSPECIFIED: 'OBJECT_KIND_UNSPECIFIED',
  /**
   * Node.
   */
  OBJECT_KIND_NODE: 'OBJECT_KIND_NODE',
  /**
   * Network.
   */
  OBJECT_KIND_NETWORK: 'OBJECT_KIND_NETWORK',
  /**
   * Service.
   */
  OBJECT_KIND_SERVICE: 'OBJECT_KIND_SERVICE',
  /**
   * Task.
   */
  OBJECT_KIND_TASK: 'OBJECT_KIND_TASK',
  /**
   * Container.
   */
  OBJECT_KIND_CONTAINER: 'OBJECT_KIND_CONTAINER',
  /**
   * Cluster.
   */
  OBJECT_KIND_CLUSTER: 'OBJECT_KIND_CLUSTER',
} as const;

/**
 * The kinds of objects that can be watched.
 */
export type ObjectKind =
  /**
   * Not set; invalid in a request.
   */
  | 'OBJECT_KIND_UNSPECIFIED'
  | 0
  /**
   * Node.
   */
  | 'OBJECT_KIND_NODE'
  | 1
  /**
   * Network.
   */
  | 'OBJECT_KIND_NETWORK'
  | 2
  /**
   * Service.
   */
  | 'OBJECT_KIND_SERVICE'
  | 3
  /**
   * Task.
   */
  | 'OBJECT_KIND_TASK'
  | 4
  /**
   * Container.
   */
  | 'OBJECT_KIND_CONTAINER'
  | 5
  /**
   * Cluster.
   */
  | 'OBJECT_KIND_CLUSTER'
  | 6

/**
 * The kinds of objects that can be watched.
 */
export type ObjectKind__Output = typeof ObjectKind[keyof typeof ObjectKind]
