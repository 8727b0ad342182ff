import type * as grpc from '@grpc/grpc-js';
import type { EnumTypeDefinition, MessageTypeDefinition } from '@grpc/proto-loader';

import type { AssignmentChange as _shoal_v1_AssignmentChange, AssignmentChange__Output as _shoal_v1_AssignmentChange__Output } from './shoal/v1/AssignmentChange.js';
import type { AssignmentsMessage as _shoal_v1_AssignmentsMessage, AssignmentsMessage__Output as _shoal_v1_AssignmentsMessage__Output } from './shoal/v1/AssignmentsMessage.js';
import type { AssignmentsRequest as _shoal_v1_AssignmentsRequest, AssignmentsRequest__Output as _shoal_v1_AssignmentsRequest__Output } from './shoal/v1/AssignmentsRequest.js';
import type { Cluster as _shoal_v1_Cluster, Cluster__Output as _shoal_v1_Cluster__Output } from './shoal/v1/Cluster.js';
import type { Container as _shoal_v1_Container, Container__Output as _shoal_v1_Container__Output } from './shoal/v1/Container.js';
import type { DispatcherClient as _shoal_v1_DispatcherClient, DispatcherDefinition as _shoal_v1_DispatcherDefinition } from './shoal/v1/Dispatcher.js';
import type { EndpointNames as _shoal_v1_EndpointNames, EndpointNames__Output as _shoal_v1_EndpointNames__Output } from './shoal/v1/EndpointNames.js';
import type { HeartbeatRequest as _shoal_v1_HeartbeatRequest, HeartbeatRequest__Output as _shoal_v1_HeartbeatRequest__Output } from './shoal/v1/HeartbeatRequest.js';
import type { HeartbeatResponse as _shoal_v1_HeartbeatResponse, HeartbeatResponse__Output as _shoal_v1_HeartbeatResponse__Output } from './shoal/v1/HeartbeatResponse.js';
import type { NamesMessage as _shoal_v1_NamesMessage, NamesMessage__Output as _shoal_v1_NamesMessage__Output } from './shoal/v1/NamesMessage.js';
import type { NamesRequest as _shoal_v1_NamesRequest, NamesRequest__Output as _shoal_v1_NamesRequest__Output } from './shoal/v1/NamesRequest.js';
import type { Network as _shoal_v1_Network, Network__Output as _shoal_v1_Network__Output } from './shoal/v1/Network.js';
import type { NetworkAttachment as _shoal_v1_NetworkAttachment, NetworkAttachment__Output as _shoal_v1_NetworkAttachment__Output } from './shoal/v1/NetworkAttachment.js';
import type { NetworkNames as _shoal_v1_NetworkNames, NetworkNames__Output as _shoal_v1_NetworkNames__Output } from './shoal/v1/NetworkNames.js';
import type { NetworkPeer as _shoal_v1_NetworkPeer, NetworkPeer__Output as _shoal_v1_NetworkPeer__Output } from './shoal/v1/NetworkPeer.js';
import type { Node as _shoal_v1_Node, Node__Output as _shoal_v1_Node__Output } from './shoal/v1/Node.js';
import type { NodeDescription as _shoal_v1_NodeDescription, NodeDescription__Output as _shoal_v1_NodeDescription__Output } from './shoal/v1/NodeDescription.js';
import type { Placement as _shoal_v1_Placement, Placement__Output as _shoal_v1_Placement__Output } from './shoal/v1/Placement.js';
import type { PlacementPreference as _shoal_v1_PlacementPreference, PlacementPreference__Output as _shoal_v1_PlacementPreference__Output } from './shoal/v1/PlacementPreference.js';
import type { Platform as _shoal_v1_Platform, Platform__Output as _shoal_v1_Platform__Output } from './shoal/v1/Platform.js';
import type { Resources as _shoal_v1_Resources, Resources__Output as _shoal_v1_Resources__Output } from './shoal/v1/Resources.js';
import type { RestartPolicy as _shoal_v1_RestartPolicy, RestartPolicy__Output as _shoal_v1_RestartPolicy__Output } from './shoal/v1/RestartPolicy.js';
import type { Service as _shoal_v1_Service, Service__Output as _shoal_v1_Service__Output } from './shoal/v1/Service.js';
import type { ServiceNames as _shoal_v1_ServiceNames, ServiceNames__Output as _shoal_v1_ServiceNames__Output } from './shoal/v1/ServiceNames.js';
import type { SessionGoodbye as _shoal_v1_SessionGoodbye, SessionGoodbye__Output as _shoal_v1_SessionGoodbye__Output } from './shoal/v1/SessionGoodbye.js';
import type { SessionHeartbeat as _shoal_v1_SessionHeartbeat, SessionHeartbeat__Output as _shoal_v1_SessionHeartbeat__Output } from './shoal/v1/SessionHeartbeat.js';
import type { SessionMessage as _shoal_v1_SessionMessage, SessionMessage__Output as _shoal_v1_SessionMessage__Output } from './shoal/v1/SessionMessage.js';
import type { SessionRequest as _shoal_v1_SessionRequest, SessionRequest__Output as _shoal_v1_SessionRequest__Output } from './shoal/v1/SessionRequest.js';
import type { SessionStreamRequest as _shoal_v1_SessionStreamRequest, SessionStreamRequest__Output as _shoal_v1_SessionStreamRequest__Output } from './shoal/v1/SessionStreamRequest.js';
import type { Task as _shoal_v1_Task, Task__Output as _shoal_v1_Task__Output } from './shoal/v1/Task.js';
import type { TaskStatus as _shoal_v1_TaskStatus, TaskStatus__Output as _shoal_v1_TaskStatus__Output } from './shoal/v1/TaskStatus.js';
import type { TaskStatusUpdate as _shoal_v1_TaskStatusUpdate, TaskStatusUpdate__Output as _shoal_v1_TaskStatusUpdate__Output } from './shoal/v1/TaskStatusUpdate.js';
import type { TaskTemplate as _shoal_v1_TaskTemplate, TaskTemplate__Output as _shoal_v1_TaskTemplate__Output } from './shoal/v1/TaskTemplate.js';
import type { UpdateConfig as _shoal_v1_UpdateConfig, UpdateConfig__Output as _shoal_v1_UpdateConfig__Output } from './shoal/v1/UpdateConfig.js';
import type { UpdateStatus as _shoal_v1_UpdateStatus, UpdateStatus__Output as _shoal_v1_UpdateStatus__Output } from './shoal/v1/UpdateStatus.js';
import type { UpdateTaskStatusRequest as _shoal_v1_UpdateTaskStatusRequest, UpdateTaskStatusRequest__Output as _shoal_v1_UpdateTaskStatusRequest__Output } from './shoal/v1/UpdateTaskStatusRequest.js';
import type { UpdateTaskStatusResponse as _shoal_v1_UpdateTaskStatusResponse, UpdateTaskStatusResponse__Output as _shoal_v1_UpdateTaskStatusResponse__Output } from './shoal/v1/UpdateTaskStatusResponse.js';
import type { VirtualIp as _shoal_v1_VirtualIp, VirtualIp__Output as _shoal_v1_VirtualIp__Output } from './shoal/v1/VirtualIp.js';
import type { WeightedPeer as _shoal_v1_WeightedPeer, WeightedPeer__Output as _shoal_v1_WeightedPeer__Output } from './shoal/v1/WeightedPeer.js';

