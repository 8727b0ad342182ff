// Proves the codec maps every core MessageType to the wire and back without
// loss (through real protobuf bytes), and that wire messages the core cannot
// represent are refused with a CodecError instead of crashing or rounding.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { RaftMessage } from '../../../src/generated/shoal/v1/RaftMessage.js';
import { loadProtos } from '../../../src/proto/load.js';
import type { Message, MessageType } from '../../../src/raft/core/types.js';
import { CodecError, decodeMessage, encodeMessage, estimateMessageBytes } from '../../../src/raft/transport/codec.js';
import { heartbeat } from './helpers.js';

const allTypes: MessageType[] = [
  'pre-vote', 'pre-vote-resp', 'vote', 'vote-resp', 'append', 'append-resp', 'heartbeat',
  'heartbeat-resp', 'snapshot', 'snapshot-resp', 'timeout-now', 'read-index', 'read-index-resp',
];

function viaWire(w: RaftMessage): Message {
  const stream = loadProtos().grpcObject.shoal.v1.Raft.service.Stream;
  return decodeMessage(stream.requestDeserialize(stream.requestSerialize({ messages: [w] })).messages[0]!);
}

function sample(type: MessageType, n: number): Message {
  return {
    type,
    from: 3,
    to: 5,
    term: n + 1,
    logIndex: n * 7,
    logTerm: n,
    entries: type === 'append' ? [{ term: 2, index: 8, kind: 'normal', data: Uint8Array.from([n, 1, 2]) }, { term: 2, index: 9, kind: 'conf-change', data: new Uint8Array(0) }] : [],
    commit: Number.MAX_SAFE_INTEGER - n,
    reject: n % 2 === 0,
    index: n * 11,
    rejectHint: n * 13,
    snapshot: type === 'snapshot' ? { meta: { index: 40, term: 2, conf: { voters: [3, 5], learners: [6] } }, offset: 10, data: Uint8Array.from([7, 7]), totalBytes: 12, done: true } : null,
    context: n % 3 === 0 ? new Uint8Array(0) : Uint8Array.from([n]),
  };
}

/** Plain-data view so that Buffer and Uint8Array compare equal. */
function plain(v: unknown): unknown {
  if (v instanceof Uint8Array) return { bytes: [...v] };
  if (Array.isArray(v)) return v.map(plain);
  if (v !== null && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, plain(x)]));
  return v;
}

void describe('codec', () => {
  void test('every MessageType round-trips through protobuf bytes unchanged', () => {
    allTypes.forEach((type, n) => {
      const m = sample(type, n);
      assert.deepEqual(plain(viaWire(encodeMessage(m))), plain(m), type);
      assert.ok(estimateMessageBytes(m) >= loadProtos().grpcObject.shoal.v1.Raft.service.Stream.requestSerialize({ messages: [encodeMessage(m)] }).length);
    });
  });

  void test('an unknown message type from the wire is a CodecError', () => {
    assert.throws(() => viaWire({ ...encodeMessage(heartbeat(1, 2, 1)), type: 42 as unknown as 'RAFT_MESSAGE_TYPE_VOTE' }), CodecError);
    assert.throws(() => viaWire({ ...encodeMessage(heartbeat(1, 2, 1)), type: 'RAFT_MESSAGE_TYPE_UNSPECIFIED' }), /unknown Raft message type/);
  });

  void test('integers above 2^53-1, zero node ids and misplaced snapshots are CodecErrors', () => {
    const hb = encodeMessage(heartbeat(1, 2, 1));
    assert.throws(() => viaWire({ ...hb, commit: '9007199254740993' }), /commit/);
    assert.throws(() => viaWire({ ...hb, from: 0 }), /non-zero from and to/);
    assert.throws(() => viaWire({ ...hb, snapshot: encodeMessage(sample('snapshot', 1)).snapshot! }), /carries a snapshot chunk/);
    assert.throws(() => viaWire({ ...hb, type: 'RAFT_MESSAGE_TYPE_SNAPSHOT' }), /without a snapshot chunk/);
    assert.throws(() => viaWire({ ...hb, entries: [{ term: 0, index: 1, kind: 'RAFT_ENTRY_KIND_NORMAL', data: Buffer.alloc(0) }] }), /must be >= 1/);
    assert.throws(() => viaWire({ ...hb, entries: [{ term: 1, index: 1, kind: 'RAFT_ENTRY_KIND_UNSPECIFIED', data: Buffer.alloc(0) }] }), /unknown entry kind/);
    const snap = encodeMessage(sample('snapshot', 1));
    assert.throws(() => viaWire({ ...snap, snapshot: { ...snap.snapshot!, totalBytes: 5 } }), /exceeds totalBytes/);
  });
});
