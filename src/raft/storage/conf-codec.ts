import type { ConfState } from '../core/types.js';

/** ConfState as stored in a TEXT column: `{"voters":[1,2],"learners":[3]}`. */
export function encodeConf(conf: ConfState): string {
  return JSON.stringify({ voters: [...conf.voters], learners: [...conf.learners] });
}

/** Parses a stored ConfState; returns an error phrase instead of throwing so callers can name the file. */
export function decodeConf(text: string): ConfState | string {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return `holds an unparsable conf state (${text.slice(0, 80)})`;
  }
  if (typeof value !== 'object' || value === null) return 'holds a conf state that is not an object';
  const { voters, learners } = value as { voters?: unknown; learners?: unknown };
  if (!isNodeIdList(voters) || !isNodeIdList(learners)) return `holds a malformed conf state (${text.slice(0, 80)})`;
  return { voters, learners };
}

function isNodeIdList(list: unknown): list is number[] {
  return Array.isArray(list) && list.every((id) => Number.isSafeInteger(id) && (id as number) > 0);
}

export const EMPTY_CONF: ConfState = { voters: [], learners: [] };
