/**
 * Typed calls for services, tasks and the Watch stream, on top of bin/client.ts
 * (its Api's Control client and unaryCall error mapping).
 */
import type * as grpc from '@grpc/grpc-js';
import type { Api } from './client.js';
import { unaryCall } from './client.js';
import { CLIENT_CHANNEL_OPTIONS, clientCredentials } from './tls.js';
import { writeCall } from './write-call.js';
import { loadProtos } from '../src/proto/load.js';
import type { CreateServiceRequest } from '../src/generated/shoal/v1/CreateServiceRequest.js';
import type { CreateServiceResponse__Output } from '../src/generated/shoal/v1/CreateServiceResponse.js';
import type { GetServiceRequest } from '../src/generated/shoal/v1/GetServiceRequest.js';
import type { GetServiceResponse__Output } from '../src/generated/shoal/v1/GetServiceResponse.js';
import type { ListServicesRequest } from '../src/generated/shoal/v1/ListServicesRequest.js';
import type { ListServicesResponse__Output } from '../src/generated/shoal/v1/ListServicesResponse.js';
import type { UpdateServiceRequest } from '../src/generated/shoal/v1/UpdateServiceRequest.js';
import type { UpdateServiceResponse__Output } from '../src/generated/shoal/v1/UpdateServiceResponse.js';
import type { RemoveServiceRequest } from '../src/generated/shoal/v1/RemoveServiceRequest.js';
import type { RemoveServiceResponse__Output } from '../src/generated/shoal/v1/RemoveServiceResponse.js';
import type { GetTaskRequest } from '../src/generated/shoal/v1/GetTaskRequest.js';
import type { GetTaskResponse__Output } from '../src/generated/shoal/v1/GetTaskResponse.js';
import type { ListTasksRequest } from '../src/generated/shoal/v1/ListTasksRequest.js';
import type { ListTasksResponse__Output } from '../src/generated/shoal/v1/ListTasksResponse.js';
import type { WatchClient } from '../src/generated/shoal/v1/Watch.js';
import type { WatchRequest } from '../src/generated/shoal/v1/WatchRequest.js';
import type { WatchEvent__Output } from '../src/generated/shoal/v1/WatchEvent.js';

export class ServiceApi {
  constructor(readonly api: Api) {}

  get target(): string {
    return this.api.target;
  }

  getService(req: GetServiceRequest): Promise<GetServiceResponse__Output> {
    return unaryCall(this.target, (md, o, cb) => this.api.control.GetService(req, md, o, cb));
  }
  listServices(req: ListServicesRequest = {}): Promise<ListServicesResponse__Output> {
    return unaryCall(this.target, (md, o, cb) => this.api.control.ListServices(req, md, o, cb));
  }
  createService(req: CreateServiceRequest): Promise<CreateServiceResponse__Output> {
    return writeCall(this.target, req, (r, md, o, cb) => this.api.control.CreateService(r, md, o, cb), `shoal service inspect ${req.spec?.name ?? ''}`);
  }
  updateService(req: UpdateServiceRequest): Promise<UpdateServiceResponse__Output> {
    return writeCall(this.target, req, (r, md, o, cb) => this.api.control.UpdateService(r, md, o, cb), `shoal service inspect ${req.ref ?? ''}`);
  }
  removeService(req: RemoveServiceRequest): Promise<RemoveServiceResponse__Output> {
    return writeCall(this.target, req, (r, md, o, cb) => this.api.control.RemoveService(r, md, o, cb), `shoal service ls`);
  }
  getTask(req: GetTaskRequest): Promise<GetTaskResponse__Output> {
    return unaryCall(this.target, (md, o, cb) => this.api.control.GetTask(req, md, o, cb));
  }
  listTasks(req: ListTasksRequest = {}): Promise<ListTasksResponse__Output> {
    return unaryCall(this.target, (md, o, cb) => this.api.control.ListTasks(req, md, o, cb));
  }
}

/** A Watch client for `target`; close it when done. */
export function watchClient(target: string): WatchClient {
  const v1 = loadProtos().grpcObject.shoal.v1;
  return new v1.Watch(target, clientCredentials(target), CLIENT_CHANNEL_OPTIONS);
}

export type WatchStream = grpc.ClientReadableStream<WatchEvent__Output>;

/** Opens a watch stream; the caller must attach 'error' and 'data' listeners. */
export function openWatch(client: WatchClient, req: WatchRequest): WatchStream {
  return client.Watch(req);
}
