/**
 * Client calls for networks, containers and the network diagnostics, as functions taking an
 * Api (bin/client.ts stays the node commands' module).
 */
import * as grpc from '@grpc/grpc-js';
import type { Api } from '../client.js';
import { unaryCall } from '../client.js';
import type { CreateNetworkRequest } from '../../src/generated/shoal/v1/CreateNetworkRequest.js';
import type { CreateNetworkResponse__Output } from '../../src/generated/shoal/v1/CreateNetworkResponse.js';
import type { ListNetworksResponse__Output } from '../../src/generated/shoal/v1/ListNetworksResponse.js';
import type { GetNetworkResponse__Output } from '../../src/generated/shoal/v1/GetNetworkResponse.js';
import type { RemoveNetworkResponse__Output } from '../../src/generated/shoal/v1/RemoveNetworkResponse.js';
import type { ListContainersResponse__Output } from '../../src/generated/shoal/v1/ListContainersResponse.js';
import type { GetContainerResponse__Output } from '../../src/generated/shoal/v1/GetContainerResponse.js';
import type { RemoveContainerResponse__Output } from '../../src/generated/shoal/v1/RemoveContainerResponse.js';
import type { CheckNetworksReply, InspectNetworkReply } from '../../src/manager/allocator-service.js';
import { diagnosticsDefinition } from '../../src/manager/allocator-service.js';

export function createNetwork(api: Api, req: CreateNetworkRequest): Promise<CreateNetworkResponse__Output> {
  return unaryCall(api.target, (md, o, cb) => api.control.CreateNetwork(req, md, o, cb));
}
export function listNetworks(api: Api): Promise<ListNetworksResponse__Output> {
  return unaryCall(api.target, (md, o, cb) => api.control.ListNetworks({}, md, o, cb));
}
export function getNetwork(api: Api, ref: string): Promise<GetNetworkResponse__Output> {
  return unaryCall(api.target, (md, o, cb) => api.control.GetNetwork({ ref }, md, o, cb));
}
export function removeNetwork(api: Api, ref: string): Promise<RemoveNetworkResponse__Output> {
  return unaryCall(api.target, (md, o, cb) => api.control.RemoveNetwork({ ref }, md, o, cb));
}
export function listContainers(api: Api): Promise<ListContainersResponse__Output> {
  return unaryCall(api.target, (md, o, cb) => api.control.ListContainers({}, md, o, cb));
}
export function getContainer(api: Api, ref: string): Promise<GetContainerResponse__Output> {
  return unaryCall(api.target, (md, o, cb) => api.control.GetContainer({ ref }, md, o, cb));
}
export function removeContainer(api: Api, ref: string): Promise<RemoveContainerResponse__Output> {
  return unaryCall(api.target, (md, o, cb) => api.control.RemoveContainer({ ref }, md, o, cb));
}

type DiagnosticsClient = grpc.Client & Record<'InspectNetwork' | 'CheckNetworks', (req: unknown, md: grpc.Metadata, o: grpc.CallOptions, cb: grpc.requestCallback<unknown>) => grpc.ClientUnaryCall>;
const Diagnostics = grpc.makeGenericClientConstructor(diagnosticsDefinition, 'NetworkDiagnostics');

function withDiagnostics<T>(api: Api, fn: (c: DiagnosticsClient) => Promise<T>): Promise<T> {
  // Shares the Control client's channel: no second connection.
  const c = new Diagnostics(api.target, grpc.credentials.createInsecure(), { channelOverride: api.control.getChannel() }) as unknown as DiagnosticsClient;
  return fn(c);
}

export function inspectNetwork(api: Api, ref: string): Promise<InspectNetworkReply> {
  return withDiagnostics(api, (c) => unaryCall<unknown>(api.target, (md, o, cb) => c.InspectNetwork({ ref }, md, o, cb)) as Promise<InspectNetworkReply>);
}
export function checkNetworks(api: Api, ref: string): Promise<CheckNetworksReply> {
  return withDiagnostics(api, (c) => unaryCall<unknown>(api.target, (md, o, cb) => c.CheckNetworks({ ref }, md, o, cb)) as Promise<CheckNetworksReply>);
}
