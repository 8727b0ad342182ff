// Original file: proto/shoal/v1/control.proto


/**
 * One network of a container created with its attachments (CreateContainerRequest.networks).
 */
export interface ContainerNetworkRequest {
  /**
   * Network ID, unique ID prefix, or name; it must be attachable.
   */
  'network'?: (string);
  /**
   * A specific IP to allocate; empty = the next free address.
   */
  'requestedAddress'?: (string);
}

/**
 * One network of a container created with its attachments (CreateContainerRequest.networks).
 */
export interface ContainerNetworkRequest__Output {
  /**
   * Network ID, unique ID prefix, or name; it must be attachable.
   */
  'network': (string);
  /**
   * A specific IP to allocate; empty = the next free address.
   */
  'requestedAddress': (string);
}
