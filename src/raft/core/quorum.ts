import type { NodeId } from './types.js';

/**
 * Majority arithmetic over a set of voters. Pure helpers: no state.
 */

/** The smallest number of voters that forms a majority. */
export function majority(voterCount: number): number {
  if (voterCount < 1) throw new Error(`majority of ${voterCount} voters is undefined`);
  return Math.floor(voterCount / 2) + 1;
}

/**
 * The highest index that a majority of voters has matched: sort the match
 * indexes descending and take the one at position majority-1. A voter with no
 * entry in `matchOf` counts as 0.
 */
export function committedIndex(voters: readonly NodeId[], matchOf: (id: NodeId) => number): number {
  const n = voters.length;
  if (n === 0) throw new Error('committedIndex: no voters');
  if (n === 1) return matchOf(voters[0]!);
  const matches = new Array<number>(n);
  for (let i = 0; i < n; i++) matches[i] = matchOf(voters[i]!);
  matches.sort((a, b) => b - a);
  return matches[majority(n) - 1]!;
}

export type VoteResult = 'won' | 'lost' | 'pending';

/** Tally votes: won once a majority granted, lost once a majority can no longer be reached. */
export function voteResult(voters: readonly NodeId[], votes: ReadonlyMap<NodeId, boolean>): VoteResult {
  const need = majority(voters.length);
  let granted = 0;
  let rejected = 0;
  for (const id of voters) {
    const v = votes.get(id);
    if (v === true) granted++;
    else if (v === false) rejected++;
  }
  if (granted >= need) return 'won';
  if (voters.length - rejected < need) return 'lost';
  return 'pending';
}
