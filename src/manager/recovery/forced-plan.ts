/**
 * The membership change of a forced new cluster, as a pure, deterministic plan
 * over persisted Raft state (no clock, no I/O): which entries to append, at
 * which term, and the membership that results.
 *
 * A forced new cluster is not a change the old quorum agreed to, so it must
 * not be mistaken for one: every entry of the plan carries a term above any
 * the node has seen, and the plan is applied offline and installed as a
 * snapshot at the last of its entries (see force-new-cluster.ts). The Raft core
 * is never altered at run time; on restart it simply finds a snapshot whose
 * membership is this node alone.
 */
import { applyConfChangeTo, encodeConfChange } from '../../raft/core/index.js';
import type { ConfChange, ConfState, Entry, NodeId } from '../../raft/core/types.js';

export interface ForcedPlanInput {
  /** The Raft ID that becomes the only voter (the surviving manager, or a new one restoring a backup). */
  readonly selfId: NodeId;
  /** The membership of the last applied state. */
  readonly conf: ConfState;
  /** The last applied index: the plan's entries follow it. */
  readonly appliedIndex: number;
  /** The highest term this node has seen (hard state, log and applied state). */
  readonly highestTerm: number;
}

export interface ForcedPlan {
  /** The new term: above every term the old cluster may have used with this node's knowledge. */
  readonly term: number;
  /** Conf-change entries (promote self if needed, then remove every other member), then an empty entry. */
  readonly entries: readonly Entry[];
  /** The membership after the entries: this node as the only voter. */
  readonly conf: ConfState;
  /** Raft IDs of the members that were removed. */
  readonly removed: readonly NodeId[];
  /** Index (and term) of the last entry: where the forced snapshot is taken. */
  readonly index: number;
}

export function planForcedCluster(input: ForcedPlanInput): ForcedPlan {
  const { selfId, conf, appliedIndex, highestTerm } = input;
  if (!(Number.isSafeInteger(selfId) && selfId > 0)) throw new Error(`forced plan: invalid node ID ${selfId}`);
  if (!(Number.isSafeInteger(appliedIndex) && appliedIndex >= 0 && Number.isSafeInteger(highestTerm) && highestTerm >= 0)) {
    throw new Error(`forced plan: invalid applied index ${appliedIndex} or term ${highestTerm}`);
  }
  const term = highestTerm + 1;
  const changes: ConfChange[] = [];
  const empty = new Uint8Array();
  if (!conf.voters.includes(selfId)) changes.push({ type: 'add-voter', nodeId: selfId, context: empty });
  const others = [...conf.voters, ...conf.learners].filter((id) => id !== selfId).sort((a, b) => a - b);
  for (const id of others) changes.push({ type: 'remove-node', nodeId: id, context: empty });
  let next = conf;
  const entries: Entry[] = [];
  for (const cc of changes) {
    next = applyConfChangeTo(next, cc);
    entries.push({ index: appliedIndex + entries.length + 1, term, kind: 'conf-change', data: encodeConfChange(cc) });
  }
  // An empty entry (as a new leader appends) marks the new term even when no member had to go.
  entries.push({ index: appliedIndex + entries.length + 1, term, kind: 'normal', data: new Uint8Array() });
  if (next.voters.length !== 1 || next.voters[0] !== selfId || next.learners.length !== 0) {
    throw new Error(`forced plan: membership ended as ${JSON.stringify(next)}, expected node ${selfId} alone`);
  }
  return { term, entries, conf: next, removed: others, index: appliedIndex + entries.length };
}
