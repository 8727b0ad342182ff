// Original file: proto/shoal/v1/watch.proto

import type { ObjectKind as _shoal_v1_ObjectKind, ObjectKind__Output as _shoal_v1_ObjectKind__Output } from '../../shoal/v1/ObjectKind.js';
import type { Long } from '@grpc/proto-loader';

/**
 * Request for Watch.
 */
export interface WatchRequest {
  /**
   * Kinds to watch; empty = all kinds.
   */
  'kinds'?: (_shoal_v1_ObjectKind)[];
  /**
   * Replay changes with version > this before live events; 0 = live events only.
   */
  'resumeFromVersion'?: (number | string | Long);
  /**
   * Replay changes with sequence > this before live events; 0 = not set.
   * Takes precedence over resume_from_version.
   */
  'resumeAfterSequence'?: (number | string | Long);
}

/**
 * Request for Watch.
 */
export interface WatchRequest__Output {
  /**
   * Kinds to watch; empty = all kinds.
   */
  'kinds': (_shoal_v1_ObjectKind__Output)[];
  /**
   * Replay changes with version > this before live events; 0 = live events only.
   */
  'resumeFromVersion': (number);
  /**
   * Replay changes with sequence > this before live events; 0 = not set.
   * Takes precedence over resume_from_version.
   */
  'resumeAfterSequence': (number);
}
