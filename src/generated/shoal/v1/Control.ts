// Original file: proto/shoal/v1/control.proto

import type * as grpc from '@grpc/grpc-js'
import type { MethodDefinition } from '@grpc/proto-loader'
import type { CheckNetworksRequest as _shoal_v1_CheckNetworksRequest, CheckNetworksRequest__Output as _shoal_v1_CheckNetworksRequest__Output } from '../../shoal/v1/CheckNetworksRequest.js';
import type { CheckNetworksResponse as _shoal_v1_CheckNetworksResponse, CheckNetworksResponse__Output as _shoal_v1_CheckNetworksResponse__Output } from '../../shoal/v1/CheckNetworksResponse.js';
import type { CreateContainerRequest as _shoal_v1_CreateContainerRequest, CreateContainerRequest__Output as _shoal_v1_CreateContainerRequest__Output } from '../../shoal/v1/CreateContainerRequest.js';
import type { CreateContainerResponse as _shoal_v1_CreateContainerResponse, CreateContainerResponse__Output as _shoal_v1_CreateContainerResponse__Output } from '../../shoal/v1/CreateContainerResponse.js';
import type { CreateNetworkRequest as _shoal_v1_CreateNetworkRequest, CreateNetworkRequest__Output as _shoal_v1_CreateNetworkRequest__Output } from '../../shoal/v1/CreateNetworkRequest.js';
import type { CreateNetworkResponse as _shoal_v1_CreateNetworkResponse, CreateNetworkResponse__Output as _shoal_v1_CreateNetworkResponse__Output } from '../../shoal/v1/CreateNetworkResponse.js';
import type { CreateServiceRequest as _shoal_v1_CreateServiceRequest, CreateServiceRequest__Output as _shoal_v1_CreateServiceRequest__Output } from '../../shoal/v1/CreateServiceRequest.js';
import type { CreateServiceResponse as _shoal_v1_CreateServiceResponse, CreateServiceResponse__Output as _shoal_v1_CreateServiceResponse__Output } from '../../shoal/v1/CreateServiceResponse.js';
import type { GetClusterInfoRequest as _shoal_v1_GetClusterInfoRequest, GetClusterInfoRequest__Output as _shoal_v1_GetClusterInfoRequest__Output } from '../../shoal/v1/GetClusterInfoRequest.js';
import type { GetClusterInfoResponse as _shoal_v1_GetClusterInfoResponse, GetClusterInfoResponse__Output as _shoal_v1_GetClusterInfoResponse__Output } from '../../shoal/v1/GetClusterInfoResponse.js';
import type { GetContainerRequest as _shoal_v1_GetContainerRequest, GetContainerRequest__Output as _shoal_v1_GetContainerRequest__Output } from '../../shoal/v1/GetContainerRequest.js';
import type { GetContainerResponse as _shoal_v1_GetContainerResponse, GetContainerResponse__Output as _shoal_v1_GetContainerResponse__Output } from '../../shoal/v1/GetContainerResponse.js';
import type { GetJoinTokensRequest as _shoal_v1_GetJoinTokensRequest, GetJoinTokensRequest__Output as _shoal_v1_GetJoinTokensRequest__Output } from '../../shoal/v1/GetJoinTokensRequest.js';
import type { GetJoinTokensResponse as _shoal_v1_GetJoinTokensResponse, GetJoinTokensResponse__Output as _shoal_v1_GetJoinTokensResponse__Output } from '../../shoal/v1/GetJoinTokensResponse.js';
import type { GetNetworkRequest as _shoal_v1_GetNetworkRequest, GetNetworkRequest__Output as _shoal_v1_GetNetworkRequest__Output } from '../../shoal/v1/GetNetworkRequest.js';
import type { GetNetworkResponse as _shoal_v1_GetNetworkResponse, GetNetworkResponse__Output as _shoal_v1_GetNetworkResponse__Output } from '../../shoal/v1/GetNetworkResponse.js';
import type { GetNodeRequest as _shoal_v1_GetNodeRequest, GetNodeRequest__Output as _shoal_v1_GetNodeRequest__Output } from '../../shoal/v1/GetNodeRequest.js';
import type { GetNodeResponse as _shoal_v1_GetNodeResponse, GetNodeResponse__Output as _shoal_v1_GetNodeResponse__Output } from '../../shoal/v1/GetNodeResponse.js';
import type { GetServiceRequest as _shoal_v1_GetServiceRequest, GetServiceRequest__Output as _shoal_v1_GetServiceRequest__Output } from '../../shoal/v1/GetServiceRequest.js';
import type { GetServiceResponse as _shoal_v1_GetServiceResponse, GetServiceResponse__Output as _shoal_v1_GetServiceResponse__Output } from '../../shoal/v1/GetServiceResponse.js';
import type { GetTaskRequest as _shoal_v1_GetTaskRequest, GetTaskRequest__Output as _shoal_v1_GetTaskRequest__Output } from '../../shoal/v1/GetTaskRequest.js';
import type { GetTaskResponse as _shoal_v1_GetTaskResponse, GetTaskResponse__Output as _shoal_v1_GetTaskResponse__Output } from '../../shoal/v1/GetTaskResponse.js';
import type { ListContainersRequest as _shoal_v1_ListContainersRequest, ListContainersRequest__Output as _shoal_v1_ListContainersRequest__Output } from '../../shoal/v1/ListContainersRequest.js';
import type { ListContainersResponse as _shoal_v1_ListContainersResponse, ListContainersResponse__Output as _shoal_v1_ListContainersResponse__Output } from '../../shoal/v1/ListContainersResponse.js';
import type { ListNetworksRequest as _shoal_v1_ListNetworksRequest, ListNetworksRequest__Output as _shoal_v1_ListNetworksRequest__Output } from '../../shoal/v1/ListNetworksRequest.js';
import type { ListNetworksResponse as _shoal_v1_ListNetworksResponse, ListNetworksResponse__Output as _shoal_v1_ListNetworksResponse__Output } from '../../shoal/v1/ListNetworksResponse.js';
import type { ListNodesRequest as _shoal_v1_ListNodesRequest, ListNodesRequest__Output as _shoal_v1_ListNodesRequest__Output } from '../../shoal/v1/ListNodesRequest.js';
import type { ListNodesResponse as _shoal_v1_ListNodesResponse, ListNodesResponse__Output as _shoal_v1_ListNodesResponse__Output } from '../../shoal/v1/ListNodesResponse.js';
import type { ListServicesRequest as _shoal_v1_ListServicesRequest, ListServicesRequest__Output as _shoal_v1_ListServicesRequest__Output } from '../../shoal/v1/ListServicesRequest.js';
import type { ListServicesResponse as _shoal_v1_ListServicesResponse, ListServicesResponse__Output as _shoal_v1_ListServicesResponse__Output } from '../../shoal/v1/ListServicesResponse.js';
import type { ListTasksRequest as _shoal_v1_ListTasksRequest, ListTasksRequest__Output as _shoal_v1_ListTasksRequest__Output } from '../../shoal/v1/ListTasksRequest.js';
import type { ListTasksResponse as _shoal_v1_ListTasksResponse, ListTasksResponse__Output as _shoal_v1_ListTasksResponse__Output } from '../../shoal/v1/ListTasksResponse.js';
import type { RemoveContainerRequest as _shoal_v1_RemoveContainerRequest, RemoveContainerRequest__Output as _shoal_v1_RemoveContainerRequest__Output } from '../../shoal/v1/RemoveContainerRequest.js';
import type { RemoveContainerResponse as _shoal_v1_RemoveContainerResponse, RemoveContainerResponse__Output as _shoal_v1_RemoveContainerResponse__Output } from '../../shoal/v1/RemoveContainerResponse.js';
import type { RemoveNetworkRequest as _shoal_v1_RemoveNetworkRequest, RemoveNetworkRequest__Output as _shoal_v1_RemoveNetworkRequest__Output } from '../../shoal/v1/RemoveNetworkRequest.js';
import type { RemoveNetworkResponse as _shoal_v1_RemoveNetworkResponse, RemoveNetworkResponse__Output as _shoal_v1_RemoveNetworkResponse__Output } from '../../shoal/v1/RemoveNetworkResponse.js';
import type { RemoveNodeRequest as _shoal_v1_RemoveNodeRequest, RemoveNodeRequest__Output as _shoal_v1_RemoveNodeRequest__Output } from '../../shoal/v1/RemoveNodeRequest.js';
import type { RemoveNodeResponse as _shoal_v1_RemoveNodeResponse, RemoveNodeResponse__Output as _shoal_v1_RemoveNodeResponse__Output } from '../../shoal/v1/RemoveNodeResponse.js';
import type { RemoveServiceRequest as _shoal_v1_RemoveServiceRequest, RemoveServiceRequest__Output as _shoal_v1_RemoveServiceRequest__Output } from '../../shoal/v1/RemoveServiceRequest.js';
import type { RemoveServiceResponse as _shoal_v1_RemoveServiceResponse, RemoveServiceResponse__Output as _shoal_v1_RemoveServiceResponse__Output } from '../../shoal/v1/RemoveServiceResponse.js';
import type { RotateJoinTokenRequest as _shoal_v1_RotateJoinTokenRequest, RotateJoinTokenRequest__Output as _shoal_v1_RotateJoinTokenRequest__Output } from '../../shoal/v1/RotateJoinTokenRequest.js';
import type { RotateJoinTokenResponse as _shoal_v1_RotateJoinTokenResponse, RotateJoinTokenResponse__Output as _shoal_v1_RotateJoinTokenResponse__Output } from '../../shoal/v1/RotateJoinTokenResponse.js';
import type { UpdateClusterRequest as _shoal_v1_UpdateClusterRequest, UpdateClusterRequest__Output as _shoal_v1_UpdateClusterRequest__Output } from '../../shoal/v1/UpdateClusterRequest.js';
import type { UpdateClusterResponse as _shoal_v1_UpdateClusterResponse, UpdateClusterResponse__Output as _shoal_v1_UpdateClusterResponse__Output } from '../../shoal/v1/UpdateClusterResponse.js';
import type { UpdateContainerRequest as _shoal_v1_UpdateContainerRequest, UpdateContainerRequest__Output as _shoal_v1_UpdateContainerRequest__Output } from '../../shoal/v1/UpdateContainerRequest.js';
import type { UpdateContainerResponse as _shoal_v1_UpdateContainerResponse, UpdateContainerResponse__Output as _shoal_v1_UpdateContainerResponse__Output } from '../../shoal/v1/UpdateContainerResponse.js';
import type { UpdateNetworkRequest as _shoal_v1_UpdateNetworkRequest, UpdateNetworkRequest__Output as _shoal_v1_UpdateNetworkRequest__Output } from '../../shoal/v1/UpdateNetworkRequest.js';
import type { UpdateNetworkResponse as _shoal_v1_UpdateNetworkResponse, UpdateNetworkResponse__Output as _shoal_v1_UpdateNetworkResponse__Output } from '../../shoal/v1/UpdateNetworkResponse.js';
import type { UpdateNodeRequest as _shoal_v1_UpdateNodeRequest, UpdateNodeRequest__Output as _shoal_v1_UpdateNodeRequest__Output } from '../../shoal/v1/UpdateNodeRequest.js';
import type { UpdateNodeResponse as _shoal_v1_UpdateNodeResponse, UpdateNodeResponse__Output as _shoal_v1_UpdateNodeResponse__Output } from '../../shoal/v1/UpdateNodeResponse.js';
import type { UpdateServiceRequest as _shoal_v1_UpdateServiceRequest, UpdateServiceRequest__Output as _shoal_v1_UpdateServiceRequest__Output } from '../../shoal/v1/UpdateServiceRequest.js';
import type { UpdateServiceResponse as _shoal_v1_UpdateServiceResponse, UpdateServiceResponse__Output as _shoal_v1_UpdateServiceResponse__Output } from '../../shoal/v1/UpdateServiceResponse.js';

