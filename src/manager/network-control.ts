import type * as grpc from '@grpc/grpc-js';
import type { ControlHandlers } from '../generated/shoal/v1/Control.js';
import type { Manager } from './manager.js';

/** Control API methods for networks and containers (filled in by the network-allocator work). */
export function networkControlHandlers(_m: Manager): Partial<ControlHandlers> {
  return {};
}

/** Extra gRPC services of the network layer (ResourceAllocator). */
export function addNetworkServices(_server: grpc.Server, _m: Manager): void {}
