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
   * Extra DNS names of the container on each of its networks (numbered apart from fields 8-19,
   * which concurrent changes to this message may take).
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
   * Extra DNS names of the container on each of its networks (numbered apart from fields 8-19,
   * which concurrent changes to this message may take).
   */
  'networkAliases': (string)[];
}