/**
 * CRUD for cluster objects, join tokens and cluster information.
 */
export interface ControlClient extends grpc.Client {
  /**
   * Verify the IPAM invariants on the live store: no duplicate address, no
   * address outside its subnet, no endpoint whose owner is gone, and the
   * allocator's state agreeing with the endpoints. Read-only.
   */
  CheckNetworks(argument: _shoal_v1_CheckNetworksRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_shoal_v1_CheckNetworksResponse__Output>): grpc.ClientUnaryCall;
  CheckNetworks(argument: _shoal_v1_CheckNetworksRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_shoal_v1_CheckNetworksResponse__Output>): grpc.ClientUnaryCall;
  CheckNetworks(argument: _shoal_v1_CheckNetworksRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_shoal_v1_CheckNetworksResponse__Output>): grpc.ClientUnaryCall;
  CheckNetworks(argument: _shoal_v1_CheckNetworksRequest, callback: grpc.requestCallback<_shoal_v1_CheckNetworksResponse__Output>): grpc.ClientUnaryCall;
  /**
   * Verify the IPAM invariants on the live store: no duplicate address, no
   * address outside its subnet, no endpoint whose owner is gone, and the
   * allocator's state agreeing with the endpoints. Read-only.
   */
  checkNetworks(argument: _shoal_v1_CheckNetworksRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_shoal_v1_CheckNetworksResponse__Output>): grpc.ClientUnaryCall;
  checkNetworks(argument: _shoal_v1_CheckNetworksRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_shoal_v1_CheckNetworksResponse__Output>): grpc.ClientUnaryCall;
  checkNetworks(argument: _shoal_v1_CheckNetworksRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_shoal_v1_CheckNetworksResponse__Output>): grpc.ClientUnaryCall;
  checkNetworks(argument: _shoal_v1_CheckNetworksRequest, callback: grpc.requestCallback<_shoal_v1_CheckNetworksResponse__Output>): grpc.ClientUnaryCall;
  
  /**
   * Record a standalone container on a node (its addresses come from ResourceAllocator).
   */
  CreateContainer(argument: _shoal_v1_CreateContainerRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_shoal_v1_CreateContainerResponse__Output>): grpc.ClientUnaryCall;
  CreateContainer(argument: _shoal_v1_CreateContainerRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_shoal_v1_CreateContainerResponse__Output>): grpc.ClientUnaryCall;
  CreateContainer(argument: _shoal_v1_CreateContainerRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_shoal_v1_CreateContainerResponse__Output>): grpc.ClientUnaryCall;
  CreateContainer(argument: _shoal_v1_CreateContainerRequest, callback: grpc.requestCallback<_shoal_v1_CreateContainerResponse__Output>): grpc.ClientUnaryCall;
  /**
   * Record a standalone container on a node (its addresses come from ResourceAllocator).
   */
  createContainer(argument: _shoal_v1_CreateContainerRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_shoal_v1_CreateContainerResponse__Output>): grpc.ClientUnaryCall;
  createContainer(argument: _shoal_v1_CreateContainerRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_shoal_v1_CreateContainerResponse__Output>): grpc.ClientUnaryCall;
  createContainer(argument: _shoal_v1_CreateContainerRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_shoal_v1_CreateContainerResponse__Output>): grpc.ClientUnaryCall;
  createContainer(argument: _shoal_v1_CreateContainerRequest, callback: grpc.requestCallback<_shoal_v1_CreateContainerResponse__Output>): grpc.ClientUnaryCall;
  
