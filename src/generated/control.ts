import type * as grpc from '@grpc/grpc-js';
import type { EnumTypeDefinition, MessageTypeDefinition } from '@grpc/proto-loader';

import type { BackupClient as _shoal_v1_BackupClient, BackupDefinition as _shoal_v1_BackupDefinition } from './shoal/v1/Backup.js';
import type { BackupChunk as _shoal_v1_BackupChunk, BackupChunk__Output as _shoal_v1_BackupChunk__Output } from './shoal/v1/BackupChunk.js';
import type { BackupMeta as _shoal_v1_BackupMeta, BackupMeta__Output as _shoal_v1_BackupMeta__Output } from './shoal/v1/BackupMeta.js';
import type { CheckNetworksRequest as _shoal_v1_CheckNetworksRequest, CheckNetworksRequest__Output as _shoal_v1_CheckNetworksRequest__Output } from './shoal/v1/CheckNetworksRequest.js';
import type { CheckNetworksResponse as _shoal_v1_CheckNetworksResponse, CheckNetworksResponse__Output as _shoal_v1_CheckNetworksResponse__Output } from './shoal/v1/CheckNetworksResponse.js';
import type { Cluster as _shoal_v1_Cluster, Cluster__Output as _shoal_v1_Cluster__Output } from './shoal/v1/Cluster.js';
import type { Container as _shoal_v1_Container, Container__Output as _shoal_v1_Container__Output } from './shoal/v1/Container.js';
import type { ContainerNetworkRequest as _shoal_v1_ContainerNetworkRequest, ContainerNetworkRequest__Output as _shoal_v1_ContainerNetworkRequest__Output } from './shoal/v1/ContainerNetworkRequest.js';
import type { ControlClient as _shoal_v1_ControlClient, ControlDefinition as _shoal_v1_ControlDefinition } from './shoal/v1/Control.js';
import type { CreateContainerRequest as _shoal_v1_CreateContainerRequest, CreateContainerRequest__Output as _shoal_v1_CreateContainerRequest__Output } from './shoal/v1/CreateContainerRequest.js';
import type { CreateContainerResponse as _shoal_v1_CreateContainerResponse, CreateContainerResponse__Output as _shoal_v1_CreateContainerResponse__Output } from './shoal/v1/CreateContainerResponse.js';
import type { CreateNetworkRequest as _shoal_v1_CreateNetworkRequest, CreateNetworkRequest__Output as _shoal_v1_CreateNetworkRequest__Output } from './shoal/v1/CreateNetworkRequest.js';
import type { CreateNetworkResponse as _shoal_v1_CreateNetworkResponse, CreateNetworkResponse__Output as _shoal_v1_CreateNetworkResponse__Output } from './shoal/v1/CreateNetworkResponse.js';
import type { CreateServiceRequest as _shoal_v1_CreateServiceRequest, CreateServiceRequest__Output as _shoal_v1_CreateServiceRequest__Output } from './shoal/v1/CreateServiceRequest.js';
import type { CreateServiceResponse as _shoal_v1_CreateServiceResponse, CreateServiceResponse__Output as _shoal_v1_CreateServiceResponse__Output } from './shoal/v1/CreateServiceResponse.js';
import type { GetClusterInfoRequest as _shoal_v1_GetClusterInfoRequest, GetClusterInfoRequest__Output as _shoal_v1_GetClusterInfoRequest__Output } from './shoal/v1/GetClusterInfoRequest.js';
import type { GetClusterInfoResponse as _shoal_v1_GetClusterInfoResponse, GetClusterInfoResponse__Output as _shoal_v1_GetClusterInfoResponse__Output } from './shoal/v1/GetClusterInfoResponse.js';
import type { GetContainerRequest as _shoal_v1_GetContainerRequest, GetContainerRequest__Output as _shoal_v1_GetContainerRequest__Output } from './shoal/v1/GetContainerRequest.js';
import type { GetContainerResponse as _shoal_v1_GetContainerResponse, GetContainerResponse__Output as _shoal_v1_GetContainerResponse__Output } from './shoal/v1/GetContainerResponse.js';
import type { GetJoinTokensRequest as _shoal_v1_GetJoinTokensRequest, GetJoinTokensRequest__Output as _shoal_v1_GetJoinTokensRequest__Output } from './shoal/v1/GetJoinTokensRequest.js';
import type { GetJoinTokensResponse as _shoal_v1_GetJoinTokensResponse, GetJoinTokensResponse__Output as _shoal_v1_GetJoinTokensResponse__Output } from './shoal/v1/GetJoinTokensResponse.js';
import type { GetNetworkRequest as _shoal_v1_GetNetworkRequest, GetNetworkRequest__Output as _shoal_v1_GetNetworkRequest__Output } from './shoal/v1/GetNetworkRequest.js';
import type { GetNetworkResponse as _shoal_v1_GetNetworkResponse, GetNetworkResponse__Output as _shoal_v1_GetNetworkResponse__Output } from './shoal/v1/GetNetworkResponse.js';
import type { GetNodeRequest as _shoal_v1_GetNodeRequest, GetNodeRequest__Output as _shoal_v1_GetNodeRequest__Output } from './shoal/v1/GetNodeRequest.js';
import type { GetNodeResponse as _shoal_v1_GetNodeResponse, GetNodeResponse__Output as _shoal_v1_GetNodeResponse__Output } from './shoal/v1/GetNodeResponse.js';
import type { GetServiceRequest as _shoal_v1_GetServiceRequest, GetServiceRequest__Output as _shoal_v1_GetServiceRequest__Output } from './shoal/v1/GetServiceRequest.js';
import type { GetServiceResponse as _shoal_v1_GetServiceResponse, GetServiceResponse__Output as _shoal_v1_GetServiceResponse__Output } from './shoal/v1/GetServiceResponse.js';
import type { GetTaskRequest as _shoal_v1_GetTaskRequest, GetTaskRequest__Output as _shoal_v1_GetTaskRequest__Output } from './shoal/v1/GetTaskRequest.js';
import type { GetTaskResponse as _shoal_v1_GetTaskResponse, GetTaskResponse__Output as _shoal_v1_GetTaskResponse__Output } from './shoal/v1/GetTaskResponse.js';
import type { ListContainersRequest as _shoal_v1_ListContainersRequest, ListContainersRequest__Output as _shoal_v1_ListContainersRequest__Output } from './shoal/v1/ListContainersRequest.js';
import type { ListContainersResponse as _shoal_v1_ListContainersResponse, ListContainersResponse__Output as _shoal_v1_ListContainersResponse__Output } from './shoal/v1/ListContainersResponse.js';
import type { ListFilter as _shoal_v1_ListFilter, ListFilter__Output as _shoal_v1_ListFilter__Output } from './shoal/v1/ListFilter.js';
import type { ListNetworksRequest as _shoal_v1_ListNetworksRequest, ListNetworksRequest__Output as _shoal_v1_ListNetworksRequest__Output } from './shoal/v1/ListNetworksRequest.js';
import type { ListNetworksResponse as _shoal_v1_ListNetworksResponse, ListNetworksResponse__Output as _shoal_v1_ListNetworksResponse__Output } from './shoal/v1/ListNetworksResponse.js';
import type { ListNodesRequest as _shoal_v1_ListNodesRequest, ListNodesRequest__Output as _shoal_v1_ListNodesRequest__Output } from './shoal/v1/ListNodesRequest.js';
import type { ListNodesResponse as _shoal_v1_ListNodesResponse, ListNodesResponse__Output as _shoal_v1_ListNodesResponse__Output } from './shoal/v1/ListNodesResponse.js';
import type { ListServicesRequest as _shoal_v1_ListServicesRequest, ListServicesRequest__Output as _shoal_v1_ListServicesRequest__Output } from './shoal/v1/ListServicesRequest.js';
import type { ListServicesResponse as _shoal_v1_ListServicesResponse, ListServicesResponse__Output as _shoal_v1_ListServicesResponse__Output } from './shoal/v1/ListServicesResponse.js';
import type { ListTasksRequest as _shoal_v1_ListTasksRequest, ListTasksRequest__Output as _shoal_v1_ListTasksRequest__Output } from './shoal/v1/ListTasksRequest.js';
import type { ListTasksResponse as _shoal_v1_ListTasksResponse, ListTasksResponse__Output as _shoal_v1_ListTasksResponse__Output } from './shoal/v1/ListTasksResponse.js';
import type { ListenLogSubscriptionsRequest as _shoal_v1_ListenLogSubscriptionsRequest, ListenLogSubscriptionsRequest__Output as _shoal_v1_ListenLogSubscriptionsRequest__Output } from './shoal/v1/ListenLogSubscriptionsRequest.js';
import type { LogLine as _shoal_v1_LogLine, LogLine__Output as _shoal_v1_LogLine__Output } from './shoal/v1/LogLine.js';
import type { LogOptions as _shoal_v1_LogOptions, LogOptions__Output as _shoal_v1_LogOptions__Output } from './shoal/v1/LogOptions.js';
import type { LogSource as _shoal_v1_LogSource, LogSource__Output as _shoal_v1_LogSource__Output } from './shoal/v1/LogSource.js';
import type { LogSubscription as _shoal_v1_LogSubscription, LogSubscription__Output as _shoal_v1_LogSubscription__Output } from './shoal/v1/LogSubscription.js';
import type { LogsClient as _shoal_v1_LogsClient, LogsDefinition as _shoal_v1_LogsDefinition } from './shoal/v1/Logs.js';
import type { ManagerInfo as _shoal_v1_ManagerInfo, ManagerInfo__Output as _shoal_v1_ManagerInfo__Output } from './shoal/v1/ManagerInfo.js';
import type { Network as _shoal_v1_Network, Network__Output as _shoal_v1_Network__Output } from './shoal/v1/Network.js';
import type { NetworkAttachment as _shoal_v1_NetworkAttachment, NetworkAttachment__Output as _shoal_v1_NetworkAttachment__Output } from './shoal/v1/NetworkAttachment.js';
import type { NetworkCheckResult as _shoal_v1_NetworkCheckResult, NetworkCheckResult__Output as _shoal_v1_NetworkCheckResult__Output } from './shoal/v1/NetworkCheckResult.js';
import type { NetworkEndpoint as _shoal_v1_NetworkEndpoint, NetworkEndpoint__Output as _shoal_v1_NetworkEndpoint__Output } from './shoal/v1/NetworkEndpoint.js';
import type { Node as _shoal_v1_Node, Node__Output as _shoal_v1_Node__Output } from './shoal/v1/Node.js';
import type { Placement as _shoal_v1_Placement, Placement__Output as _shoal_v1_Placement__Output } from './shoal/v1/Placement.js';
import type { PlacementPreference as _shoal_v1_PlacementPreference, PlacementPreference__Output as _shoal_v1_PlacementPreference__Output } from './shoal/v1/PlacementPreference.js';
import type { Platform as _shoal_v1_Platform, Platform__Output as _shoal_v1_Platform__Output } from './shoal/v1/Platform.js';
import type { PublishLogsRequest as _shoal_v1_PublishLogsRequest, PublishLogsRequest__Output as _shoal_v1_PublishLogsRequest__Output } from './shoal/v1/PublishLogsRequest.js';
import type { PublishLogsResponse as _shoal_v1_PublishLogsResponse, PublishLogsResponse__Output as _shoal_v1_PublishLogsResponse__Output } from './shoal/v1/PublishLogsResponse.js';
import type { RemoveContainerRequest as _shoal_v1_RemoveContainerRequest, RemoveContainerRequest__Output as _shoal_v1_RemoveContainerRequest__Output } from './shoal/v1/RemoveContainerRequest.js';
import type { RemoveContainerResponse as _shoal_v1_RemoveContainerResponse, RemoveContainerResponse__Output as _shoal_v1_RemoveContainerResponse__Output } from './shoal/v1/RemoveContainerResponse.js';
import type { RemoveNetworkRequest as _shoal_v1_RemoveNetworkRequest, RemoveNetworkRequest__Output as _shoal_v1_RemoveNetworkRequest__Output } from './shoal/v1/RemoveNetworkRequest.js';
import type { RemoveNetworkResponse as _shoal_v1_RemoveNetworkResponse, RemoveNetworkResponse__Output as _shoal_v1_RemoveNetworkResponse__Output } from './shoal/v1/RemoveNetworkResponse.js';
import type { RemoveNodeRequest as _shoal_v1_RemoveNodeRequest, RemoveNodeRequest__Output as _shoal_v1_RemoveNodeRequest__Output } from './shoal/v1/RemoveNodeRequest.js';
import type { RemoveNodeResponse as _shoal_v1_RemoveNodeResponse, RemoveNodeResponse__Output as _shoal_v1_RemoveNodeResponse__Output } from './shoal/v1/RemoveNodeResponse.js';
import type { RemoveServiceRequest as _shoal_v1_RemoveServiceRequest, RemoveServiceRequest__Output as _shoal_v1_RemoveServiceRequest__Output } from './shoal/v1/RemoveServiceRequest.js';
import type { RemoveServiceResponse as _shoal_v1_RemoveServiceResponse, RemoveServiceResponse__Output as _shoal_v1_RemoveServiceResponse__Output } from './shoal/v1/RemoveServiceResponse.js';
import type { Resources as _shoal_v1_Resources, Resources__Output as _shoal_v1_Resources__Output } from './shoal/v1/Resources.js';
import type { RestartPolicy as _shoal_v1_RestartPolicy, RestartPolicy__Output as _shoal_v1_RestartPolicy__Output } from './shoal/v1/RestartPolicy.js';
import type { RotateJoinTokenRequest as _shoal_v1_RotateJoinTokenRequest, RotateJoinTokenRequest__Output as _shoal_v1_RotateJoinTokenRequest__Output } from './shoal/v1/RotateJoinTokenRequest.js';
import type { RotateJoinTokenResponse as _shoal_v1_RotateJoinTokenResponse, RotateJoinTokenResponse__Output as _shoal_v1_RotateJoinTokenResponse__Output } from './shoal/v1/RotateJoinTokenResponse.js';
import type { SaveBackupRequest as _shoal_v1_SaveBackupRequest, SaveBackupRequest__Output as _shoal_v1_SaveBackupRequest__Output } from './shoal/v1/SaveBackupRequest.js';
import type { Service as _shoal_v1_Service, Service__Output as _shoal_v1_Service__Output } from './shoal/v1/Service.js';
import type { ServiceSpec as _shoal_v1_ServiceSpec, ServiceSpec__Output as _shoal_v1_ServiceSpec__Output } from './shoal/v1/ServiceSpec.js';
import type { SubscribeLogsMessage as _shoal_v1_SubscribeLogsMessage, SubscribeLogsMessage__Output as _shoal_v1_SubscribeLogsMessage__Output } from './shoal/v1/SubscribeLogsMessage.js';
import type { SubscribeLogsRequest as _shoal_v1_SubscribeLogsRequest, SubscribeLogsRequest__Output as _shoal_v1_SubscribeLogsRequest__Output } from './shoal/v1/SubscribeLogsRequest.js';
import type { Task as _shoal_v1_Task, Task__Output as _shoal_v1_Task__Output } from './shoal/v1/Task.js';
import type { TaskStatus as _shoal_v1_TaskStatus, TaskStatus__Output as _shoal_v1_TaskStatus__Output } from './shoal/v1/TaskStatus.js';
import type { TaskTemplate as _shoal_v1_TaskTemplate, TaskTemplate__Output as _shoal_v1_TaskTemplate__Output } from './shoal/v1/TaskTemplate.js';
import type { UpdateClusterRequest as _shoal_v1_UpdateClusterRequest, UpdateClusterRequest__Output as _shoal_v1_UpdateClusterRequest__Output } from './shoal/v1/UpdateClusterRequest.js';
import type { UpdateClusterResponse as _shoal_v1_UpdateClusterResponse, UpdateClusterResponse__Output as _shoal_v1_UpdateClusterResponse__Output } from './shoal/v1/UpdateClusterResponse.js';
import type { UpdateConfig as _shoal_v1_UpdateConfig, UpdateConfig__Output as _shoal_v1_UpdateConfig__Output } from './shoal/v1/UpdateConfig.js';
import type { UpdateContainerRequest as _shoal_v1_UpdateContainerRequest, UpdateContainerRequest__Output as _shoal_v1_UpdateContainerRequest__Output } from './shoal/v1/UpdateContainerRequest.js';
import type { UpdateContainerResponse as _shoal_v1_UpdateContainerResponse, UpdateContainerResponse__Output as _shoal_v1_UpdateContainerResponse__Output } from './shoal/v1/UpdateContainerResponse.js';
import type { UpdateNetworkRequest as _shoal_v1_UpdateNetworkRequest, UpdateNetworkRequest__Output as _shoal_v1_UpdateNetworkRequest__Output } from './shoal/v1/UpdateNetworkRequest.js';
import type { UpdateNetworkResponse as _shoal_v1_UpdateNetworkResponse, UpdateNetworkResponse__Output as _shoal_v1_UpdateNetworkResponse__Output } from './shoal/v1/UpdateNetworkResponse.js';
import type { UpdateNodeRequest as _shoal_v1_UpdateNodeRequest, UpdateNodeRequest__Output as _shoal_v1_UpdateNodeRequest__Output } from './shoal/v1/UpdateNodeRequest.js';
import type { UpdateNodeResponse as _shoal_v1_UpdateNodeResponse, UpdateNodeResponse__Output as _shoal_v1_UpdateNodeResponse__Output } from './shoal/v1/UpdateNodeResponse.js';
import type { UpdateServiceRequest as _shoal_v1_UpdateServiceRequest, UpdateServiceRequest__Output as _shoal_v1_UpdateServiceRequest__Output } from './shoal/v1/UpdateServiceRequest.js';
import type { UpdateServiceResponse as _shoal_v1_UpdateServiceResponse, UpdateServiceResponse__Output as _shoal_v1_UpdateServiceResponse__Output } from './shoal/v1/UpdateServiceResponse.js';
import type { UpdateStatus as _shoal_v1_UpdateStatus, UpdateStatus__Output as _shoal_v1_UpdateStatus__Output } from './shoal/v1/UpdateStatus.js';
import type { VirtualIp as _shoal_v1_VirtualIp, VirtualIp__Output as _shoal_v1_VirtualIp__Output } from './shoal/v1/VirtualIp.js';

