import type * as grpc from '@grpc/grpc-js';
import type { EnumTypeDefinition, MessageTypeDefinition } from '@grpc/proto-loader';

import type { Cluster as _shoal_v1_Cluster, Cluster__Output as _shoal_v1_Cluster__Output } from './shoal/v1/Cluster.js';
import type { Container as _shoal_v1_Container, Container__Output as _shoal_v1_Container__Output } from './shoal/v1/Container.js';
import type { JoinRequest as _shoal_v1_JoinRequest, JoinRequest__Output as _shoal_v1_JoinRequest__Output } from './shoal/v1/JoinRequest.js';
import type { JoinResponse as _shoal_v1_JoinResponse, JoinResponse__Output as _shoal_v1_JoinResponse__Output } from './shoal/v1/JoinResponse.js';
import type { LeaveRequest as _shoal_v1_LeaveRequest, LeaveRequest__Output as _shoal_v1_LeaveRequest__Output } from './shoal/v1/LeaveRequest.js';
import type { LeaveResponse as _shoal_v1_LeaveResponse, LeaveResponse__Output as _shoal_v1_LeaveResponse__Output } from './shoal/v1/LeaveResponse.js';
import type { ListMembersRequest as _shoal_v1_ListMembersRequest, ListMembersRequest__Output as _shoal_v1_ListMembersRequest__Output } from './shoal/v1/ListMembersRequest.js';
import type { ListMembersResponse as _shoal_v1_ListMembersResponse, ListMembersResponse__Output as _shoal_v1_ListMembersResponse__Output } from './shoal/v1/ListMembersResponse.js';
import type { Network as _shoal_v1_Network, Network__Output as _shoal_v1_Network__Output } from './shoal/v1/Network.js';
import type { NetworkAttachment as _shoal_v1_NetworkAttachment, NetworkAttachment__Output as _shoal_v1_NetworkAttachment__Output } from './shoal/v1/NetworkAttachment.js';
import type { Node as _shoal_v1_Node, Node__Output as _shoal_v1_Node__Output } from './shoal/v1/Node.js';
import type { Placement as _shoal_v1_Placement, Placement__Output as _shoal_v1_Placement__Output } from './shoal/v1/Placement.js';
import type { PlacementPreference as _shoal_v1_PlacementPreference, PlacementPreference__Output as _shoal_v1_PlacementPreference__Output } from './shoal/v1/PlacementPreference.js';
import type { Platform as _shoal_v1_Platform, Platform__Output as _shoal_v1_Platform__Output } from './shoal/v1/Platform.js';
import type { RaftClient as _shoal_v1_RaftClient, RaftDefinition as _shoal_v1_RaftDefinition } from './shoal/v1/Raft.js';
import type { RaftBatch as _shoal_v1_RaftBatch, RaftBatch__Output as _shoal_v1_RaftBatch__Output } from './shoal/v1/RaftBatch.js';
import type { RaftConfState as _shoal_v1_RaftConfState, RaftConfState__Output as _shoal_v1_RaftConfState__Output } from './shoal/v1/RaftConfState.js';
import type { RaftEntry as _shoal_v1_RaftEntry, RaftEntry__Output as _shoal_v1_RaftEntry__Output } from './shoal/v1/RaftEntry.js';
import type { RaftMember as _shoal_v1_RaftMember, RaftMember__Output as _shoal_v1_RaftMember__Output } from './shoal/v1/RaftMember.js';
import type { RaftMessage as _shoal_v1_RaftMessage, RaftMessage__Output as _shoal_v1_RaftMessage__Output } from './shoal/v1/RaftMessage.js';
import type { RaftSnapshotChunk as _shoal_v1_RaftSnapshotChunk, RaftSnapshotChunk__Output as _shoal_v1_RaftSnapshotChunk__Output } from './shoal/v1/RaftSnapshotChunk.js';
import type { RaftSnapshotMeta as _shoal_v1_RaftSnapshotMeta, RaftSnapshotMeta__Output as _shoal_v1_RaftSnapshotMeta__Output } from './shoal/v1/RaftSnapshotMeta.js';
import type { RaftStreamSummary as _shoal_v1_RaftStreamSummary, RaftStreamSummary__Output as _shoal_v1_RaftStreamSummary__Output } from './shoal/v1/RaftStreamSummary.js';
import type { Resources as _shoal_v1_Resources, Resources__Output as _shoal_v1_Resources__Output } from './shoal/v1/Resources.js';
import type { RestartPolicy as _shoal_v1_RestartPolicy, RestartPolicy__Output as _shoal_v1_RestartPolicy__Output } from './shoal/v1/RestartPolicy.js';
import type { Service as _shoal_v1_Service, Service__Output as _shoal_v1_Service__Output } from './shoal/v1/Service.js';
import type { Task as _shoal_v1_Task, Task__Output as _shoal_v1_Task__Output } from './shoal/v1/Task.js';
import type { TaskStatus as _shoal_v1_TaskStatus, TaskStatus__Output as _shoal_v1_TaskStatus__Output } from './shoal/v1/TaskStatus.js';
import type { TaskTemplate as _shoal_v1_TaskTemplate, TaskTemplate__Output as _shoal_v1_TaskTemplate__Output } from './shoal/v1/TaskTemplate.js';
import type { UpdateConfig as _shoal_v1_UpdateConfig, UpdateConfig__Output as _shoal_v1_UpdateConfig__Output } from './shoal/v1/UpdateConfig.js';
import type { UpdateStatus as _shoal_v1_UpdateStatus, UpdateStatus__Output as _shoal_v1_UpdateStatus__Output } from './shoal/v1/UpdateStatus.js';
import type { VirtualIp as _shoal_v1_VirtualIp, VirtualIp__Output as _shoal_v1_VirtualIp__Output } from './shoal/v1/VirtualIp.js';

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
      JoinRequest: MessageTypeDefinition<_shoal_v1_JoinRequest, _shoal_v1_JoinRequest__Output>
      JoinResponse: MessageTypeDefinition<_shoal_v1_JoinResponse, _shoal_v1_JoinResponse__Output>
      LeaveRequest: MessageTypeDefinition<_shoal_v1_LeaveRequest, _shoal_v1_LeaveRequest__Output>
      LeaveResponse: MessageTypeDefinition<_shoal_v1_LeaveResponse, _shoal_v1_LeaveResponse__Output>
      ListMembersRequest: MessageTypeDefinition<_shoal_v1_ListMembersRequest, _shoal_v1_ListMembersRequest__Output>
      ListMembersResponse: MessageTypeDefinition<_shoal_v1_ListMembersResponse, _shoal_v1_ListMembersResponse__Output>
      Network: MessageTypeDefinition<_shoal_v1_Network, _shoal_v1_Network__Output>
      NetworkAttachment: MessageTypeDefinition<_shoal_v1_NetworkAttachment, _shoal_v1_NetworkAttachment__Output>
      Node: MessageTypeDefinition<_shoal_v1_Node, _shoal_v1_Node__Output>
      NodeAvailability: EnumTypeDefinition
      NodeRole: EnumTypeDefinition
      NodeStatus: EnumTypeDefinition
      Placement: MessageTypeDefinition<_shoal_v1_Placement, _shoal_v1_Placement__Output>
      PlacementPreference: MessageTypeDefinition<_shoal_v1_PlacementPreference, _shoal_v1_PlacementPreference__Output>
      Platform: MessageTypeDefinition<_shoal_v1_Platform, _shoal_v1_Platform__Output>
      /**
       * Transport of Raft messages between managers, and joining/leaving the cluster.
       */
      Raft: SubtypeConstructor<typeof grpc.Client, _shoal_v1_RaftClient> & { service: _shoal_v1_RaftDefinition }
      RaftBatch: MessageTypeDefinition<_shoal_v1_RaftBatch, _shoal_v1_RaftBatch__Output>
      RaftConfState: MessageTypeDefinition<_shoal_v1_RaftConfState, _shoal_v1_RaftConfState__Output>
      RaftEntry: MessageTypeDefinition<_shoal_v1_RaftEntry, _shoal_v1_RaftEntry__Output>
      RaftEntryKind: EnumTypeDefinition
      RaftMember: MessageTypeDefinition<_shoal_v1_RaftMember, _shoal_v1_RaftMember__Output>
      RaftMessage: MessageTypeDefinition<_shoal_v1_RaftMessage, _shoal_v1_RaftMessage__Output>
      RaftMessageType: EnumTypeDefinition
      RaftSnapshotChunk: MessageTypeDefinition<_shoal_v1_RaftSnapshotChunk, _shoal_v1_RaftSnapshotChunk__Output>
      RaftSnapshotMeta: MessageTypeDefinition<_shoal_v1_RaftSnapshotMeta, _shoal_v1_RaftSnapshotMeta__Output>
      RaftStreamSummary: MessageTypeDefinition<_shoal_v1_RaftStreamSummary, _shoal_v1_RaftStreamSummary__Output>
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
    }
  }
}