  /**
   * Create a network; without a subnet one is drawn from the default pools.
   */
  CreateNetwork(argument: _shoal_v1_CreateNetworkRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_shoal_v1_CreateNetworkResponse__Output>): grpc.ClientUnaryCall;
  CreateNetwork(argument: _shoal_v1_CreateNetworkRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_shoal_v1_CreateNetworkResponse__Output>): grpc.ClientUnaryCall;
  CreateNetwork(argument: _shoal_v1_CreateNetworkRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_shoal_v1_CreateNetworkResponse__Output>): grpc.ClientUnaryCall;
  CreateNetwork(argument: _shoal_v1_CreateNetworkRequest, callback: grpc.requestCallback<_shoal_v1_CreateNetworkResponse__Output>): grpc.ClientUnaryCall;
  /**
   * Create a network; without a subnet one is drawn from the default pools.
   */
  createNetwork(argument: _shoal_v1_CreateNetworkRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_shoal_v1_CreateNetworkResponse__Output>): grpc.ClientUnaryCall;
  createNetwork(argument: _shoal_v1_CreateNetworkRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_shoal_v1_CreateNetworkResponse__Output>): grpc.ClientUnaryCall;
  createNetwork(argument: _shoal_v1_CreateNetworkRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_shoal_v1_CreateNetworkResponse__Output>): grpc.ClientUnaryCall;
  createNetwork(argument: _shoal_v1_CreateNetworkRequest, callback: grpc.requestCallback<_shoal_v1_CreateNetworkResponse__Output>): grpc.ClientUnaryCall;
  
  /**
   * Create a service.
   */
  CreateService(argument: _shoal_v1_CreateServiceRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_shoal_v1_CreateServiceResponse__Output>): grpc.ClientUnaryCall;
  CreateService(argument: _shoal_v1_CreateServiceRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_shoal_v1_CreateServiceResponse__Output>): grpc.ClientUnaryCall;
  CreateService(argument: _shoal_v1_CreateServiceRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_shoal_v1_CreateServiceResponse__Output>): grpc.ClientUnaryCall;
  CreateService(argument: _shoal_v1_CreateServiceRequest, callback: grpc.requestCallback<_shoal_v1_CreateServiceResponse__Output>): grpc.ClientUnaryCall;
  /**
   * Create a service.
   */
  createService(argument: _shoal_v1_CreateServiceRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_shoal_v1_CreateServiceResponse__Output>): grpc.ClientUnaryCall;
  createService(argument: _shoal_v1_CreateServiceRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_shoal_v1_CreateServiceResponse__Output>): grpc.ClientUnaryCall;
  createService(argument: _shoal_v1_CreateServiceRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_shoal_v1_CreateServiceResponse__Output>): grpc.ClientUnaryCall;
  createService(argument: _shoal_v1_CreateServiceRequest, callback: grpc.requestCallback<_shoal_v1_CreateServiceResponse__Output>): grpc.ClientUnaryCall;
  
  /**
   * Cluster identity, this node, the leader, the managers and Raft progress (`shoal info`).
   */
  GetClusterInfo(argument: _shoal_v1_GetClusterInfoRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_shoal_v1_GetClusterInfoResponse__Output>): grpc.ClientUnaryCall;
  GetClusterInfo(argument: _shoal_v1_GetClusterInfoRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_shoal_v1_GetClusterInfoResponse__Output>): grpc.ClientUnaryCall;
  GetClusterInfo(argument: _shoal_v1_GetClusterInfoRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_shoal_v1_GetClusterInfoResponse__Output>): grpc.ClientUnaryCall;
  GetClusterInfo(argument: _shoal_v1_GetClusterInfoRequest, callback: grpc.requestCallback<_shoal_v1_GetClusterInfoResponse__Output>): grpc.ClientUnaryCall;
  /**
   * Cluster identity, this node, the leader, the managers and Raft progress (`shoal info`).
   */
  getClusterInfo(argument: _shoal_v1_GetClusterInfoRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_shoal_v1_GetClusterInfoResponse__Output>): grpc.ClientUnaryCall;
  getClusterInfo(argument: _shoal_v1_GetClusterInfoRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_shoal_v1_GetClusterInfoResponse__Output>): grpc.ClientUnaryCall;
  getClusterInfo(argument: _shoal_v1_GetClusterInfoRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_shoal_v1_GetClusterInfoResponse__Output>): grpc.ClientUnaryCall;
  getClusterInfo(argument: _shoal_v1_GetClusterInfoRequest, callback: grpc.requestCallback<_shoal_v1_GetClusterInfoResponse__Output>): grpc.ClientUnaryCall;
  
  /**
   * One container by reference.
   */
  GetContainer(argument: _shoal_v1_GetContainerRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_shoal_v1_GetContainerResponse__Output>): grpc.ClientUnaryCall;
  GetContainer(argument: _shoal_v1_GetContainerRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_shoal_v1_GetContainerResponse__Output>): grpc.ClientUnaryCall;
  GetContainer(argument: _shoal_v1_GetContainerRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_shoal_v1_GetContainerResponse__Output>): grpc.ClientUnaryCall;
  GetContainer(argument: _shoal_v1_GetContainerRequest, callback: grpc.requestCallback<_shoal_v1_GetContainerResponse__Output>): grpc.ClientUnaryCall;
  /**
   * One container by reference.
   */
  getContainer(argument: _shoal_v1_GetContainerRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_shoal_v1_GetContainerResponse__Output>): grpc.ClientUnaryCall;
  getContainer(argument: _shoal_v1_GetContainerRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_shoal_v1_GetContainerResponse__Output>): grpc.ClientUnaryCall;
  getContainer(argument: _shoal_v1_GetContainerRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_shoal_v1_GetContainerResponse__Output>): grpc.ClientUnaryCall;
  getContainer(argument: _shoal_v1_GetContainerRequest, callback: grpc.requestCallback<_shoal_v1_GetContainerResponse__Output>): grpc.ClientUnaryCall;
  
  /**
   * The current worker and manager join tokens.
   */
  GetJoinTokens(argument: _shoal_v1_GetJoinTokensRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_shoal_v1_GetJoinTokensResponse__Output>): grpc.ClientUnaryCall;
  GetJoinTokens(argument: _shoal_v1_GetJoinTokensRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_shoal_v1_GetJoinTokensResponse__Output>): grpc.ClientUnaryCall;
  GetJoinTokens(argument: _shoal_v1_GetJoinTokensRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_shoal_v1_GetJoinTokensResponse__Output>): grpc.ClientUnaryCall;
  GetJoinTokens(argument: _shoal_v1_GetJoinTokensRequest, callback: grpc.requestCallback<_shoal_v1_GetJoinTokensResponse__Output>): grpc.ClientUnaryCall;
  /**
   * The current worker and manager join tokens.
   */
  getJoinTokens(argument: _shoal_v1_GetJoinTokensRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_shoal_v1_GetJoinTokensResponse__Output>): grpc.ClientUnaryCall;
  getJoinTokens(argument: _shoal_v1_GetJoinTokensRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_shoal_v1_GetJoinTokensResponse__Output>): grpc.ClientUnaryCall;
  getJoinTokens(argument: _shoal_v1_GetJoinTokensRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_shoal_v1_GetJoinTokensResponse__Output>): grpc.ClientUnaryCall;
  getJoinTokens(argument: _shoal_v1_GetJoinTokensRequest, callback: grpc.requestCallback<_shoal_v1_GetJoinTokensResponse__Output>): grpc.ClientUnaryCall;
  
  /**
   * One network by reference.
   */
  GetNetwork(argument: _shoal_v1_GetNetworkRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_shoal_v1_GetNetworkResponse__Output>): grpc.ClientUnaryCall;
  GetNetwork(argument: _shoal_v1_GetNetworkRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_shoal_v1_GetNetworkResponse__Output>): grpc.ClientUnaryCall;
  GetNetwork(argument: _shoal_v1_GetNetworkRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_shoal_v1_GetNetworkResponse__Output>): grpc.ClientUnaryCall;
  GetNetwork(argument: _shoal_v1_GetNetworkRequest, callback: grpc.requestCallback<_shoal_v1_GetNetworkResponse__Output>): grpc.ClientUnaryCall;
  /**
   * One network by reference.
   */
  getNetwork(argument: _shoal_v1_GetNetworkRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_shoal_v1_GetNetworkResponse__Output>): grpc.ClientUnaryCall;
  getNetwork(argument: _shoal_v1_GetNetworkRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_shoal_v1_GetNetworkResponse__Output>): grpc.ClientUnaryCall;
  getNetwork(argument: _shoal_v1_GetNetworkRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_shoal_v1_GetNetworkResponse__Output>): grpc.ClientUnaryCall;
  getNetwork(argument: _shoal_v1_GetNetworkRequest, callback: grpc.requestCallback<_shoal_v1_GetNetworkResponse__Output>): grpc.ClientUnaryCall;
  
