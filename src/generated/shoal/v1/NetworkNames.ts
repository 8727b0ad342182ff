// Original file: proto/shoal/v1/dispatcher.proto

import type { ServiceNames as _shoal_v1_ServiceNames, ServiceNames__Output as _shoal_v1_ServiceNames__Output } from '../../shoal/v1/ServiceNames.js';
import type { EndpointNames as _shoal_v1_EndpointNames, EndpointNames__Output as _shoal_v1_EndpointNames__Output } from '../../shoal/v1/EndpointNames.js';

/**
 * Every name on one network.
 */
export interface NetworkNames {
  /**
   * Network ID.
   */
  'networkId'?: (string);
  /**
   * Network name.
   */
  'networkName'?: (string);
  /**
   * The services attached to it.
   */
  'services'?: (_shoal_v1_ServiceNames)[];
  /**
   * Its running tasks and containers.
   */
  'endpoints'?: (_shoal_v1_EndpointNames)[];
}

/**
 * Every name on one network.
 */
export interface NetworkNames__Output {
  /**
   * Network ID.
   */
  'networkId': (string);
  /**
   * Network name.
   */
  'networkName': (string);
  /**
   * The services attached to it.
   */
  'services': (_shoal_v1_ServiceNames__Output)[];
  /**
   * Its running tasks and containers.
   */
  'endpoints': (_shoal_v1_EndpointNames__Output)[];
}
