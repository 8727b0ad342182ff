import type { Entry, Message, MessageType, NodeId, SnapshotChunk } from './types.js';

export const EMPTY_BYTES = new Uint8Array(0);
const NO_ENTRIES: readonly Entry[] = Object.freeze([]);

/** The optional fields of a message; everything left out takes its zero value. */
export interface MessageFields {
  logIndex?: number;
  logTerm?: number;
  entries?: readonly Entry[];
  commit?: number;
  reject?: boolean;
  index?: number;
  rejectHint?: number;
  snapshot?: SnapshotChunk | null;
  context?: Uint8Array;
}

/** Build a complete Message (every field present, so the wire encoding stays simple). */
export function makeMessage(type: MessageType, from: NodeId, to: NodeId, term: number, f: MessageFields): Message {
  return {
    type,
    from,
    to,
    term,
    logIndex: f.logIndex ?? 0,
    logTerm: f.logTerm ?? 0,
    entries: f.entries ?? NO_ENTRIES,
    commit: f.commit ?? 0,
    reject: f.reject ?? false,
    index: f.index ?? 0,
    rejectHint: f.rejectHint ?? 0,
    snapshot: f.snapshot ?? null,
    context: f.context ?? EMPTY_BYTES,
  };
}

/** Marks the vote requests of a leadership-transfer campaign, which may break a leader lease. */
export const TRANSFER_CONTEXT = new Uint8Array([0x74, 0x72, 0x61, 0x6e, 0x73, 0x66, 0x65, 0x72]); // "transfer"

export function bytesEqual(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let k = 0; k < a.length; k++) if (a[k] !== b[k]) return false;
  return true;
}
