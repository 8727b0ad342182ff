// Original file: proto/shoal/v1/dispatcher.proto

import type { AssignmentAction as _shoal_v1_AssignmentAction, AssignmentAction__Output as _shoal_v1_AssignmentAction__Output } from '../../shoal/v1/AssignmentAction.js';
import type { Task as _shoal_v1_Task, Task__Output as _shoal_v1_Task__Output } from '../../shoal/v1/Task.js';
import type { NetworkAttachment as _shoal_v1_NetworkAttachment, NetworkAttachment__Output as _shoal_v1_NetworkAttachment__Output } from '../../shoal/v1/NetworkAttachment.js';
import type { Network as _shoal_v1_Network, Network__Output as _shoal_v1_Network__Output } from '../../shoal/v1/Network.js';
import type { NetworkPeer as _shoal_v1_NetworkPeer, NetworkPeer__Output as _shoal_v1_NetworkPeer__Output } from '../../shoal/v1/NetworkPeer.js';

/**
 * One assigned item.
 */
export interface AssignmentChange {
  /**
   * Update or remove.
   */
  'action'?: (_shoal_v1_AssignmentAction);
  /**
   * A task to run (or stop: see its desired_state).
   */
  'task'?: (_shoal_v1_Task | null);
  /**
   * A standalone container's network attachment on this node.
   */
  'attachment'?: (_shoal_v1_NetworkAttachment | null);
  /**
   * A network this node needs (for its tasks and containers).
   */
  'network'?: (_shoal_v1_Network | null);
  /**
   * A remote endpoint on a network this node holds (REMOVE carries only its id).
   */
  'peer'?: (_shoal_v1_NetworkPeer | null);
  /**
   * The item.
   */
  'item'?: "task"|"attachment"|"network"|"peer";
}

/**
 * One assigned item.
 */
export interface AssignmentChange__Output {
  /**
   * Update or remove.
   */
  'action': (_shoal_v1_AssignmentAction__Output);
  /**
   * A task to run (or stop: see its desired_state).
   */
  'task'?: (_shoal_v1_Task__Output | null);
  /**
   * A standalone container's network attachment on this node.
   */
  'attachment'?: (_shoal_v1_NetworkAttachment__Output | null);
  /**
   * A network this node needs (for its tasks and containers).
   */
  'network'?: (_shoal_v1_Network__Output | null);
  /**
   * A remote endpoint on a network this node holds (REMOVE carries only its id).
   */
  'peer'?: (_shoal_v1_NetworkPeer__Output | null);
  /**
   * The item.
   */
  'item'?: "task"|"attachment"|"network"|"peer";
}
