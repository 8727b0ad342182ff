/**
 * Client calls for networks and containers, as functions taking an
 * Api (bin/client.ts stays the node commands' module).
 */
import type { Api } from '../client.js';
import { unaryCall } from '../client.js';
import { writeCall } from '../write-call.js';
import type { CreateNetworkRequest } from '../../src/generated/shoal/v1/CreateNetworkRequest.js';
import type { CreateNetworkResponse__Output } from '../../src/generated/shoal/v1/CreateNetworkResponse.js';
import type { ListNetworksResponse__Output } from '../../src/generated/shoal/v1/ListNetworksResponse.js';
import type { GetNetworkResponse__Output } from '../../src/generated/shoal/v1/GetNetworkResponse.js';
import type { RemoveNetworkResponse__Output } from '../../src/generated/shoal/v1/RemoveNetworkResponse.js';
import type { ListContainersResponse__Output } from '../../src/generated/shoal/v1/ListContainersResponse.js';
import type { GetContainerResponse__Output } from '../../src/generated/shoal/v1/GetContainerResponse.js';
import type { RemoveContainerResponse__Output } from '../../src/generated/shoal/v1/RemoveContainerResponse.js';
import * as grpc from '@grpc/grpc-js';
import { loadProtos } from '../../src/proto/load.js';
import type { CreateContainerRequest } from '../../src/generated/shoal/v1/CreateContainerRequest.js';
import type { CreateContainerResponse__Output } from '../../src/generated/shoal/v1/CreateContainerResponse.js';
import type { UpdateContainerRequest } from '../../src/generated/shoal/v1/UpdateContainerRequest.js';
import type { UpdateContainerResponse__Output } from '../../src/generated/shoal/v1/UpdateContainerResponse.js';
import type { AttachNetworkRequest } from '../../src/generated/shoal/v1/AttachNetworkRequest.js';
import type { AttachNetworkResponse__Output } from '../../src/generated/shoal/v1/AttachNetworkResponse.js';
import type { DetachNetworkResponse__Output } from '../../src/generated/shoal/v1/DetachNetworkResponse.js';
import type { ResourceAllocatorClient } from '../../src/generated/shoal/v1/ResourceAllocator.js';
import type { RemoveNetworkRequest } from '../../src/generated/shoal/v1/RemoveNetworkRequest.js';
import type { RemoveContainerRequest } from '../../src/generated/shoal/v1/RemoveContainerRequest.js';
import type { DetachNetworkRequest } from '../../src/generated/shoal/v1/DetachNetworkRequest.js';
import type { CheckNetworksResponse__Output } from '../../src/generated/shoal/v1/CheckNetworksResponse.js';

export function createNetwork(api: Api, req: CreateNetworkRequest): Promise<CreateNetworkResponse__Output> {
  return writeCall(api.target, req, (r, md, o, cb) => api.control.CreateNetwork(r, md, o, cb), `shoal network inspect ${req.name ?? ''}`);
}
export function listNetworks(api: Api): Promise<ListNetworksResponse__Output> {
  return unaryCall(api.target, (md, o, cb) => api.control.ListNetworks({}, md, o, cb));
}
export function getNetwork(api: Api, ref: string): Promise<GetNetworkResponse__Output> {
  return unaryCall(api.target, (md, o, cb) => api.control.GetNetwork({ ref }, md, o, cb));
}
export function removeNetwork(api: Api, ref: string): Promise<RemoveNetworkResponse__Output> {
  return writeCall<RemoveNetworkRequest, RemoveNetworkResponse__Output>(api.target, { ref }, (r, md, o, cb) => api.control.RemoveNetwork(r, md, o, cb), `shoal network inspect ${ref}`);
}
export function listContainers(api: Api): Promise<ListContainersResponse__Output> {
  return unaryCall(api.target, (md, o, cb) => api.control.ListContainers({}, md, o, cb));
}
export function getContainer(api: Api, ref: string): Promise<GetContainerResponse__Output> {
  return unaryCall(api.target, (md, o, cb) => api.control.GetContainer({ ref }, md, o, cb));
}
export function removeContainer(api: Api, ref: string): Promise<RemoveContainerResponse__Output> {
  return writeCall<RemoveContainerRequest, RemoveContainerResponse__Output>(api.target, { ref }, (r, md, o, cb) => api.control.RemoveContainer(r, md, o, cb), `shoal container inspect ${ref}`);
}

export function checkNetworks(api: Api, ref: string): Promise<CheckNetworksResponse__Output> {
  return unaryCall(api.target, (md, o, cb) => api.control.CheckNetworks({ ref }, md, o, cb));
}

/** `check`: how the user finds out whether it exists (the name, when it has one). */
export function createContainer(api: Api, req: CreateContainerRequest, check: string): Promise<CreateContainerResponse__Output> {
  return writeCall(api.target, req, (r, md, o, cb) => api.control.CreateContainer(r, md, o, cb), check);
}
export function updateContainer(api: Api, req: UpdateContainerRequest): Promise<UpdateContainerResponse__Output> {
  return writeCall(api.target, req, (r, md, o, cb) => api.control.UpdateContainer(r, md, o, cb), `shoal container inspect ${req.ref ?? ''}`);
}

/** The ResourceAllocator on the same channel as the Control client. */
function allocator(api: Api): ResourceAllocatorClient {
  return new (loadProtos().grpcObject.shoal.v1.ResourceAllocator)(api.target, grpc.credentials.createInsecure(), { channelOverride: api.control.getChannel() });
}
export function attachNetwork(api: Api, req: AttachNetworkRequest): Promise<AttachNetworkResponse__Output> {
  const c = allocator(api);
  return writeCall(api.target, req, (r, md, o, cb) => c.AttachNetwork(r, md, o, cb), `shoal network inspect ${req.network ?? ''}`);
}
export function detachNetwork(api: Api, attachmentId: string): Promise<DetachNetworkResponse__Output> {
  const c = allocator(api);
  return writeCall<DetachNetworkRequest, DetachNetworkResponse__Output>(api.target, { attachmentId }, (r, md, o, cb) => c.DetachNetwork(r, md, o, cb), 'shoal network inspect');
}