  /**
   * One node by reference.
   */
  GetNode(argument: _shoal_v1_GetNodeRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_shoal_v1_GetNodeResponse__Output>): grpc.ClientUnaryCall;
  GetNode(argument: _shoal_v1_GetNodeRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_shoal_v1_GetNodeResponse__Output>): grpc.ClientUnaryCall;
  GetNode(argument: _shoal_v1_GetNodeRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_shoal_v1_GetNodeResponse__Output>): grpc.ClientUnaryCall;
  GetNode(argument: _shoal_v1_GetNodeRequest, callback: grpc.requestCallback<_shoal_v1_GetNodeResponse__Output>): grpc.ClientUnaryCall;
  /**
   * One node by reference.
   */
  getNode(argument: _shoal_v1_GetNodeRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_shoal_v1_GetNodeResponse__Output>): grpc.ClientUnaryCall;
  getNode(argument: _shoal_v1_GetNodeRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_shoal_v1_GetNodeResponse__Output>): grpc.ClientUnaryCall;
  getNode(argument: _shoal_v1_GetNodeRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_shoal_v1_GetNodeResponse__Output>): grpc.ClientUnaryCall;
  getNode(argument: _shoal_v1_GetNodeRequest, callback: grpc.requestCallback<_shoal_v1_GetNodeResponse__Output>): grpc.ClientUnaryCall;
  
  /**
   * One service by reference.
   */
  GetService(argument: _shoal_v1_GetServiceRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_shoal_v1_GetServiceResponse__Output>): grpc.ClientUnaryCall;
  GetService(argument: _shoal_v1_GetServiceRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_shoal_v1_GetServiceResponse__Output>): grpc.ClientUnaryCall;
  GetService(argument: _shoal_v1_GetServiceRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_shoal_v1_GetServiceResponse__Output>): grpc.ClientUnaryCall;
  GetService(argument: _shoal_v1_GetServiceRequest, callback: grpc.requestCallback<_shoal_v1_GetServiceResponse__Output>): grpc.ClientUnaryCall;
  /**
   * One service by reference.
   */
  getService(argument: _shoal_v1_GetServiceRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_shoal_v1_GetServiceResponse__Output>): grpc.ClientUnaryCall;
  getService(argument: _shoal_v1_GetServiceRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_shoal_v1_GetServiceResponse__Output>): grpc.ClientUnaryCall;
  getService(argument: _shoal_v1_GetServiceRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_shoal_v1_GetServiceResponse__Output>): grpc.ClientUnaryCall;
  getService(argument: _shoal_v1_GetServiceRequest, callback: grpc.requestCallback<_shoal_v1_GetServiceResponse__Output>): grpc.ClientUnaryCall;
  
  /**
   * One task by reference.
   */
  GetTask(argument: _shoal_v1_GetTaskRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_shoal_v1_GetTaskResponse__Output>): grpc.ClientUnaryCall;
  GetTask(argument: _shoal_v1_GetTaskRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_shoal_v1_GetTaskResponse__Output>): grpc.ClientUnaryCall;
  GetTask(argument: _shoal_v1_GetTaskRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_shoal_v1_GetTaskResponse__Output>): grpc.ClientUnaryCall;
  GetTask(argument: _shoal_v1_GetTaskRequest, callback: grpc.requestCallback<_shoal_v1_GetTaskResponse__Output>): grpc.ClientUnaryCall;
  /**
   * One task by reference.
   */
  getTask(argument: _shoal_v1_GetTaskRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_shoal_v1_GetTaskResponse__Output>): grpc.ClientUnaryCall;
  getTask(argument: _shoal_v1_GetTaskRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_shoal_v1_GetTaskResponse__Output>): grpc.ClientUnaryCall;
  getTask(argument: _shoal_v1_GetTaskRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_shoal_v1_GetTaskResponse__Output>): grpc.ClientUnaryCall;
  getTask(argument: _shoal_v1_GetTaskRequest, callback: grpc.requestCallback<_shoal_v1_GetTaskResponse__Output>): grpc.ClientUnaryCall;
  
  /**
   * Containers matching a filter.
   */
  ListContainers(argument: _shoal_v1_ListContainersRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_shoal_v1_ListContainersResponse__Output>): grpc.ClientUnaryCall;
  ListContainers(argument: _shoal_v1_ListContainersRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_shoal_v1_ListContainersResponse__Output>): grpc.ClientUnaryCall;
  ListContainers(argument: _shoal_v1_ListContainersRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_shoal_v1_ListContainersResponse__Output>): grpc.ClientUnaryCall;
  ListContainers(argument: _shoal_v1_ListContainersRequest, callback: grpc.requestCallback<_shoal_v1_ListContainersResponse__Output>): grpc.ClientUnaryCall;
  /**
   * Containers matching a filter.
   */
  listContainers(argument: _shoal_v1_ListContainersRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_shoal_v1_ListContainersResponse__Output>): grpc.ClientUnaryCall;
  listContainers(argument: _shoal_v1_ListContainersRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_shoal_v1_ListContainersResponse__Output>): grpc.ClientUnaryCall;
  listContainers(argument: _shoal_v1_ListContainersRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_shoal_v1_ListContainersResponse__Output>): grpc.ClientUnaryCall;
  listContainers(argument: _shoal_v1_ListContainersRequest, callback: grpc.requestCallback<_shoal_v1_ListContainersResponse__Output>): grpc.ClientUnaryCall;
  
  /**
   * Networks matching a filter.
   */
  ListNetworks(argument: _shoal_v1_ListNetworksRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_shoal_v1_ListNetworksResponse__Output>): grpc.ClientUnaryCall;
  ListNetworks(argument: _shoal_v1_ListNetworksRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_shoal_v1_ListNetworksResponse__Output>): grpc.ClientUnaryCall;
  ListNetworks(argument: _shoal_v1_ListNetworksRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_shoal_v1_ListNetworksResponse__Output>): grpc.ClientUnaryCall;
  ListNetworks(argument: _shoal_v1_ListNetworksRequest, callback: grpc.requestCallback<_shoal_v1_ListNetworksResponse__Output>): grpc.ClientUnaryCall;
  /**
   * Networks matching a filter.
   */
  listNetworks(argument: _shoal_v1_ListNetworksRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_shoal_v1_ListNetworksResponse__Output>): grpc.ClientUnaryCall;
  listNetworks(argument: _shoal_v1_ListNetworksRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_shoal_v1_ListNetworksResponse__Output>): grpc.ClientUnaryCall;
  listNetworks(argument: _shoal_v1_ListNetworksRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_shoal_v1_ListNetworksResponse__Output>): grpc.ClientUnaryCall;
  listNetworks(argument: _shoal_v1_ListNetworksRequest, callback: grpc.requestCallback<_shoal_v1_ListNetworksResponse__Output>): grpc.ClientUnaryCall;
  
