/**
 * Which Readies may send their messages before their persist (Raft thesis §10.2.1: the leader
 * may write its log in parallel with replicating it). Shared by the node shell and the
 * simulator's node, so the simulator checks the rule the shell runs.
 */
import type { NodeId, Ready } from './core/types.js';

/**
 * True for a leader's Ready that writes new entries in a term (and vote) already on disk and
 * sends only appends and heartbeats. Such messages promise nothing about the leader's own disk:
 * the core counts the leader towards a commit only after advance(), i.e. after the persist, and
 * a leader that crashes before its persist is just a follower missing an uncommitted tail.
 * Anything that promises something durable — a vote, an acknowledgement, a new term, a received
 * snapshot — still waits for the persist, and so does a Ready without entries (nothing to overlap).
 */
export function sendsBeforePersist(rd: Ready, role: string, persisted: { readonly term: number; readonly vote: NodeId }): boolean {
  if (rd.entries.length === 0 || rd.snapshot !== null || rd.softState !== null || rd.messages.length === 0) return false;
  if (rd.hardState !== null && (rd.hardState.term !== persisted.term || rd.hardState.vote !== persisted.vote)) return false;
  return role === 'leader' && rd.messages.every((m) => m.type === 'append' || m.type === 'heartbeat');
}
