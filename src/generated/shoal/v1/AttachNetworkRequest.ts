// Original file: proto/shoal/v1/allocator.proto


/**
 * Request for AttachNetwork.
 */
export interface AttachNetworkRequest {
  /**
   * Network ID, unique ID prefix, or name.
   */
  'network'?: (string);
  /**
   * ID of the container the address is for (may be chosen by the client before CreateContainer).
   */
  'containerId'?: (string);
  /**
   * Node.id of the node the container runs on.
   */
  'nodeId'?: (string);
  /**
   * A specific IP to allocate; empty = any free address.
   */
  'requestedAddress'?: (string);
}

/**
 * Request for AttachNetwork.
 */
export interface AttachNetworkRequest__Output {
  /**
   * Network ID, unique ID prefix, or name.
   */
  'network': (string);
  /**
   * ID of the container the address is for (may be chosen by the client before CreateContainer).
   */
  'containerId': (string);
  /**
   * Node.id of the node the container runs on.
   */
  'nodeId': (string);
  /**
   * A specific IP to allocate; empty = any free address.
   */
  'requestedAddress': (string);
}