  /**
   * Nodes matching a filter.
   */
  ListNodes(argument: _shoal_v1_ListNodesRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_shoal_v1_ListNodesResponse__Output>): grpc.ClientUnaryCall;
  ListNodes(argument: _shoal_v1_ListNodesRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_shoal_v1_ListNodesResponse__Output>): grpc.ClientUnaryCall;
  ListNodes(argument: _shoal_v1_ListNodesRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_shoal_v1_ListNodesResponse__Output>): grpc.ClientUnaryCall;
  ListNodes(argument: _shoal_v1_ListNodesRequest, callback: grpc.requestCallback<_shoal_v1_ListNodesResponse__Output>): grpc.ClientUnaryCall;
  /**
   * Nodes matching a filter.
   */
  listNodes(argument: _shoal_v1_ListNodesRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_shoal_v1_ListNodesResponse__Output>): grpc.ClientUnaryCall;
  listNodes(argument: _shoal_v1_ListNodesRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_shoal_v1_ListNodesResponse__Output>): grpc.ClientUnaryCall;
  listNodes(argument: _shoal_v1_ListNodesRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_shoal_v1_ListNodesResponse__Output>): grpc.ClientUnaryCall;
  listNodes(argument: _shoal_v1_ListNodesRequest, callback: grpc.requestCallback<_shoal_v1_ListNodesResponse__Output>): grpc.ClientUnaryCall;
  
  /**
   * Services matching a filter.
   */
  ListServices(argument: _shoal_v1_ListServicesRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_shoal_v1_ListServicesResponse__Output>): grpc.ClientUnaryCall;
  ListServices(argument: _shoal_v1_ListServicesRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_shoal_v1_ListServicesResponse__Output>): grpc.ClientUnaryCall;
  ListServices(argument: _shoal_v1_ListServicesRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_shoal_v1_ListServicesResponse__Output>): grpc.ClientUnaryCall;
  ListServices(argument: _shoal_v1_ListServicesRequest, callback: grpc.requestCallback<_shoal_v1_ListServicesResponse__Output>): grpc.ClientUnaryCall;
  /**
   * Services matching a filter.
   */
  listServices(argument: _shoal_v1_ListServicesRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_shoal_v1_ListServicesResponse__Output>): grpc.ClientUnaryCall;
  listServices(argument: _shoal_v1_ListServicesRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_shoal_v1_ListServicesResponse__Output>): grpc.ClientUnaryCall;
  listServices(argument: _shoal_v1_ListServicesRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_shoal_v1_ListServicesResponse__Output>): grpc.ClientUnaryCall;
  listServices(argument: _shoal_v1_ListServicesRequest, callback: grpc.requestCallback<_shoal_v1_ListServicesResponse__Output>): grpc.ClientUnaryCall;
  
  /**
   * Tasks matching a filter (e.g. all tasks of a service: `service ps`).
   */
  ListTasks(argument: _shoal_v1_ListTasksRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_shoal_v1_ListTasksResponse__Output>): grpc.ClientUnaryCall;
  ListTasks(argument: _shoal_v1_ListTasksRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_shoal_v1_ListTasksResponse__Output>): grpc.ClientUnaryCall;
  ListTasks(argument: _shoal_v1_ListTasksRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_shoal_v1_ListTasksResponse__Output>): grpc.ClientUnaryCall;
  ListTasks(argument: _shoal_v1_ListTasksRequest, callback: grpc.requestCallback<_shoal_v1_ListTasksResponse__Output>): grpc.ClientUnaryCall;
  /**
   * Tasks matching a filter (e.g. all tasks of a service: `service ps`).
   */
  listTasks(argument: _shoal_v1_ListTasksRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_shoal_v1_ListTasksResponse__Output>): grpc.ClientUnaryCall;
  listTasks(argument: _shoal_v1_ListTasksRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_shoal_v1_ListTasksResponse__Output>): grpc.ClientUnaryCall;
  listTasks(argument: _shoal_v1_ListTasksRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_shoal_v1_ListTasksResponse__Output>): grpc.ClientUnaryCall;
  listTasks(argument: _shoal_v1_ListTasksRequest, callback: grpc.requestCallback<_shoal_v1_ListTasksResponse__Output>): grpc.ClientUnaryCall;
  
  /**
   * Remove a container and release its addresses.
   */
  RemoveContainer(argument: _shoal_v1_RemoveContainerRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_shoal_v1_RemoveContainerResponse__Output>): grpc.ClientUnaryCall;
  RemoveContainer(argument: _shoal_v1_RemoveContainerRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_shoal_v1_RemoveContainerResponse__Output>): grpc.ClientUnaryCall;
  RemoveContainer(argument: _shoal_v1_RemoveContainerRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_shoal_v1_RemoveContainerResponse__Output>): grpc.ClientUnaryCall;
  RemoveContainer(argument: _shoal_v1_RemoveContainerRequest, callback: grpc.requestCallback<_shoal_v1_RemoveContainerResponse__Output>): grpc.ClientUnaryCall;
  /**
   * Remove a container and release its addresses.
   */
  removeContainer(argument: _shoal_v1_RemoveContainerRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_shoal_v1_RemoveContainerResponse__Output>): grpc.ClientUnaryCall;
  removeContainer(argument: _shoal_v1_RemoveContainerRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_shoal_v1_RemoveContainerResponse__Output>): grpc.ClientUnaryCall;
  removeContainer(argument: _shoal_v1_RemoveContainerRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_shoal_v1_RemoveContainerResponse__Output>): grpc.ClientUnaryCall;
  removeContainer(argument: _shoal_v1_RemoveContainerRequest, callback: grpc.requestCallback<_shoal_v1_RemoveContainerResponse__Output>): grpc.ClientUnaryCall;
  
  /**
   * Remove a network; FAILED_PRECONDITION naming the users if still in use.
   */
  RemoveNetwork(argument: _shoal_v1_RemoveNetworkRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_shoal_v1_RemoveNetworkResponse__Output>): grpc.ClientUnaryCall;
  RemoveNetwork(argument: _shoal_v1_RemoveNetworkRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_shoal_v1_RemoveNetworkResponse__Output>): grpc.ClientUnaryCall;
  RemoveNetwork(argument: _shoal_v1_RemoveNetworkRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_shoal_v1_RemoveNetworkResponse__Output>): grpc.ClientUnaryCall;
  RemoveNetwork(argument: _shoal_v1_RemoveNetworkRequest, callback: grpc.requestCallback<_shoal_v1_RemoveNetworkResponse__Output>): grpc.ClientUnaryCall;
  /**
   * Remove a network; FAILED_PRECONDITION naming the users if still in use.
   */
  removeNetwork(argument: _shoal_v1_RemoveNetworkRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_shoal_v1_RemoveNetworkResponse__Output>): grpc.ClientUnaryCall;
  removeNetwork(argument: _shoal_v1_RemoveNetworkRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_shoal_v1_RemoveNetworkResponse__Output>): grpc.ClientUnaryCall;
  removeNetwork(argument: _shoal_v1_RemoveNetworkRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_shoal_v1_RemoveNetworkResponse__Output>): grpc.ClientUnaryCall;
  removeNetwork(argument: _shoal_v1_RemoveNetworkRequest, callback: grpc.requestCallback<_shoal_v1_RemoveNetworkResponse__Output>): grpc.ClientUnaryCall;
  
  /**
   * Remove a node that is down (or any node with force).
   */
  RemoveNode(argument: _shoal_v1_RemoveNodeRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_shoal_v1_RemoveNodeResponse__Output>): grpc.ClientUnaryCall;
  RemoveNode(argument: _shoal_v1_RemoveNodeRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_shoal_v1_RemoveNodeResponse__Output>): grpc.ClientUnaryCall;
  RemoveNode(argument: _shoal_v1_RemoveNodeRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_shoal_v1_RemoveNodeResponse__Output>): grpc.ClientUnaryCall;
  RemoveNode(argument: _shoal_v1_RemoveNodeRequest, callback: grpc.requestCallback<_shoal_v1_RemoveNodeResponse__Output>): grpc.ClientUnaryCall;
  /**
   * Remove a node that is down (or any node with force).
   */
  removeNode(argument: _shoal_v1_RemoveNodeRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_shoal_v1_RemoveNodeResponse__Output>): grpc.ClientUnaryCall;
  removeNode(argument: _shoal_v1_RemoveNodeRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_shoal_v1_RemoveNodeResponse__Output>): grpc.ClientUnaryCall;
  removeNode(argument: _shoal_v1_RemoveNodeRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_shoal_v1_RemoveNodeResponse__Output>): grpc.ClientUnaryCall;
  removeNode(argument: _shoal_v1_RemoveNodeRequest, callback: grpc.requestCallback<_shoal_v1_RemoveNodeResponse__Output>): grpc.ClientUnaryCall;
  
