// Original file: proto/shoal/v1/dispatcher.proto

/**
 * Who a name belongs to.
 */
export const NameOwnerKind = {
  /**
   * Never sent.
   */
  NAME_OWNER_KIND_UNSPECIFIED: 'NAME_OWNER_KIND_UNSPECIFIED',
  /**
   * A running task of a service.
   */
  NAME_OWNER_KIND_TASK: 'NAME_OWNER_KIND_TASK',
  /**
   * A running standalone container.
   */
  NAME_OWNER_KIND_CONTAINER: 'NAME_OWNER_KIND_CONTAINER',
} as const;

/**
 * Who a name belongs to.
 */
export type NameOwnerKind =
  /**
   * Never sent.
   */
  | 'NAME_OWNER_KIND_UNSPECIFIED'
  | 0
  /**
   * A running task of a service.
   */
  | 'NAME_OWNER_KIND_TASK'
  | 1
  /**
   * A running standalone container.
   */
  | 'NAME_OWNER_KIND_CONTAINER'
  | 2

/**
 * Who a name belongs to.
 */
export type NameOwnerKind__Output = typeof NameOwnerKind[keyof typeof NameOwnerKind]
