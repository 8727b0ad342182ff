// Original file: proto/shoal/v1/dispatcher.proto

import type { AssignmentsType as _shoal_v1_AssignmentsType, AssignmentsType__Output as _shoal_v1_AssignmentsType__Output } from '../../shoal/v1/AssignmentsType.js';
import type { AssignmentChange as _shoal_v1_AssignmentChange, AssignmentChange__Output as _shoal_v1_AssignmentChange__Output } from '../../shoal/v1/AssignmentChange.js';

/**
 * A set of assignment changes.
 */
export interface AssignmentsMessage {
  /**
   * COMPLETE or INCREMENTAL.
   */
  'type'?: (_shoal_v1_AssignmentsType);
  /**
   * The sequence this message applies on top of (INCREMENTAL); empty for COMPLETE.
   */
  'appliesTo'?: (string);
  /**
   * The sequence the worker is at after applying this message.
   */
  'resultsIn'?: (string);
  /**
   * The changes, applied in order.
   */
  'changes'?: (_shoal_v1_AssignmentChange)[];
}

/**
 * A set of assignment changes.
 */
export interface AssignmentsMessage__Output {
  /**
   * COMPLETE or INCREMENTAL.
   */
  'type': (_shoal_v1_AssignmentsType__Output);
  /**
   * The sequence this message applies on top of (INCREMENTAL); empty for COMPLETE.
   */
  'appliesTo': (string);
  /**
   * The sequence the worker is at after applying this message.
   */
  'resultsIn': (string);
  /**
   * The changes, applied in order.
   */
  'changes': (_shoal_v1_AssignmentChange__Output)[];
}