type SubtypeConstructor<Constructor extends new (...args: any) => any, Subtype> = {
  new(...args: ConstructorParameters<Constructor>): Subtype;
};

export interface ProtoGrpcType {
  shoal: {
    v1: {
      /**
       * Online backup of the replicated state (`shoal backup`). Any manager answers; the cluster keeps
       * taking writes while a backup is taken.
       */
      Backup: SubtypeConstructor<typeof grpc.Client, _shoal_v1_BackupClient> & { service: _shoal_v1_BackupDefinition }
      BackupChunk: MessageTypeDefinition<_shoal_v1_BackupChunk, _shoal_v1_BackupChunk__Output>
      BackupMeta: MessageTypeDefinition<_shoal_v1_BackupMeta, _shoal_v1_BackupMeta__Output>
      CheckNetworksRequest: MessageTypeDefinition<_shoal_v1_CheckNetworksRequest, _shoal_v1_CheckNetworksRequest__Output>
      CheckNetworksResponse: MessageTypeDefinition<_shoal_v1_CheckNetworksResponse, _shoal_v1_CheckNetworksResponse__Output>
      Cluster: MessageTypeDefinition<_shoal_v1_Cluster, _shoal_v1_Cluster__Output>
      Container: MessageTypeDefinition<_shoal_v1_Container, _shoal_v1_Container__Output>
      ContainerNetworkRequest: MessageTypeDefinition<_shoal_v1_ContainerNetworkRequest, _shoal_v1_ContainerNetworkRequest__Output>
      ContainerState: EnumTypeDefinition
      /**
       * CRUD for cluster objects, join tokens and cluster information.
       */
      Control: SubtypeConstructor<typeof grpc.Client, _shoal_v1_ControlClient> & { service: _shoal_v1_ControlDefinition }
      CreateContainerRequest: MessageTypeDefinition<_shoal_v1_CreateContainerRequest, _shoal_v1_CreateContainerRequest__Output>
      CreateContainerResponse: MessageTypeDefinition<_shoal_v1_CreateContainerResponse, _shoal_v1_CreateContainerResponse__Output>
      CreateNetworkRequest: MessageTypeDefinition<_shoal_v1_CreateNetworkRequest, _shoal_v1_CreateNetworkRequest__Output>
      CreateNetworkResponse: MessageTypeDefinition<_shoal_v1_CreateNetworkResponse, _shoal_v1_CreateNetworkResponse__Output>
      CreateServiceRequest: MessageTypeDefinition<_shoal_v1_CreateServiceRequest, _shoal_v1_CreateServiceRequest__Output>
      CreateServiceResponse: MessageTypeDefinition<_shoal_v1_CreateServiceResponse, _shoal_v1_CreateServiceResponse__Output>
      EndpointKind: EnumTypeDefinition
      EndpointMode: EnumTypeDefinition
      GetClusterInfoRequest: MessageTypeDefinition<_shoal_v1_GetClusterInfoRequest, _shoal_v1_GetClusterInfoRequest__Output>
      GetClusterInfoResponse: MessageTypeDefinition<_shoal_v1_GetClusterInfoResponse, _shoal_v1_GetClusterInfoResponse__Output>
      GetContainerRequest: MessageTypeDefinition<_shoal_v1_GetContainerRequest, _shoal_v1_GetContainerRequest__Output>
      GetContainerResponse: MessageTypeDefinition<_shoal_v1_GetContainerResponse, _shoal_v1_GetContainerResponse__Output>
      GetJoinTokensRequest: MessageTypeDefinition<_shoal_v1_GetJoinTokensRequest, _shoal_v1_GetJoinTokensRequest__Output>
      GetJoinTokensResponse: MessageTypeDefinition<_shoal_v1_GetJoinTokensResponse, _shoal_v1_GetJoinTokensResponse__Output>
      GetNetworkRequest: MessageTypeDefinition<_shoal_v1_GetNetworkRequest, _shoal_v1_GetNetworkRequest__Output>
      GetNetworkResponse: MessageTypeDefinition<_shoal_v1_GetNetworkResponse, _shoal_v1_GetNetworkResponse__Output>
      GetNodeRequest: MessageTypeDefinition<_shoal_v1_GetNodeRequest, _shoal_v1_GetNodeRequest__Output>
      GetNodeResponse: MessageTypeDefinition<_shoal_v1_GetNodeResponse, _shoal_v1_GetNodeResponse__Output>
      GetServiceRequest: MessageTypeDefinition<_shoal_v1_GetServiceRequest, _shoal_v1_GetServiceRequest__Output>
      GetServiceResponse: MessageTypeDefinition<_shoal_v1_GetServiceResponse, _shoal_v1_GetServiceResponse__Output>
      GetTaskRequest: MessageTypeDefinition<_shoal_v1_GetTaskRequest, _shoal_v1_GetTaskRequest__Output>
      GetTaskResponse: MessageTypeDefinition<_shoal_v1_GetTaskResponse, _shoal_v1_GetTaskResponse__Output>
      ListContainersRequest: MessageTypeDefinition<_shoal_v1_ListContainersRequest, _shoal_v1_ListContainersRequest__Output>
      ListContainersResponse: MessageTypeDefinition<_shoal_v1_ListContainersResponse, _shoal_v1_ListContainersResponse__Output>
      ListFilter: MessageTypeDefinition<_shoal_v1_ListFilter, _shoal_v1_ListFilter__Output>
      ListNetworksRequest: MessageTypeDefinition<_shoal_v1_ListNetworksRequest, _shoal_v1_ListNetworksRequest__Output>
      ListNetworksResponse: MessageTypeDefinition<_shoal_v1_ListNetworksResponse, _shoal_v1_ListNetworksResponse__Output>
      ListNodesRequest: MessageTypeDefinition<_shoal_v1_ListNodesRequest, _shoal_v1_ListNodesRequest__Output>
      ListNodesResponse: MessageTypeDefinition<_shoal_v1_ListNodesResponse, _shoal_v1_ListNodesResponse__Output>
      ListServicesRequest: MessageTypeDefinition<_shoal_v1_ListServicesRequest, _shoal_v1_ListServicesRequest__Output>
      ListServicesResponse: MessageTypeDefinition<_shoal_v1_ListServicesResponse, _shoal_v1_ListServicesResponse__Output>
      ListTasksRequest: MessageTypeDefinition<_shoal_v1_ListTasksRequest, _shoal_v1_ListTasksRequest__Output>
      ListTasksResponse: MessageTypeDefinition<_shoal_v1_ListTasksResponse, _shoal_v1_ListTasksResponse__Output>
      ListenLogSubscriptionsRequest: MessageTypeDefinition<_shoal_v1_ListenLogSubscriptionsRequest, _shoal_v1_ListenLogSubscriptionsRequest__Output>
      LogLine: MessageTypeDefinition<_shoal_v1_LogLine, _shoal_v1_LogLine__Output>
      LogOptions: MessageTypeDefinition<_shoal_v1_LogOptions, _shoal_v1_LogOptions__Output>
      LogSource: MessageTypeDefinition<_shoal_v1_LogSource, _shoal_v1_LogSource__Output>
      LogSubscription: MessageTypeDefinition<_shoal_v1_LogSubscription, _shoal_v1_LogSubscription__Output>
      /**
       * Task output, relayed by the leader between clients and node agents. A client subscribes on
       * any manager (a follower forwards the stream to the leader, which holds the agents'
       * sessions); the leader asks each node that holds a selected task for its lines over that
       * node's ListenLogSubscriptions stream, and the node sends them back with PublishLogs.
       */
      Logs: SubtypeConstructor<typeof grpc.Client, _shoal_v1_LogsClient> & { service: _shoal_v1_LogsDefinition }
      ManagerInfo: MessageTypeDefinition<_shoal_v1_ManagerInfo, _shoal_v1_ManagerInfo__Output>
      Network: MessageTypeDefinition<_shoal_v1_Network, _shoal_v1_Network__Output>
      NetworkAttachment: MessageTypeDefinition<_shoal_v1_NetworkAttachment, _shoal_v1_NetworkAttachment__Output>
      NetworkCheckResult: MessageTypeDefinition<_shoal_v1_NetworkCheckResult, _shoal_v1_NetworkCheckResult__Output>
      NetworkEndpoint: MessageTypeDefinition<_shoal_v1_NetworkEndpoint, _shoal_v1_NetworkEndpoint__Output>
      Node: MessageTypeDefinition<_shoal_v1_Node, _shoal_v1_Node__Output>
      NodeAvailability: EnumTypeDefinition
      NodeRole: EnumTypeDefinition
      NodeStatus: EnumTypeDefinition
      Placement: MessageTypeDefinition<_shoal_v1_Placement, _shoal_v1_Placement__Output>
      PlacementPreference: MessageTypeDefinition<_shoal_v1_PlacementPreference, _shoal_v1_PlacementPreference__Output>
      Platform: MessageTypeDefinition<_shoal_v1_Platform, _shoal_v1_Platform__Output>
      PublishLogsRequest: MessageTypeDefinition<_shoal_v1_PublishLogsRequest, _shoal_v1_PublishLogsRequest__Output>
      PublishLogsResponse: MessageTypeDefinition<_shoal_v1_PublishLogsResponse, _shoal_v1_PublishLogsResponse__Output>
      Reachability: EnumTypeDefinition
      RemoveContainerRequest: MessageTypeDefinition<_shoal_v1_RemoveContainerRequest, _shoal_v1_RemoveContainerRequest__Output>
      RemoveContainerResponse: MessageTypeDefinition<_shoal_v1_RemoveContainerResponse, _shoal_v1_RemoveContainerResponse__Output>
      RemoveNetworkRequest: MessageTypeDefinition<_shoal_v1_RemoveNetworkRequest, _shoal_v1_RemoveNetworkRequest__Output>
      RemoveNetworkResponse: MessageTypeDefinition<_shoal_v1_RemoveNetworkResponse, _shoal_v1_RemoveNetworkResponse__Output>
      RemoveNodeRequest: MessageTypeDefinition<_shoal_v1_RemoveNodeRequest, _shoal_v1_RemoveNodeRequest__Output>
      RemoveNodeResponse: MessageTypeDefinition<_shoal_v1_RemoveNodeResponse, _shoal_v1_RemoveNodeResponse__Output>
      RemoveServiceRequest: MessageTypeDefinition<_shoal_v1_RemoveServiceRequest, _shoal_v1_RemoveServiceRequest__Output>
      RemoveServiceResponse: MessageTypeDefinition<_shoal_v1_RemoveServiceResponse, _shoal_v1_RemoveServiceResponse__Output>
      Resources: MessageTypeDefinition<_shoal_v1_Resources, _shoal_v1_Resources__Output>
      RestartCondition: EnumTypeDefinition
      RestartPolicy: MessageTypeDefinition<_shoal_v1_RestartPolicy, _shoal_v1_RestartPolicy__Output>
      RotateJoinTokenRequest: MessageTypeDefinition<_shoal_v1_RotateJoinTokenRequest, _shoal_v1_RotateJoinTokenRequest__Output>
      RotateJoinTokenResponse: MessageTypeDefinition<_shoal_v1_RotateJoinTokenResponse, _shoal_v1_RotateJoinTokenResponse__Output>
      SaveBackupRequest: MessageTypeDefinition<_shoal_v1_SaveBackupRequest, _shoal_v1_SaveBackupRequest__Output>
      Service: MessageTypeDefinition<_shoal_v1_Service, _shoal_v1_Service__Output>
      ServiceMode: EnumTypeDefinition
      ServiceSpec: MessageTypeDefinition<_shoal_v1_ServiceSpec, _shoal_v1_ServiceSpec__Output>
      SubscribeLogsMessage: MessageTypeDefinition<_shoal_v1_SubscribeLogsMessage, _shoal_v1_SubscribeLogsMessage__Output>
      SubscribeLogsRequest: MessageTypeDefinition<_shoal_v1_SubscribeLogsRequest, _shoal_v1_SubscribeLogsRequest__Output>
      Task: MessageTypeDefinition<_shoal_v1_Task, _shoal_v1_Task__Output>
      TaskState: EnumTypeDefinition
      TaskStatus: MessageTypeDefinition<_shoal_v1_TaskStatus, _shoal_v1_TaskStatus__Output>
      TaskTemplate: MessageTypeDefinition<_shoal_v1_TaskTemplate, _shoal_v1_TaskTemplate__Output>
      UpdateClusterRequest: MessageTypeDefinition<_shoal_v1_UpdateClusterRequest, _shoal_v1_UpdateClusterRequest__Output>
      UpdateClusterResponse: MessageTypeDefinition<_shoal_v1_UpdateClusterResponse, _shoal_v1_UpdateClusterResponse__Output>
      UpdateConfig: MessageTypeDefinition<_shoal_v1_UpdateConfig, _shoal_v1_UpdateConfig__Output>
      UpdateContainerRequest: MessageTypeDefinition<_shoal_v1_UpdateContainerRequest, _shoal_v1_UpdateContainerRequest__Output>
      UpdateContainerResponse: MessageTypeDefinition<_shoal_v1_UpdateContainerResponse, _shoal_v1_UpdateContainerResponse__Output>
      UpdateFailureAction: EnumTypeDefinition
      UpdateNetworkRequest: MessageTypeDefinition<_shoal_v1_UpdateNetworkRequest, _shoal_v1_UpdateNetworkRequest__Output>
      UpdateNetworkResponse: MessageTypeDefinition<_shoal_v1_UpdateNetworkResponse, _shoal_v1_UpdateNetworkResponse__Output>
      UpdateNodeRequest: MessageTypeDefinition<_shoal_v1_UpdateNodeRequest, _shoal_v1_UpdateNodeRequest__Output>
      UpdateNodeResponse: MessageTypeDefinition<_shoal_v1_UpdateNodeResponse, _shoal_v1_UpdateNodeResponse__Output>
      UpdateOrder: EnumTypeDefinition
      UpdateServiceRequest: MessageTypeDefinition<_shoal_v1_UpdateServiceRequest, _shoal_v1_UpdateServiceRequest__Output>
      UpdateServiceResponse: MessageTypeDefinition<_shoal_v1_UpdateServiceResponse, _shoal_v1_UpdateServiceResponse__Output>
      UpdateState: EnumTypeDefinition
      UpdateStatus: MessageTypeDefinition<_shoal_v1_UpdateStatus, _shoal_v1_UpdateStatus__Output>
      VirtualIp: MessageTypeDefinition<_shoal_v1_VirtualIp, _shoal_v1_VirtualIp__Output>
    }
  }
}

