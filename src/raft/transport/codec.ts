/**
 * Converts Raft core messages to and from their wire form (shoal.v1.RaftMessage).
 *
 * Encoding is total: every core Message has a wire form. Decoding is checked:
 * a message from the wire with an unknown type, an unsafe integer (uint64
 * above 2^53-1 cannot be a number without rounding), a missing snapshot chunk
 * or a chunk on a non-snapshot message is refused with a CodecError that
 * names the problem. The receiver turns that into INVALID_ARGUMENT; nothing
 * malformed ever reaches the core.
 */
import type { RaftEntry, RaftEntry__Output } from '../../generated/shoal/v1/RaftEntry.js';
import type { RaftEntryKind__Output } from '../../generated/shoal/v1/RaftEntryKind.js';
import type { RaftMessage, RaftMessage__Output } from '../../generated/shoal/v1/RaftMessage.js';
import type { RaftMessageType__Output } from '../../generated/shoal/v1/RaftMessageType.js';
import type { RaftSnapshotChunk, RaftSnapshotChunk__Output } from '../../generated/shoal/v1/RaftSnapshotChunk.js';
import type { Entry, EntryKind, Message, MessageType, NodeId, SnapshotChunk } from '../core/types.js';

/** A wire message that cannot be a core Message. An expected operating error: the peer (or the network) sent garbage. */
export class CodecError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CodecError';
  }
}

// Records keyed by the core's union: adding a MessageType without a wire name is a compile error.
const wireTypeOf: Readonly<Record<MessageType, RaftMessageType__Output>> = {
  'pre-vote': 'RAFT_MESSAGE_TYPE_PRE_VOTE',
  'pre-vote-resp': 'RAFT_MESSAGE_TYPE_PRE_VOTE_RESP',
  vote: 'RAFT_MESSAGE_TYPE_VOTE',
  'vote-resp': 'RAFT_MESSAGE_TYPE_VOTE_RESP',
  append: 'RAFT_MESSAGE_TYPE_APPEND',
  'append-resp': 'RAFT_MESSAGE_TYPE_APPEND_RESP',
  heartbeat: 'RAFT_MESSAGE_TYPE_HEARTBEAT',
  'heartbeat-resp': 'RAFT_MESSAGE_TYPE_HEARTBEAT_RESP',
  snapshot: 'RAFT_MESSAGE_TYPE_SNAPSHOT',
  'snapshot-resp': 'RAFT_MESSAGE_TYPE_SNAPSHOT_RESP',
  'timeout-now': 'RAFT_MESSAGE_TYPE_TIMEOUT_NOW',
  'read-index': 'RAFT_MESSAGE_TYPE_READ_INDEX',
  'read-index-resp': 'RAFT_MESSAGE_TYPE_READ_INDEX_RESP',
};

const coreTypeOf: ReadonlyMap<string, MessageType> = new Map(
  (Object.entries(wireTypeOf) as [MessageType, RaftMessageType__Output][]).map(([core, wire]) => [wire, core]),
);

const wireKindOf: Readonly<Record<EntryKind, RaftEntryKind__Output>> = {
  normal: 'RAFT_ENTRY_KIND_NORMAL',
  'conf-change': 'RAFT_ENTRY_KIND_CONF_CHANGE',
};

const coreKindOf: ReadonlyMap<string, EntryKind> = new Map(
  (Object.entries(wireKindOf) as [EntryKind, RaftEntryKind__Output][]).map(([core, wire]) => [wire, core]),
);

// Node IDs, terms, indexes and byte counts all share this check: the loader
// turns uint64 into a JavaScript number, which is exact only up to 2^53-1.
function checkedUint(value: number, field: string): number {
  if (!Number.isSafeInteger(value) || value < 0) {
    throw new CodecError(`field ${field} = ${String(value)} is not an integer in [0, 2^53-1]`);
  }
  return value;
}

const emptyBytes = new Uint8Array(0);

function encodeEntry(e: Entry): RaftEntry {
  return { term: e.term, index: e.index, kind: wireKindOf[e.kind], data: e.data };
}

function encodeChunk(c: SnapshotChunk): RaftSnapshotChunk {
  return {
    meta: {
      index: c.meta.index,
      term: c.meta.term,
      conf: { voters: [...c.meta.conf.voters], learners: [...c.meta.conf.learners] },
    },
    offset: c.offset,
    data: c.data,
    totalBytes: c.totalBytes,
    done: c.done,
  };
}