  /**
   * Remove a service and its tasks.
   */
  RemoveService(argument: _shoal_v1_RemoveServiceRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_shoal_v1_RemoveServiceResponse__Output>): grpc.ClientUnaryCall;
  RemoveService(argument: _shoal_v1_RemoveServiceRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_shoal_v1_RemoveServiceResponse__Output>): grpc.ClientUnaryCall;
  RemoveService(argument: _shoal_v1_RemoveServiceRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_shoal_v1_RemoveServiceResponse__Output>): grpc.ClientUnaryCall;
  RemoveService(argument: _shoal_v1_RemoveServiceRequest, callback: grpc.requestCallback<_shoal_v1_RemoveServiceResponse__Output>): grpc.ClientUnaryCall;
  /**
   * Remove a service and its tasks.
   */
  removeService(argument: _shoal_v1_RemoveServiceRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_shoal_v1_RemoveServiceResponse__Output>): grpc.ClientUnaryCall;
  removeService(argument: _shoal_v1_RemoveServiceRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_shoal_v1_RemoveServiceResponse__Output>): grpc.ClientUnaryCall;
  removeService(argument: _shoal_v1_RemoveServiceRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_shoal_v1_RemoveServiceResponse__Output>): grpc.ClientUnaryCall;
  removeService(argument: _shoal_v1_RemoveServiceRequest, callback: grpc.requestCallback<_shoal_v1_RemoveServiceResponse__Output>): grpc.ClientUnaryCall;
  
  /**
   * Replace one join token; the old one stops working at once.
   */
  RotateJoinToken(argument: _shoal_v1_RotateJoinTokenRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_shoal_v1_RotateJoinTokenResponse__Output>): grpc.ClientUnaryCall;
  RotateJoinToken(argument: _shoal_v1_RotateJoinTokenRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_shoal_v1_RotateJoinTokenResponse__Output>): grpc.ClientUnaryCall;
  RotateJoinToken(argument: _shoal_v1_RotateJoinTokenRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_shoal_v1_RotateJoinTokenResponse__Output>): grpc.ClientUnaryCall;
  RotateJoinToken(argument: _shoal_v1_RotateJoinTokenRequest, callback: grpc.requestCallback<_shoal_v1_RotateJoinTokenResponse__Output>): grpc.ClientUnaryCall;
  /**
   * Replace one join token; the old one stops working at once.
   */
  rotateJoinToken(argument: _shoal_v1_RotateJoinTokenRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_shoal_v1_RotateJoinTokenResponse__Output>): grpc.ClientUnaryCall;
  rotateJoinToken(argument: _shoal_v1_RotateJoinTokenRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_shoal_v1_RotateJoinTokenResponse__Output>): grpc.ClientUnaryCall;
  rotateJoinToken(argument: _shoal_v1_RotateJoinTokenRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_shoal_v1_RotateJoinTokenResponse__Output>): grpc.ClientUnaryCall;
  rotateJoinToken(argument: _shoal_v1_RotateJoinTokenRequest, callback: grpc.requestCallback<_shoal_v1_RotateJoinTokenResponse__Output>): grpc.ClientUnaryCall;
  
  /**
   * Change cluster-wide settings (`shoal cluster update`); the answer is the cluster after it.
   */
  UpdateCluster(argument: _shoal_v1_UpdateClusterRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_shoal_v1_UpdateClusterResponse__Output>): grpc.ClientUnaryCall;
  UpdateCluster(argument: _shoal_v1_UpdateClusterRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_shoal_v1_UpdateClusterResponse__Output>): grpc.ClientUnaryCall;
  UpdateCluster(argument: _shoal_v1_UpdateClusterRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_shoal_v1_UpdateClusterResponse__Output>): grpc.ClientUnaryCall;
  UpdateCluster(argument: _shoal_v1_UpdateClusterRequest, callback: grpc.requestCallback<_shoal_v1_UpdateClusterResponse__Output>): grpc.ClientUnaryCall;
  /**
   * Change cluster-wide settings (`shoal cluster update`); the answer is the cluster after it.
   */
  updateCluster(argument: _shoal_v1_UpdateClusterRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_shoal_v1_UpdateClusterResponse__Output>): grpc.ClientUnaryCall;
  updateCluster(argument: _shoal_v1_UpdateClusterRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_shoal_v1_UpdateClusterResponse__Output>): grpc.ClientUnaryCall;
  updateCluster(argument: _shoal_v1_UpdateClusterRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_shoal_v1_UpdateClusterResponse__Output>): grpc.ClientUnaryCall;
  updateCluster(argument: _shoal_v1_UpdateClusterRequest, callback: grpc.requestCallback<_shoal_v1_UpdateClusterResponse__Output>): grpc.ClientUnaryCall;
  
  /**
   * Change a container's state or labels.
   */
  UpdateContainer(argument: _shoal_v1_UpdateContainerRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_shoal_v1_UpdateContainerResponse__Output>): grpc.ClientUnaryCall;
  UpdateContainer(argument: _shoal_v1_UpdateContainerRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_shoal_v1_UpdateContainerResponse__Output>): grpc.ClientUnaryCall;
  UpdateContainer(argument: _shoal_v1_UpdateContainerRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_shoal_v1_UpdateContainerResponse__Output>): grpc.ClientUnaryCall;
  UpdateContainer(argument: _shoal_v1_UpdateContainerRequest, callback: grpc.requestCallback<_shoal_v1_UpdateContainerResponse__Output>): grpc.ClientUnaryCall;
  /**
   * Change a container's state or labels.
   */
  updateContainer(argument: _shoal_v1_UpdateContainerRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_shoal_v1_UpdateContainerResponse__Output>): grpc.ClientUnaryCall;
  updateContainer(argument: _shoal_v1_UpdateContainerRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_shoal_v1_UpdateContainerResponse__Output>): grpc.ClientUnaryCall;
  updateContainer(argument: _shoal_v1_UpdateContainerRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_shoal_v1_UpdateContainerResponse__Output>): grpc.ClientUnaryCall;
  updateContainer(argument: _shoal_v1_UpdateContainerRequest, callback: grpc.requestCallback<_shoal_v1_UpdateContainerResponse__Output>): grpc.ClientUnaryCall;
  
  /**
   * Change a network's labels (its addressing is immutable).
   */
  UpdateNetwork(argument: _shoal_v1_UpdateNetworkRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_shoal_v1_UpdateNetworkResponse__Output>): grpc.ClientUnaryCall;
  UpdateNetwork(argument: _shoal_v1_UpdateNetworkRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_shoal_v1_UpdateNetworkResponse__Output>): grpc.ClientUnaryCall;
  UpdateNetwork(argument: _shoal_v1_UpdateNetworkRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_shoal_v1_UpdateNetworkResponse__Output>): grpc.ClientUnaryCall;
  UpdateNetwork(argument: _shoal_v1_UpdateNetworkRequest, callback: grpc.requestCallback<_shoal_v1_UpdateNetworkResponse__Output>): grpc.ClientUnaryCall;
  /**
   * Change a network's labels (its addressing is immutable).
   */
  updateNetwork(argument: _shoal_v1_UpdateNetworkRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_shoal_v1_UpdateNetworkResponse__Output>): grpc.ClientUnaryCall;
  updateNetwork(argument: _shoal_v1_UpdateNetworkRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_shoal_v1_UpdateNetworkResponse__Output>): grpc.ClientUnaryCall;
  updateNetwork(argument: _shoal_v1_UpdateNetworkRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_shoal_v1_UpdateNetworkResponse__Output>): grpc.ClientUnaryCall;
  updateNetwork(argument: _shoal_v1_UpdateNetworkRequest, callback: grpc.requestCallback<_shoal_v1_UpdateNetworkResponse__Output>): grpc.ClientUnaryCall;
  
