// Original file: proto/shoal/v1/dispatcher.proto

import type { EndpointMode as _shoal_v1_EndpointMode, EndpointMode__Output as _shoal_v1_EndpointMode__Output } from '../../shoal/v1/EndpointMode.js';

/**
 * A service on one network, as the resolver needs it.
 */
export interface ServiceNames {
  /**
   * Service ID.
   */
  'id'?: (string);
  /**
   * Service name.
   */
  'name'?: (string);
  /**
   * Its network aliases.
   */
  'aliases'?: (string)[];
  /**
   * VIP or DNS round robin.
   */
  'endpointMode'?: (_shoal_v1_EndpointMode);
  /**
   * Its VIP on this network (dotted IPv4, no prefix); empty when it has none.
   */
  'vip'?: (string);
}

/**
 * A service on one network, as the resolver needs it.
 */
export interface ServiceNames__Output {
  /**
   * Service ID.
   */
  'id': (string);
  /**
   * Service name.
   */
  'name': (string);
  /**
   * Its network aliases.
   */
  'aliases': (string)[];
  /**
   * VIP or DNS round robin.
   */
  'endpointMode': (_shoal_v1_EndpointMode__Output);
  /**
   * Its VIP on this network (dotted IPv4, no prefix); empty when it has none.
   */
  'vip': (string);
}