/** The wire form of a core message. */
export function encodeMessage(m: Message): RaftMessage {
  return {
    type: wireTypeOf[m.type],
    from: m.from,
    to: m.to,
    term: m.term,
    logIndex: m.logIndex,
    logTerm: m.logTerm,
    entries: m.entries.map(encodeEntry),
    commit: m.commit,
    reject: m.reject,
    index: m.index,
    rejectHint: m.rejectHint,
    snapshot: m.snapshot === null ? null : encodeChunk(m.snapshot),
    context: m.context,
  };
}

function decodeEntry(e: RaftEntry__Output, at: string): Entry {
  const kind = coreKindOf.get(String(e.kind));
  if (kind === undefined) throw new CodecError(`${at}.kind: unknown entry kind ${String(e.kind)}`);
  const term = checkedUint(e.term, `${at}.term`);
  const index = checkedUint(e.index, `${at}.index`);
  if (term < 1 || index < 1) throw new CodecError(`${at}: entry term and index must be >= 1 (term ${term}, index ${index})`);
  return { term, index, kind, data: e.data };
}

function decodeChunk(c: RaftSnapshotChunk__Output): SnapshotChunk {
  if (c.meta === null) throw new CodecError('snapshot.meta is missing');
  const conf = c.meta.conf;
  const voters: NodeId[] = (conf?.voters ?? []).map((v, i) => checkedUint(v, `snapshot.meta.conf.voters[${i}]`));
  const learners: NodeId[] = (conf?.learners ?? []).map((v, i) => checkedUint(v, `snapshot.meta.conf.learners[${i}]`));
  const offset = checkedUint(c.offset, 'snapshot.offset');
  const totalBytes = checkedUint(c.totalBytes, 'snapshot.totalBytes');
  if (offset + c.data.length > totalBytes) {
    throw new CodecError(`snapshot chunk [${offset}, ${offset + c.data.length}) exceeds totalBytes ${totalBytes}`);
  }
  return {
    meta: {
      index: checkedUint(c.meta.index, 'snapshot.meta.index'),
      term: checkedUint(c.meta.term, 'snapshot.meta.term'),
      conf: { voters, learners },
    },
    offset,
    data: c.data,
    totalBytes,
    done: c.done,
  };
}

/** The core message for a wire message; throws CodecError if it is malformed. */
export function decodeMessage(w: RaftMessage__Output): Message {
  // With enums: String, an enum number unknown to this build arrives as a number: String() makes it a miss.
  const type = coreTypeOf.get(String(w.type));
  if (type === undefined) throw new CodecError(`unknown Raft message type ${String(w.type)}`);
  const from = checkedUint(w.from, 'from');
  const to = checkedUint(w.to, 'to');
  if (from === 0 || to === 0) throw new CodecError(`${type} message needs non-zero from and to (from ${from}, to ${to})`);
  if ((type === 'snapshot') !== (w.snapshot !== null)) {
    throw new CodecError(type === 'snapshot' ? 'snapshot message without a snapshot chunk' : `${type} message carries a snapshot chunk`);
  }
  return {
    type,
    from,
    to,
    term: checkedUint(w.term, 'term'),
    logIndex: checkedUint(w.logIndex, 'logIndex'),
    logTerm: checkedUint(w.logTerm, 'logTerm'),
    entries: w.entries.map((e, i) => decodeEntry(e, `entries[${i}]`)),
    commit: checkedUint(w.commit, 'commit'),
    reject: w.reject,
    index: checkedUint(w.index, 'index'),
    rejectHint: checkedUint(w.rejectHint, 'rejectHint'),
    snapshot: w.snapshot === null ? null : decodeChunk(w.snapshot),
    context: w.context.length === 0 ? emptyBytes : w.context,
  };
}

/**
 * An upper estimate of a message's encoded size in bytes, used to bound
 * batches and queues without encoding twice. Fixed fields cost at most
 * about 11 bytes each; 128 covers them all plus framing.
 */
export function estimateMessageBytes(m: Message): number {
  let bytes = 128 + m.context.length;
  for (const e of m.entries) bytes += 32 + e.data.length;
  if (m.snapshot !== null) {
    bytes += 64 + m.snapshot.data.length + 11 * (m.snapshot.meta.conf.voters.length + m.snapshot.meta.conf.learners.length);
  }
  return bytes;
}
