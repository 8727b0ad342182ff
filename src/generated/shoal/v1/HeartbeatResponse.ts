// Original file: proto/shoal/v1/dispatcher.proto

import type { NodeRole as _shoal_v1_NodeRole, NodeRole__Output as _shoal_v1_NodeRole__Output } from '../../shoal/v1/NodeRole.js';
import type { WeightedPeer as _shoal_v1_WeightedPeer, WeightedPeer__Output as _shoal_v1_WeightedPeer__Output } from '../../shoal/v1/WeightedPeer.js';
import type { Long } from '@grpc/proto-loader';

/**
 * Response of Heartbeat.
 */
export interface HeartbeatResponse {
  /**
   * Interval until the next heartbeat is due, in ms.
   */
  'periodMs'?: (number | string | Long);
  /**
   * The role the replicated state holds for this node (`node promote|demote` change it); the node
   * daemon converges to it: it starts a manager beside its agent, or stops it.
   */
  'desiredRole'?: (_shoal_v1_NodeRole);
  /**
   * The node's Raft ID for that role: a promotion takes a fresh one, so a manager never rejoins
   * Raft under an ID it voted with before.
   */
  'raftId'?: (number | string | Long);
  /**
   * Current managers, as in SessionMessage: a session outlives promotions and demotions, and the
   * worker needs the new list to fail over when a manager it knew is gone.
   */
  'managers'?: (_shoal_v1_WeightedPeer)[];
  /**
   * The root that signs node certificates now (the new one during a CA
   * rotation) and the digests of the roots to trust. A node whose certificate
   * or trust differs renews its certificate (empty without mutual TLS).
   */
  'caSigningDigest'?: (string);
  'caTrustDigests'?: (string)[];
}

/**
 * Response of Heartbeat.
 */
export interface HeartbeatResponse__Output {
  /**
   * Interval until the next heartbeat is due, in ms.
   */
  'periodMs': (number);
  /**
   * The role the replicated state holds for this node (`node promote|demote` change it); the node
   * daemon converges to it: it starts a manager beside its agent, or stops it.
   */
  'desiredRole': (_shoal_v1_NodeRole__Output);
  /**
   * The node's Raft ID for that role: a promotion takes a fresh one, so a manager never rejoins
   * Raft under an ID it voted with before.
   */
  'raftId': (number);
  /**
   * Current managers, as in SessionMessage: a session outlives promotions and demotions, and the
   * worker needs the new list to fail over when a manager it knew is gone.
   */
  'managers': (_shoal_v1_WeightedPeer__Output)[];
  /**
   * The root that signs node certificates now (the new one during a CA
   * rotation) and the digests of the roots to trust. A node whose certificate
   * or trust differs renews its certificate (empty without mutual TLS).
   */
  'caSigningDigest': (string);
  'caTrustDigests': (string)[];
}
