// Original file: proto/shoal/v1/dispatcher.proto


/**
 * An endpoint of a network on another node: what the receiving node programs as a static
 * neighbour and forwarding entry (no learning from traffic, no multicast). Sent only to nodes
 * with an endpoint on the network: all of them in the complete set, then changes.
 */
export interface NetworkPeer {
  /**
   * The attachment ID (the key of the entry).
   */
  'id'?: (string);
  /**
   * The network.
   */
  'networkId'?: (string);
  /**
   * The endpoint's IP address, without prefix.
   */
  'address'?: (string);
  /**
   * Its MAC address: 02:42 followed by the four bytes of the IP.
   */
  'mac'?: (string);
  /**
   * The node that holds it.
   */
  'nodeId'?: (string);
  /**
   * That node's data-path address (the VXLAN tunnel endpoint).
   */
  'dataPathAddr'?: (string);
}

/**
 * An endpoint of a network on another node: what the receiving node programs as a static
 * neighbour and forwarding entry (no learning from traffic, no multicast). Sent only to nodes
 * with an endpoint on the network: all of them in the complete set, then changes.
 */
export interface NetworkPeer__Output {
  /**
   * The attachment ID (the key of the entry).
   */
  'id': (string);
  /**
   * The network.
   */
  'networkId': (string);
  /**
   * The endpoint's IP address, without prefix.
   */
  'address': (string);
  /**
   * Its MAC address: 02:42 followed by the four bytes of the IP.
   */
  'mac': (string);
  /**
   * The node that holds it.
   */
  'nodeId': (string);
  /**
   * That node's data-path address (the VXLAN tunnel endpoint).
   */
  'dataPathAddr': (string);
}
