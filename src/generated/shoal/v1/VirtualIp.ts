// Original file: proto/shoal/v1/objects.proto


/**
 * A service's virtual IP on one network, allocated by that network's IPAM.
 */
export interface VirtualIp {
  /**
   * ID of the network.
   */
  'networkId'?: (string);
  /**
   * Name of the network (for display; the ID is authoritative).
   */
  'networkName'?: (string);
  /**
   * The VIP with the subnet's prefix length, e.g. "10.0.1.2/24".
   */
  'address'?: (string);
}

/**
 * A service's virtual IP on one network, allocated by that network's IPAM.
 */
export interface VirtualIp__Output {
  /**
   * ID of the network.
   */
  'networkId': (string);
  /**
   * Name of the network (for display; the ID is authoritative).
   */
  'networkName': (string);
  /**
   * The VIP with the subnet's prefix length, e.g. "10.0.1.2/24".
   */
  'address': (string);
}