  /**
   * Change a node's availability, labels or role (promote / demote).
   */
  UpdateNode(argument: _shoal_v1_UpdateNodeRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_shoal_v1_UpdateNodeResponse__Output>): grpc.ClientUnaryCall;
  UpdateNode(argument: _shoal_v1_UpdateNodeRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_shoal_v1_UpdateNodeResponse__Output>): grpc.ClientUnaryCall;
  UpdateNode(argument: _shoal_v1_UpdateNodeRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_shoal_v1_UpdateNodeResponse__Output>): grpc.ClientUnaryCall;
  UpdateNode(argument: _shoal_v1_UpdateNodeRequest, callback: grpc.requestCallback<_shoal_v1_UpdateNodeResponse__Output>): grpc.ClientUnaryCall;
  /**
   * Change a node's availability, labels or role (promote / demote).
   */
  updateNode(argument: _shoal_v1_UpdateNodeRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_shoal_v1_UpdateNodeResponse__Output>): grpc.ClientUnaryCall;
  updateNode(argument: _shoal_v1_UpdateNodeRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_shoal_v1_UpdateNodeResponse__Output>): grpc.ClientUnaryCall;
  updateNode(argument: _shoal_v1_UpdateNodeRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_shoal_v1_UpdateNodeResponse__Output>): grpc.ClientUnaryCall;
  updateNode(argument: _shoal_v1_UpdateNodeRequest, callback: grpc.requestCallback<_shoal_v1_UpdateNodeResponse__Output>): grpc.ClientUnaryCall;
  
  /**
   * Replace a service's spec (scale, update, rollback).
   */
  UpdateService(argument: _shoal_v1_UpdateServiceRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_shoal_v1_UpdateServiceResponse__Output>): grpc.ClientUnaryCall;
  UpdateService(argument: _shoal_v1_UpdateServiceRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_shoal_v1_UpdateServiceResponse__Output>): grpc.ClientUnaryCall;
  UpdateService(argument: _shoal_v1_UpdateServiceRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_shoal_v1_UpdateServiceResponse__Output>): grpc.ClientUnaryCall;
  UpdateService(argument: _shoal_v1_UpdateServiceRequest, callback: grpc.requestCallback<_shoal_v1_UpdateServiceResponse__Output>): grpc.ClientUnaryCall;
  /**
   * Replace a service's spec (scale, update, rollback).
   */
  updateService(argument: _shoal_v1_UpdateServiceRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_shoal_v1_UpdateServiceResponse__Output>): grpc.ClientUnaryCall;
  updateService(argument: _shoal_v1_UpdateServiceRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_shoal_v1_UpdateServiceResponse__Output>): grpc.ClientUnaryCall;
  updateService(argument: _shoal_v1_UpdateServiceRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_shoal_v1_UpdateServiceResponse__Output>): grpc.ClientUnaryCall;
  updateService(argument: _shoal_v1_UpdateServiceRequest, callback: grpc.requestCallback<_shoal_v1_UpdateServiceResponse__Output>): grpc.ClientUnaryCall;
  
}

/**
 * CRUD for cluster objects, join tokens and cluster information.
 */
export interface ControlHandlers extends grpc.UntypedServiceImplementation {
  /**
   * Verify the IPAM invariants on the live store: no duplicate address, no
   * address outside its subnet, no endpoint whose owner is gone, and the
   * allocator's state agreeing with the endpoints. Read-only.
   */
  CheckNetworks: grpc.handleUnaryCall<_shoal_v1_CheckNetworksRequest__Output, _shoal_v1_CheckNetworksResponse>;
  
  /**
   * Record a standalone container on a node (its addresses come from ResourceAllocator).
   */
  CreateContainer: grpc.handleUnaryCall<_shoal_v1_CreateContainerRequest__Output, _shoal_v1_CreateContainerResponse>;
  
  /**
   * Create a network; without a subnet one is drawn from the default pools.
   */
  CreateNetwork: grpc.handleUnaryCall<_shoal_v1_CreateNetworkRequest__Output, _shoal_v1_CreateNetworkResponse>;
  
  /**
   * Create a service.
   */
  CreateService: grpc.handleUnaryCall<_shoal_v1_CreateServiceRequest__Output, _shoal_v1_CreateServiceResponse>;
  
  /**
   * Cluster identity, this node, the leader, the managers and Raft progress (`shoal info`).
   */
  GetClusterInfo: grpc.handleUnaryCall<_shoal_v1_GetClusterInfoRequest__Output, _shoal_v1_GetClusterInfoResponse>;
  
  /**
   * One container by reference.
   */
  GetContainer: grpc.handleUnaryCall<_shoal_v1_GetContainerRequest__Output, _shoal_v1_GetContainerResponse>;
  
  /**
   * The current worker and manager join tokens.
   */
  GetJoinTokens: grpc.handleUnaryCall<_shoal_v1_GetJoinTokensRequest__Output, _shoal_v1_GetJoinTokensResponse>;
  
  /**
   * One network by reference.
   */
  GetNetwork: grpc.handleUnaryCall<_shoal_v1_GetNetworkRequest__Output, _shoal_v1_GetNetworkResponse>;
  
  /**
   * One node by reference.
   */
  GetNode: grpc.handleUnaryCall<_shoal_v1_GetNodeRequest__Output, _shoal_v1_GetNodeResponse>;
  
  /**
   * One service by reference.
   */
  GetService: grpc.handleUnaryCall<_shoal_v1_GetServiceRequest__Output, _shoal_v1_GetServiceResponse>;
  
  /**
   * One task by reference.
   */
  GetTask: grpc.handleUnaryCall<_shoal_v1_GetTaskRequest__Output, _shoal_v1_GetTaskResponse>;
  
  /**
   * Containers matching a filter.
   */
  ListContainers: grpc.handleUnaryCall<_shoal_v1_ListContainersRequest__Output, _shoal_v1_ListContainersResponse>;
  
  /**
   * Networks matching a filter.
   */
  ListNetworks: grpc.handleUnaryCall<_shoal_v1_ListNetworksRequest__Output, _shoal_v1_ListNetworksResponse>;
  
  /**
   * Nodes matching a filter.
   */
  ListNodes: grpc.handleUnaryCall<_shoal_v1_ListNodesRequest__Output, _shoal_v1_ListNodesResponse>;
  
  /**
   * Services matching a filter.
   */
  ListServices: grpc.handleUnaryCall<_shoal_v1_ListServicesRequest__Output, _shoal_v1_ListServicesResponse>;
  
  /**
   * Tasks matching a filter (e.g. all tasks of a service: `service ps`).
   */
  ListTasks: grpc.handleUnaryCall<_shoal_v1_ListTasksRequest__Output, _shoal_v1_ListTasksResponse>;
  
  /**
   * Remove a container and release its addresses.
   */
  RemoveContainer: grpc.handleUnaryCall<_shoal_v1_RemoveContainerRequest__Output, _shoal_v1_RemoveContainerResponse>;
  
  /**
   * Remove a network; FAILED_PRECONDITION naming the users if still in use.
   */
  RemoveNetwork: grpc.handleUnaryCall<_shoal_v1_RemoveNetworkRequest__Output, _shoal_v1_RemoveNetworkResponse>;
  
  /**
   * Remove a node that is down (or any node with force).
   */
  RemoveNode: grpc.handleUnaryCall<_shoal_v1_RemoveNodeRequest__Output, _shoal_v1_RemoveNodeResponse>;
  
