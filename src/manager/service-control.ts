import type * as grpc from '@grpc/grpc-js';
import type { ControlHandlers } from '../generated/shoal/v1/Control.js';
import type { Manager } from './manager.js';

/** Control API methods for services and tasks (filled in by the object-model work). */
export function serviceControlHandlers(_m: Manager): Partial<ControlHandlers> {
  return {};
}

/** Extra gRPC services of the object model (Watch). */
export function addServiceServices(_server: grpc.Server, _m: Manager): void {}
