// Original file: proto/shoal/v1/control.proto


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
   * Container image run through the node's container engine; empty = run `command` as a process.
   */
  'image'?: (string);
  /**
   * With an image: "missing" (default when empty), "always" or "never".
   */
  'pull'?: (string);
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
   * Container image run through the node's container engine; empty = run `command` as a process.
   */
  'image': (string);
  /**
   * With an image: "missing" (default when empty), "always" or "never".
   */
  'pull': (string);
}
