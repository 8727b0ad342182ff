// Original file: proto/shoal/v1/objects.proto

import type { ContainerState as _shoal_v1_ContainerState, ContainerState__Output as _shoal_v1_ContainerState__Output } from '../../shoal/v1/ContainerState.js';
import type { NetworkAttachment as _shoal_v1_NetworkAttachment, NetworkAttachment__Output as _shoal_v1_NetworkAttachment__Output } from '../../shoal/v1/NetworkAttachment.js';
import type { Long } from '@grpc/proto-loader';

/**
 * A standalone workload on one node, outside any service
 * (`shoal container run`, `shoal compose up`).
 */
export interface Container {
  /**
   * Container ID.
   */
  'id'?: (string);
  /**
   * Unique name.
   */
  'name'?: (string);
  /**
   * Operator-set labels.
   */
  'labels'?: ({[key: string]: string});
  /**
   * Creation time, Unix ms.
   */
  'createdUnixMs'?: (number | string | Long);
  /**
   * Last change time, Unix ms.
   */
  'updatedUnixMs'?: (number | string | Long);
  /**
   * Raft index of the last change.
   */
  'version'?: (number | string | Long);
  /**
   * ID of the node it runs on.
   */
  'nodeId'?: (string);
  /**
   * Executable to run.
   */
  'command'?: (string);
  /**
   * Arguments passed to the executable.
   */
  'args'?: (string)[];
  /**
   * Environment entries "KEY=VALUE".
   */
  'env'?: (string)[];
  /**
   * Current state.
   */
  'state'?: (_shoal_v1_ContainerState);
  /**
   * Exit code once exited; 0 otherwise.
   */
  'exitCode'?: (number);
  /**
   * Addresses on attachable networks.
   */
  'attachments'?: (_shoal_v1_NetworkAttachment)[];
  /**
   * Extra DNS names of the container on each of its networks (`--network-alias`).
   */
  'networkAliases'?: (string)[];
  /**
   * Container image it runs through the node's engine; empty = a process.
   */
  'image'?: (string);
  /**
   * With an image: when the node pulls it ("missing", "always", "never"; empty = missing).
   */
  'pull'?: (string);
}

/**
 * A standalone workload on one node, outside any service
 * (`shoal container run`, `shoal compose up`).
 */
export interface Container__Output {
  /**
   * Container ID.
   */
  'id': (string);
  /**
   * Unique name.
   */
  'name': (string);
  /**
   * Operator-set labels.
   */
  'labels': ({[key: string]: string});
  /**
   * Creation time, Unix ms.
   */
  'createdUnixMs': (number);
  /**
   * Last change time, Unix ms.
   */
  'updatedUnixMs': (number);
  /**
   * Raft index of the last change.
   */
  'version': (number);
  /**
   * ID of the node it runs on.
   */
  'nodeId': (string);
  /**
   * Executable to run.
   */
  'command': (string);
  /**
   * Arguments passed to the executable.
   */
  'args': (string)[];
  /**
   * Environment entries "KEY=VALUE".
   */
  'env': (string)[];
  /**
   * Current state.
   */
  'state': (_shoal_v1_ContainerState__Output);
  /**
   * Exit code once exited; 0 otherwise.
   */
  'exitCode': (number);
  /**
   * Addresses on attachable networks.
   */
  'attachments': (_shoal_v1_NetworkAttachment__Output)[];
  /**
   * Extra DNS names of the container on each of its networks (`--network-alias`).
   */
  'networkAliases': (string)[];
  /**
   * Container image it runs through the node's engine; empty = a process.
   */
  'image': (string);
  /**
   * With an image: when the node pulls it ("missing", "always", "never"; empty = missing).
   */
  'pull': (string);
}
