/**
 * Who may speak as a Raft member: the sender of a Raft stream must present a
 * manager certificate of this cluster whose CN is the node ID the replicated
 * store records for the Raft ID in its messages. Without this, any manager's
 * certificate could vote or append as any other member.
 *
 * One exception: a manager that does not yet know itself in its own store (it
 * has just joined and has not received the log or a snapshot) cannot map Raft
 * IDs to nodes, so it accepts any manager certificate of this cluster until it
 * has caught up. Its first sender is the leader that added it.
 */
import type Database from 'better-sqlite3';
import type { NodeId } from '../raft/core/types.js';
import type { PeerSubject } from '../raft/transport/grpc-transport.js';
import { nodeByRaftId } from './store/queries.js';

export function raftPeerAuthenticator(opts: { readonly db: () => Database.Database; readonly selfRaftId: NodeId; readonly clusterId: string }): (from: NodeId, peer: PeerSubject | null) => string | null {
  return (from, peer) => {
    if (!peer) return `Raft messages from member ${from} need a manager certificate of this cluster`;
    if (peer.OU !== 'manager') return `a ${peer.OU ?? 'role-less'} certificate (node ${peer.CN ?? '?'}) cannot send Raft messages`;
    if (peer.O !== opts.clusterId) return `the certificate of node ${peer.CN ?? '?'} belongs to cluster ${peer.O ?? '?'}, not to this one`;
    const db = opts.db();
    const member = nodeByRaftId(db, from);
    if (!member) {
      if (!nodeByRaftId(db, opts.selfRaftId)) return null; // not caught up yet: see above
      return `Raft member ${from} is not a manager recorded here (yet); node ${peer.CN ?? '?'} cannot speak for it`;
    }
    if (member.id !== peer.CN) return `the certificate of node ${peer.CN ?? '?'} cannot send Raft messages as member ${from} (that member is node ${member.id})`;
    return null;
  };
}