  /**
   * Remove a service and its tasks.
   */
  RemoveService: grpc.handleUnaryCall<_shoal_v1_RemoveServiceRequest__Output, _shoal_v1_RemoveServiceResponse>;
  
  /**
   * Replace one join token; the old one stops working at once.
   */
  RotateJoinToken: grpc.handleUnaryCall<_shoal_v1_RotateJoinTokenRequest__Output, _shoal_v1_RotateJoinTokenResponse>;
  
  /**
   * Change cluster-wide settings (`shoal cluster update`); the answer is the cluster after it.
   */
  UpdateCluster: grpc.handleUnaryCall<_shoal_v1_UpdateClusterRequest__Output, _shoal_v1_UpdateClusterResponse>;
  
  /**
   * Change a container's state or labels.
   */
  UpdateContainer: grpc.handleUnaryCall<_shoal_v1_UpdateContainerRequest__Output, _shoal_v1_UpdateContainerResponse>;
  
  /**
   * Change a network's labels (its addressing is immutable).
   */
  UpdateNetwork: grpc.handleUnaryCall<_shoal_v1_UpdateNetworkRequest__Output, _shoal_v1_UpdateNetworkResponse>;
  
  /**
   * Change a node's availability, labels or role (promote / demote).
   */
  UpdateNode: grpc.handleUnaryCall<_shoal_v1_UpdateNodeRequest__Output, _shoal_v1_UpdateNodeResponse>;
  
  /**
   * Replace a service's spec (scale, update, rollback).
   */
  UpdateService: grpc.handleUnaryCall<_shoal_v1_UpdateServiceRequest__Output, _shoal_v1_UpdateServiceResponse>;
  
}

export interface ControlDefinition extends grpc.ServiceDefinition {
  CheckNetworks: MethodDefinition<_shoal_v1_CheckNetworksRequest, _shoal_v1_CheckNetworksResponse, _shoal_v1_CheckNetworksRequest__Output, _shoal_v1_CheckNetworksResponse__Output>
  CreateContainer: MethodDefinition<_shoal_v1_CreateContainerRequest, _shoal_v1_CreateContainerResponse, _shoal_v1_CreateContainerRequest__Output, _shoal_v1_CreateContainerResponse__Output>
  CreateNetwork: MethodDefinition<_shoal_v1_CreateNetworkRequest, _shoal_v1_CreateNetworkResponse, _shoal_v1_CreateNetworkRequest__Output, _shoal_v1_CreateNetworkResponse__Output>
  CreateService: MethodDefinition<_shoal_v1_CreateServiceRequest, _shoal_v1_CreateServiceResponse, _shoal_v1_CreateServiceRequest__Output, _shoal_v1_CreateServiceResponse__Output>
  GetClusterInfo: MethodDefinition<_shoal_v1_GetClusterInfoRequest, _shoal_v1_GetClusterInfoResponse, _shoal_v1_GetClusterInfoRequest__Output, _shoal_v1_GetClusterInfoResponse__Output>
  GetContainer: MethodDefinition<_shoal_v1_GetContainerRequest, _shoal_v1_GetContainerResponse, _shoal_v1_GetContainerRequest__Output, _shoal_v1_GetContainerResponse__Output>
  GetJoinTokens: MethodDefinition<_shoal_v1_GetJoinTokensRequest, _shoal_v1_GetJoinTokensResponse, _shoal_v1_GetJoinTokensRequest__Output, _shoal_v1_GetJoinTokensResponse__Output>
  GetNetwork: MethodDefinition<_shoal_v1_GetNetworkRequest, _shoal_v1_GetNetworkResponse, _shoal_v1_GetNetworkRequest__Output, _shoal_v1_GetNetworkResponse__Output>
  GetNode: MethodDefinition<_shoal_v1_GetNodeRequest, _shoal_v1_GetNodeResponse, _shoal_v1_GetNodeRequest__Output, _shoal_v1_GetNodeResponse__Output>
  GetService: MethodDefinition<_shoal_v1_GetServiceRequest, _shoal_v1_GetServiceResponse, _shoal_v1_GetServiceRequest__Output, _shoal_v1_GetServiceResponse__Output>
  GetTask: MethodDefinition<_shoal_v1_GetTaskRequest, _shoal_v1_GetTaskResponse, _shoal_v1_GetTaskRequest__Output, _shoal_v1_GetTaskResponse__Output>
  ListContainers: MethodDefinition<_shoal_v1_ListContainersRequest, _shoal_v1_ListContainersResponse, _shoal_v1_ListContainersRequest__Output, _shoal_v1_ListContainersResponse__Output>
  ListNetworks: MethodDefinition<_shoal_v1_ListNetworksRequest, _shoal_v1_ListNetworksResponse, _shoal_v1_ListNetworksRequest__Output, _shoal_v1_ListNetworksResponse__Output>
  ListNodes: MethodDefinition<_shoal_v1_ListNodesRequest, _shoal_v1_ListNodesResponse, _shoal_v1_ListNodesRequest__Output, _shoal_v1_ListNodesResponse__Output>
  ListServices: MethodDefinition<_shoal_v1_ListServicesRequest, _shoal_v1_ListServicesResponse, _shoal_v1_ListServicesRequest__Output, _shoal_v1_ListServicesResponse__Output>
  ListTasks: MethodDefinition<_shoal_v1_ListTasksRequest, _shoal_v1_ListTasksResponse, _shoal_v1_ListTasksRequest__Output, _shoal_v1_ListTasksResponse__Output>
  RemoveContainer: MethodDefinition<_shoal_v1_RemoveContainerRequest, _shoal_v1_RemoveContainerResponse, _shoal_v1_RemoveContainerRequest__Output, _shoal_v1_RemoveContainerResponse__Output>
  RemoveNetwork: MethodDefinition<_shoal_v1_RemoveNetworkRequest, _shoal_v1_RemoveNetworkResponse, _shoal_v1_RemoveNetworkRequest__Output, _shoal_v1_RemoveNetworkResponse__Output>
  RemoveNode: MethodDefinition<_shoal_v1_RemoveNodeRequest, _shoal_v1_RemoveNodeResponse, _shoal_v1_RemoveNodeRequest__Output, _shoal_v1_RemoveNodeResponse__Output>
  RemoveService: MethodDefinition<_shoal_v1_RemoveServiceRequest, _shoal_v1_RemoveServiceResponse, _shoal_v1_RemoveServiceRequest__Output, _shoal_v1_RemoveServiceResponse__Output>
  RotateJoinToken: MethodDefinition<_shoal_v1_RotateJoinTokenRequest, _shoal_v1_RotateJoinTokenResponse, _shoal_v1_RotateJoinTokenRequest__Output, _shoal_v1_RotateJoinTokenResponse__Output>
  UpdateCluster: MethodDefinition<_shoal_v1_UpdateClusterRequest, _shoal_v1_UpdateClusterResponse, _shoal_v1_UpdateClusterRequest__Output, _shoal_v1_UpdateClusterResponse__Output>
  UpdateContainer: MethodDefinition<_shoal_v1_UpdateContainerRequest, _shoal_v1_UpdateContainerResponse, _shoal_v1_UpdateContainerRequest__Output, _shoal_v1_UpdateContainerResponse__Output>
  UpdateNetwork: MethodDefinition<_shoal_v1_UpdateNetworkRequest, _shoal_v1_UpdateNetworkResponse, _shoal_v1_UpdateNetworkRequest__Output, _shoal_v1_UpdateNetworkResponse__Output>
  UpdateNode: MethodDefinition<_shoal_v1_UpdateNodeRequest, _shoal_v1_UpdateNodeResponse, _shoal_v1_UpdateNodeRequest__Output, _shoal_v1_UpdateNodeResponse__Output>
  UpdateService: MethodDefinition<_shoal_v1_UpdateServiceRequest, _shoal_v1_UpdateServiceResponse, _shoal_v1_UpdateServiceRequest__Output, _shoal_v1_UpdateServiceResponse__Output>
}
