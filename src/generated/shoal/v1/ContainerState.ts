// Original file: proto/shoal/v1/objects.proto

/**
 * The state of a standalone container.
 */
export const ContainerState = {
  /**
   * Not set; never stored.
   */
  CONTAINER_STATE_UNSPECIFIED: 'CONTAINER_STATE_UNSPECIFIED',
  /**
   * Created, not yet started.
   */
  CONTAINER_STATE_CREATED: 'CONTAINER_STATE_CREATED',
  /**
   * The process runs.
   */
  CONTAINER_STATE_RUNNING: 'CONTAINER_STATE_RUNNING',
  /**
   * The process exited.
   */
  CONTAINER_STATE_EXITED: 'CONTAINER_STATE_EXITED',
  /**
   * Its node is down; state unknown.
   */
  CONTAINER_STATE_DEAD: 'CONTAINER_STATE_DEAD',
} as const;

/**
 * The state of a standalone container.
 */
export type ContainerState =
  /**
   * Not set; never stored.
   */
  | 'CONTAINER_STATE_UNSPECIFIED'
  | 0
  /**
   * Created, not yet started.
   */
  | 'CONTAINER_STATE_CREATED'
  | 1
  /**
   * The process runs.
   */
  | 'CONTAINER_STATE_RUNNING'
  | 2
  /**
   * The process exited.
   */
  | 'CONTAINER_STATE_EXITED'
  | 3
  /**
   * Its node is down; state unknown.
   */
  | 'CONTAINER_STATE_DEAD'
  | 4

/**
 * The state of a standalone container.
 */
export type ContainerState__Output = typeof ContainerState[keyof typeof ContainerState]