type SubtypeConstructor<Constructor extends new (...args: any) => any, Subtype> = {
  new(...args: ConstructorParameters<Constructor>): Subtype;
};

export interface ProtoGrpcType {
  shoal: {
    v1: {
      AssignmentAction: EnumTypeDefinition
      AssignmentChange: MessageTypeDefinition<_shoal_v1_AssignmentChange, _shoal_v1_AssignmentChange__Output>
      AssignmentsMessage: MessageTypeDefinition<_shoal_v1_AssignmentsMessage, _shoal_v1_AssignmentsMessage__Output>
      AssignmentsRequest: MessageTypeDefinition<_shoal_v1_AssignmentsRequest, _shoal_v1_AssignmentsRequest__Output>
      AssignmentsType: EnumTypeDefinition
      Cluster: MessageTypeDefinition<_shoal_v1_Cluster, _shoal_v1_Cluster__Output>
      Container: MessageTypeDefinition<_shoal_v1_Container, _shoal_v1_Container__Output>
      ContainerState: EnumTypeDefinition
      /**
       * Served by every manager.
       */
      Dispatcher: SubtypeConstructor<typeof grpc.Client, _shoal_v1_DispatcherClient> & { service: _shoal_v1_DispatcherDefinition }
      EndpointMode: EnumTypeDefinition
      EndpointNames: MessageTypeDefinition<_shoal_v1_EndpointNames, _shoal_v1_EndpointNames__Output>
      HeartbeatRequest: MessageTypeDefinition<_shoal_v1_HeartbeatRequest, _shoal_v1_HeartbeatRequest__Output>
      HeartbeatResponse: MessageTypeDefinition<_shoal_v1_HeartbeatResponse, _shoal_v1_HeartbeatResponse__Output>
      NameOwnerKind: EnumTypeDefinition
      NamesMessage: MessageTypeDefinition<_shoal_v1_NamesMessage, _shoal_v1_NamesMessage__Output>
      NamesRequest: MessageTypeDefinition<_shoal_v1_NamesRequest, _shoal_v1_NamesRequest__Output>
      Network: MessageTypeDefinition<_shoal_v1_Network, _shoal_v1_Network__Output>
      NetworkAttachment: MessageTypeDefinition<_shoal_v1_NetworkAttachment, _shoal_v1_NetworkAttachment__Output>
      NetworkNames: MessageTypeDefinition<_shoal_v1_NetworkNames, _shoal_v1_NetworkNames__Output>
      NetworkPeer: MessageTypeDefinition<_shoal_v1_NetworkPeer, _shoal_v1_NetworkPeer__Output>
      Node: MessageTypeDefinition<_shoal_v1_Node, _shoal_v1_Node__Output>
      NodeAvailability: EnumTypeDefinition
      NodeDescription: MessageTypeDefinition<_shoal_v1_NodeDescription, _shoal_v1_NodeDescription__Output>
      NodeRole: EnumTypeDefinition
      NodeStatus: EnumTypeDefinition
      Placement: MessageTypeDefinition<_shoal_v1_Placement, _shoal_v1_Placement__Output>
      PlacementPreference: MessageTypeDefinition<_shoal_v1_PlacementPreference, _shoal_v1_PlacementPreference__Output>
      Platform: MessageTypeDefinition<_shoal_v1_Platform, _shoal_v1_Platform__Output>
      Reachability: EnumTypeDefinition
      Resources: MessageTypeDefinition<_shoal_v1_Resources, _shoal_v1_Resources__Output>
      RestartCondition: EnumTypeDefinition
      RestartPolicy: MessageTypeDefinition<_shoal_v1_RestartPolicy, _shoal_v1_RestartPolicy__Output>
      Service: MessageTypeDefinition<_shoal_v1_Service, _shoal_v1_Service__Output>
      ServiceMode: EnumTypeDefinition
      ServiceNames: MessageTypeDefinition<_shoal_v1_ServiceNames, _shoal_v1_ServiceNames__Output>
      SessionGoodbye: MessageTypeDefinition<_shoal_v1_SessionGoodbye, _shoal_v1_SessionGoodbye__Output>
      SessionHeartbeat: MessageTypeDefinition<_shoal_v1_SessionHeartbeat, _shoal_v1_SessionHeartbeat__Output>
      SessionMessage: MessageTypeDefinition<_shoal_v1_SessionMessage, _shoal_v1_SessionMessage__Output>
      SessionRequest: MessageTypeDefinition<_shoal_v1_SessionRequest, _shoal_v1_SessionRequest__Output>
      SessionStreamRequest: MessageTypeDefinition<_shoal_v1_SessionStreamRequest, _shoal_v1_SessionStreamRequest__Output>
      Task: MessageTypeDefinition<_shoal_v1_Task, _shoal_v1_Task__Output>
      TaskState: EnumTypeDefinition
      TaskStatus: MessageTypeDefinition<_shoal_v1_TaskStatus, _shoal_v1_TaskStatus__Output>
      TaskStatusUpdate: MessageTypeDefinition<_shoal_v1_TaskStatusUpdate, _shoal_v1_TaskStatusUpdate__Output>
      TaskTemplate: MessageTypeDefinition<_shoal_v1_TaskTemplate, _shoal_v1_TaskTemplate__Output>
      UpdateConfig: MessageTypeDefinition<_shoal_v1_UpdateConfig, _shoal_v1_UpdateConfig__Output>
      UpdateFailureAction: EnumTypeDefinition
      UpdateOrder: EnumTypeDefinition
      UpdateState: EnumTypeDefinition
      UpdateStatus: MessageTypeDefinition<_shoal_v1_UpdateStatus, _shoal_v1_UpdateStatus__Output>
      UpdateTaskStatusRequest: MessageTypeDefinition<_shoal_v1_UpdateTaskStatusRequest, _shoal_v1_UpdateTaskStatusRequest__Output>
      UpdateTaskStatusResponse: MessageTypeDefinition<_shoal_v1_UpdateTaskStatusResponse, _shoal_v1_UpdateTaskStatusResponse__Output>
      VirtualIp: MessageTypeDefinition<_shoal_v1_VirtualIp, _shoal_v1_VirtualIp__Output>
      WeightedPeer: MessageTypeDefinition<_shoal_v1_WeightedPeer, _shoal_v1_WeightedPeer__Output>
    }
  }
}

