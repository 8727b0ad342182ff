import type { ConfChange, ConfState } from './types.js';

/**
 * Membership changes: the wire encoding used in 'conf-change' log entries,
 * validation against the current membership, and the pure function that
 * applies a change to a ConfState.
 *
 * Encoding (deterministic, big-endian):
 *   [0]      format version (1)
 *   [1]      type: 1 add-voter, 2 add-learner, 3 remove-node
 *   [2..10)  node id as float64 (ids are safe integers)
 *   [10..14) context length in bytes (uint32)
 *   [14..)   context
 */

const FORMAT_VERSION = 1;
const HEADER_BYTES = 14;
const TYPE_CODES: Readonly<Record<ConfChange['type'], number>> = { 'add-voter': 1, 'add-learner': 2, 'remove-node': 3 };
const TYPE_BY_CODE: readonly (ConfChange['type'] | undefined)[] = [undefined, 'add-voter', 'add-learner', 'remove-node'];

export function isValidNodeId(id: number): boolean {
  return Number.isSafeInteger(id) && id > 0;
}

export function encodeConfChange(cc: ConfChange): Uint8Array {
  if (!isValidNodeId(cc.nodeId)) throw new Error(`encodeConfChange: node id ${cc.nodeId} is not a positive safe integer`);
  const out = new Uint8Array(HEADER_BYTES + cc.context.length);
  const view = new DataView(out.buffer);
  view.setUint8(0, FORMAT_VERSION);
  view.setUint8(1, TYPE_CODES[cc.type]);
  view.setFloat64(2, cc.nodeId);
  view.setUint32(10, cc.context.length);
  out.set(cc.context, HEADER_BYTES);
  return out;
}

/** Decode a conf-change entry's data. Throws on malformed data: the log is trusted, so this is a bug. */
export function decodeConfChange(data: Uint8Array): ConfChange {
  if (data.length < HEADER_BYTES) throw new Error(`decodeConfChange: ${data.length} bytes is shorter than the ${HEADER_BYTES}-byte header`);
  const view = new DataView(data.buffer, data.byteOffset, data.byteLength);
  const version = view.getUint8(0);
  if (version !== FORMAT_VERSION) throw new Error(`decodeConfChange: unknown format version ${version}`);
  const type = TYPE_BY_CODE[view.getUint8(1)];
  if (type === undefined) throw new Error(`decodeConfChange: unknown type code ${view.getUint8(1)}`);
  const nodeId = view.getFloat64(2);
  if (!isValidNodeId(nodeId)) throw new Error(`decodeConfChange: node id ${nodeId} is not a positive safe integer`);
  const contextBytes = view.getUint32(10);
  if (HEADER_BYTES + contextBytes !== data.length) {
    throw new Error(`decodeConfChange: context length ${contextBytes} does not match ${data.length - HEADER_BYTES} remaining bytes`);
  }
  return { type, nodeId, context: data.slice(HEADER_BYTES) };
}

/**
 * Why `cc` cannot be applied to `conf`, or null if it can. Single-server
 * changes only: a voter cannot be demoted to learner, and the last voter
 * cannot be removed.
 */
export function validateConfChange(conf: ConfState, cc: ConfChange): string | null {
  if (!isValidNodeId(cc.nodeId)) return `node id ${cc.nodeId} is not a positive integer`;
  const isVoter = conf.voters.includes(cc.nodeId);
  const isLearner = conf.learners.includes(cc.nodeId);
  switch (cc.type) {
    case 'add-voter':
      return isVoter ? `node ${cc.nodeId} is already a voter` : null;
    case 'add-learner':
      if (isVoter) return `node ${cc.nodeId} is a voter; demoting a voter to learner is not supported`;
      return isLearner ? `node ${cc.nodeId} is already a learner` : null;
    case 'remove-node':
      if (!isVoter && !isLearner) return `node ${cc.nodeId} is not a member`;
      if (isVoter && conf.voters.length === 1) return `cannot remove node ${cc.nodeId}, the last voter`;
      return null;
  }
}

/**
 * The membership after `cc`. Lenient on purpose: a change that is already in
 * effect is a no-op, because the application re-applies entries after a
 * restart. Lists stay sorted so that equal memberships compare equal.
 */
export function applyConfChangeTo(conf: ConfState, cc: ConfChange): ConfState {
  const voters = new Set(conf.voters);
  const learners = new Set(conf.learners);
  switch (cc.type) {
    case 'add-voter':
      learners.delete(cc.nodeId);
      voters.add(cc.nodeId);
      break;
    case 'add-learner':
      if (!voters.has(cc.nodeId)) learners.add(cc.nodeId);
      break;
    case 'remove-node':
      // Never empty the voter set: such an entry could not have been proposed.
      if (!(voters.has(cc.nodeId) && voters.size === 1)) voters.delete(cc.nodeId);
      learners.delete(cc.nodeId);
      break;
  }
  const next: ConfState = { voters: [...voters].sort((a, b) => a - b), learners: [...learners].sort((a, b) => a - b) };
  assertConfState(next);
  return next;
}

export function assertConfState(conf: ConfState): void {
  for (const id of conf.voters) {
    if (!isValidNodeId(id)) throw new Error(`conf state: voter id ${id} is not a positive integer`);
    if (conf.learners.includes(id)) throw new Error(`conf state: node ${id} is both voter and learner`);
  }
  for (const id of conf.learners) {
    if (!isValidNodeId(id)) throw new Error(`conf state: learner id ${id} is not a positive integer`);
  }
  if (new Set(conf.voters).size !== conf.voters.length) throw new Error('conf state: duplicate voter');
  if (new Set(conf.learners).size !== conf.learners.length) throw new Error('conf state: duplicate learner');
}
