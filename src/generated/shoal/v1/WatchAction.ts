// Original file: proto/shoal/v1/watch.proto

/**
 * What happened to the object.
 */
export const WatchAction = {
  /**
   * Not set; never sent.
   */
  WATCH_ACTION_UNSPECIFIED: 'WATCH_ACTION_UNSPECIFIED',
  /**
   * The object was created.
   */
  WATCH_ACTION_CREATE: 'WATCH_ACTION_CREATE',
  /**
   * The object changed.
   */
  WATCH_ACTION_UPDATE: 'WATCH_ACTION_UPDATE',
  /**
   * The object was removed (the event carries its last state).
   */
  WATCH_ACTION_DELETE: 'WATCH_ACTION_DELETE',
} as const;

/**
 * What happened to the object.
 */
export type WatchAction =
  /**
   * Not set; never sent.
   */
  | 'WATCH_ACTION_UNSPECIFIED'
  | 0
  /**
   * The object was created.
   */
  | 'WATCH_ACTION_CREATE'
  | 1
  /**
   * The object changed.
   */
  | 'WATCH_ACTION_UPDATE'
  | 2
  /**
   * The object was removed (the event carries its last state).
   */
  | 'WATCH_ACTION_DELETE'
  | 3

/**
 * What happened to the object.
 */
export type WatchAction__Output = typeof WatchAction[keyof typeof WatchAction]
