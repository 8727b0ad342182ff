import type * as grpc from '@grpc/grpc-js';
import type { EnumTypeDefinition, MessageTypeDefinition } from '@grpc/proto-loader';

import type { Cluster as _shoal_v1_Cluster, Cluster__Output as _shoal_v1_Cluster__Output } from './shoal/v1/Cluster.js';
import type { Container as _shoal_v1_Container, Container__Output as _shoal_v1_Container__Output } from './shoal/v1/Container.js';
import type { Network as _shoal_v1_Network, Network__Output as _shoal_v1_Network__Output } from './shoal/v1/Network.js';
import type { NetworkAttachment as _shoal_v1_NetworkAttachment, NetworkAttachment__Output as _shoal_v1_NetworkAttachment__Output } from './shoal/v1/NetworkAttachment.js';
import type { Node as _shoal_v1_Node, Node__Output as _shoal_v1_Node__Output } from './shoal/v1/Node.js';
import type { Placement as _shoal_v1_Placement, Placement__Output as _shoal_v1_Placement__Output } from './shoal/v1/Placement.js';
import type { PlacementPreference as _shoal_v1_PlacementPreference, PlacementPreference__Output as _shoal_v1_PlacementPreference__Output } from './shoal/v1/PlacementPreference.js';
import type { Platform as _shoal_v1_Platform, Platform__Output as _shoal_v1_Platform__Output } from './shoal/v1/Platform.js';
import type { Resources as _shoal_v1_Resources, Resources__Output as _shoal_v1_Resources__Output } from './shoal/v1/Resources.js';
import type { RestartPolicy as _shoal_v1_RestartPolicy, RestartPolicy__Output as _shoal_v1_RestartPolicy__Output } from './shoal/v1/RestartPolicy.js';
import type { Service as _shoal_v1_Service, Service__Output as _shoal_v1_Service__Output } from './shoal/v1/Service.js';
import type { Task as _shoal_v1_Task, Task__Output as _shoal_v1_Task__Output } from './shoal/v1/Task.js';
import type { TaskStatus as _shoal_v1_TaskStatus, TaskStatus__Output as _shoal_v1_TaskStatus__Output } from './shoal/v1/TaskStatus.js';
import type { TaskTemplate as _shoal_v1_TaskTemplate, TaskTemplate__Output as _shoal_v1_TaskTemplate__Output } from './shoal/v1/TaskTemplate.js';
import type { UpdateConfig as _shoal_v1_UpdateConfig, UpdateConfig__Output as _shoal_v1_UpdateConfig__Output } from './shoal/v1/UpdateConfig.js';
import type { UpdateStatus as _shoal_v1_UpdateStatus, UpdateStatus__Output as _shoal_v1_UpdateStatus__Output } from './shoal/v1/UpdateStatus.js';
import type { VirtualIp as _shoal_v1_VirtualIp, VirtualIp__Output as _shoal_v1_VirtualIp__Output } from './shoal/v1/VirtualIp.js';
import type { WatchClient as _shoal_v1_WatchClient, WatchDefinition as _shoal_v1_WatchDefinition } from './shoal/v1/Watch.js';
import type { WatchEvent as _shoal_v1_WatchEvent, WatchEvent__Output as _shoal_v1_WatchEvent__Output } from './shoal/v1/WatchEvent.js';
import type { WatchRequest as _shoal_v1_WatchRequest, WatchRequest__Output as _shoal_v1_WatchRequest__Output } from './shoal/v1/WatchRequest.js';

type SubtypeConstructor<Constructor extends new (...args: any) => any, Subtype> = {
  new(...args: ConstructorParameters<Constructor>): Subtype;
};

export interface ProtoGrpcType {
  shoal: {
    v1: {
      Cluster: MessageTypeDefinition<_shoal_v1_Cluster, _shoal_v1_Cluster__Output>
      Container: MessageTypeDefinition<_shoal_v1_Container, _shoal_v1_Container__Output>
      ContainerState: EnumTypeDefinition
      EndpointMode: EnumTypeDefinition
      Network: MessageTypeDefinition<_shoal_v1_Network, _shoal_v1_Network__Output>
      NetworkAttachment: MessageTypeDefinition<_shoal_v1_NetworkAttachment, _shoal_v1_NetworkAttachment__Output>
      Node: MessageTypeDefinition<_shoal_v1_Node, _shoal_v1_Node__Output>
      NodeAvailability: EnumTypeDefinition
      NodeRole: EnumTypeDefinition
      NodeStatus: EnumTypeDefinition
      ObjectKind: EnumTypeDefinition
      Placement: MessageTypeDefinition<_shoal_v1_Placement, _shoal_v1_Placement__Output>
      PlacementPreference: MessageTypeDefinition<_shoal_v1_PlacementPreference, _shoal_v1_PlacementPreference__Output>
      Platform: MessageTypeDefinition<_shoal_v1_Platform, _shoal_v1_Platform__Output>
      Reachability: EnumTypeDefinition
      Resources: MessageTypeDefinition<_shoal_v1_Resources, _shoal_v1_Resources__Output>
      RestartCondition: EnumTypeDefinition
      RestartPolicy: MessageTypeDefinition<_shoal_v1_RestartPolicy, _shoal_v1_RestartPolicy__Output>
      Service: MessageTypeDefinition<_shoal_v1_Service, _shoal_v1_Service__Output>
      ServiceMode: EnumTypeDefinition
      Task: MessageTypeDefinition<_shoal_v1_Task, _shoal_v1_Task__Output>
      TaskState: EnumTypeDefinition
      TaskStatus: MessageTypeDefinition<_shoal_v1_TaskStatus, _shoal_v1_TaskStatus__Output>
      TaskTemplate: MessageTypeDefinition<_shoal_v1_TaskTemplate, _shoal_v1_TaskTemplate__Output>
      UpdateConfig: MessageTypeDefinition<_shoal_v1_UpdateConfig, _shoal_v1_UpdateConfig__Output>
      UpdateFailureAction: EnumTypeDefinition
      UpdateOrder: EnumTypeDefinition
      UpdateState: EnumTypeDefinition
      UpdateStatus: MessageTypeDefinition<_shoal_v1_UpdateStatus, _shoal_v1_UpdateStatus__Output>
      VirtualIp: MessageTypeDefinition<_shoal_v1_VirtualIp, _shoal_v1_VirtualIp__Output>
      /**
       * Change notifications. Served by every manager from its applied state.
       */
      Watch: SubtypeConstructor<typeof grpc.Client, _shoal_v1_WatchClient> & { service: _shoal_v1_WatchDefinition }
      WatchAction: EnumTypeDefinition
      WatchEvent: MessageTypeDefinition<_shoal_v1_WatchEvent, _shoal_v1_WatchEvent__Output>
      WatchRequest: MessageTypeDefinition<_shoal_v1_WatchRequest, _shoal_v1_WatchRequest__Output>
    }
  }
}

