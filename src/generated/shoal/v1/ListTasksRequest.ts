// Original file: proto/shoal/v1/control.proto

import type { ListFilter as _shoal_v1_ListFilter, ListFilter__Output as _shoal_v1_ListFilter__Output } from '../../shoal/v1/ListFilter.js';
import type { TaskState as _shoal_v1_TaskState, TaskState__Output as _shoal_v1_TaskState__Output } from '../../shoal/v1/TaskState.js';

/**
 * Request for ListTasks.
 */
export interface ListTasksRequest {
  /**
   * Names, ID prefixes, labels.
   */
  'filter'?: (_shoal_v1_ListFilter | null);
  /**
   * Only tasks of these services (IDs); empty = all.
   */
  'serviceIds'?: (string)[];
  /**
   * Only tasks on these nodes (IDs); empty = all.
   */
  'nodeIds'?: (string)[];
  /**
   * Only tasks whose desired state is one of these; empty = all.
   */
  'desiredStates'?: (_shoal_v1_TaskState)[];
}

/**
 * Request for ListTasks.
 */
export interface ListTasksRequest__Output {
  /**
   * Names, ID prefixes, labels.
   */
  'filter': (_shoal_v1_ListFilter__Output | null);
  /**
   * Only tasks of these services (IDs); empty = all.
   */
  'serviceIds': (string)[];
  /**
   * Only tasks on these nodes (IDs); empty = all.
   */
  'nodeIds': (string)[];
  /**
   * Only tasks whose desired state is one of these; empty = all.
   */
  'desiredStates': (_shoal_v1_TaskState__Output)[];
}
