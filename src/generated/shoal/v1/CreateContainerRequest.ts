// Original file: proto/shoal/v1/control.proto

import type { ContainerNetworkRequest as _shoal_v1_ContainerNetworkRequest, ContainerNetworkRequest__Output as _shoal_v1_ContainerNetworkRequest__Output } from '../../shoal/v1/ContainerNetworkRequest.js';

/**
 * Request for CreateContainer.
 */
export interface CreateContainerRequest {
  /**
   * Unique name; empty = generated.
   */
  'name'?: (string);
  /**
   * Node ID the container runs on.
   */
  'nodeId'?: (string);
  /**
   * Executable.
   */
  'command'?: (string);
  /**
   * Arguments.
   */
  'args'?: (string)[];
  /**
   * Environment entries "KEY=VALUE".
   */
  'env'?: (string)[];
  /**
   * Labels.
   */
  'labels'?: ({[key: string]: string});
  /**
   * IDs of attachments already made with ResourceAllocator.AttachNetwork.
   */
  'attachmentIds'?: (string)[];
  /**
   * Client request ID (1-128 letters, digits, '_', '.', '-'): a repeat with the same ID returns
   * the first request's result instead of acting twice (see docs/api.md "Idempotent writes").
   * Empty = no deduplication.
   */
  'requestId'?: (string);
  /**
   * Networks to attach in the same replicated command as the container's record: the
   * container and its addresses exist together or not at all (no address is left held if the
   * client dies mid-call). Use this rather than AttachNetwork + attachment_ids.
   */
  'networks'?: (_shoal_v1_ContainerNetworkRequest)[];
  /**
   * Container image run through the node's container engine; empty = run `command` as a process.
   */
  'image'?: (string);
  /**
   * With an image: "missing" (default when empty), "always" or "never".
   */
  'pull'?: (string);
  /**
   * Extra DNS names of the container on each of its networks (fields 12-19 are free).
   */
  'networkAliases'?: (string)[];
}

/**
 * Request for CreateContainer.
 */
export interface CreateContainerRequest__Output {
  /**
   * Unique name; empty = generated.
   */
  'name': (string);
  /**
   * Node ID the container runs on.
   */
  'nodeId': (string);
  /**
   * Executable.
   */
  'command': (string);
  /**
   * Arguments.
   */
  'args': (string)[];
  /**
   * Environment entries "KEY=VALUE".
   */
  'env': (string)[];
  /**
   * Labels.
   */
  'labels': ({[key: string]: string});
  /**
   * IDs of attachments already made with ResourceAllocator.AttachNetwork.
   */
  'attachmentIds': (string)[];
  /**
   * Client request ID (1-128 letters, digits, '_', '.', '-'): a repeat with the same ID returns
   * the first request's result instead of acting twice (see docs/api.md "Idempotent writes").
   * Empty = no deduplication.
   */
  'requestId': (string);
  /**
   * Networks to attach in the same replicated command as the container's record: the
   * container and its addresses exist together or not at all (no address is left held if the
   * client dies mid-call). Use this rather than AttachNetwork + attachment_ids.
   */
  'networks': (_shoal_v1_ContainerNetworkRequest__Output)[];
  /**
   * Container image run through the node's container engine; empty = run `command` as a process.
   */
  'image': (string);
  /**
   * With an image: "missing" (default when empty), "always" or "never".
   */
  'pull': (string);
  /**
   * Extra DNS names of the container on each of its networks (fields 12-19 are free).
   */
  'networkAliases': (string)[];
}
