// Proves the transport's behaviour under faults over loopback: a down peer is
// reported unreachable and traffic resumes once it is back; an absent or
// stalled peer cannot grow a queue past its bound; malformed batches are
// refused without harming the server; 1 MiB snapshot chunks pass on their
// own lane while heartbeats keep flowing.
import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import * as grpc from '@grpc/grpc-js';
import type { Message } from '../../../src/raft/core/types.js';
import { loadProtos } from '../../../src/proto/load.js';
import { heartbeat, startNode, startServer, stopNode, waitFor, type Node } from './helpers.js';

/** A port that was free a moment ago (bound, then released). */
async function releasedPort(): Promise<number> {
  const s = new grpc.Server();
  const port = await startServer(s, 0);
  s.forceShutdown();
  return port;
}

function snapshotChunk(from: number, to: number, offset: number, data: Uint8Array, totalBytes: number): Message {
  return {
    ...heartbeat(from, to, 0),
    type: 'snapshot',
    snapshot: { meta: { index: 500, term: 3, conf: { voters: [1, 2, 3], learners: [] } }, offset, data, totalBytes, done: offset + data.length === totalBytes },
  };
}

void describe('transport faults', () => {
  const nodes: Node[] = [];
  const servers: grpc.Server[] = [];
  const clients: grpc.Client[] = [];
  after(async () => {
    for (const n of nodes) await stopNode(n);
    for (const s of servers) s.forceShutdown();
    for (const c of clients) c.close();
  });

  void test('a down peer is reported unreachable once; after it comes back, messages flow again', async () => {
    const port = await releasedPort();
    const a = await startNode(1);
    nodes.push(a);
    a.transport.setPeer(2, `127.0.0.1:${port}`);
    a.transport.send([heartbeat(1, 2, 1)]);
    await waitFor(() => a.unreachable.length > 0, 5000, 'onUnreachable');
    assert.deepEqual(a.unreachable, [2]);
    // The Raft loop keeps sending (heartbeats); each send after a backoff is a
    // new attempt that fails while the peer stays down, yet it is reported only once.
    for (let i = 0; i < 15; i++) {
      a.transport.send([heartbeat(1, 2, 1)]);
      await new Promise((r) => setTimeout(r, 20));
    }
    assert.ok(a.transport.stats(2)!.main.streamsOpened >= 2, 'the sender keeps retrying');
    assert.deepEqual(a.unreachable, [2]);

    const b = await startNode(2, {}, port);
    nodes.push(b);
    let seq = 2;
    await waitFor(
      () => {
        a.transport.send([heartbeat(1, 2, seq++)]);
        return b.received.length > 0;
      },
      5000,
      'delivery after reconnect',
    );
    await waitFor(() => a.transport.stats(2)!.main.established, 2000, 'the stream handshake');
    const seqs = b.received.map((m) => m.commit);
    assert.deepEqual(seqs, [...seqs].sort((x, y) => x - y), 'still in order after reconnect');
  });

  void test('an absent peer cannot make the queue grow past queueMessagesMax', async () => {
    const port = await releasedPort();
    const a = await startNode(3, { queueMessagesMax: 100, backoffMsMin: 1000, backoffMsMax: 1000 });
    nodes.push(a);
    a.transport.setPeer(4, `127.0.0.1:${port}`);
    for (let i = 1; i <= 10_000; i++) a.transport.send([heartbeat(3, 4, i)]);
    const stats = a.transport.stats(4)!.main;
    assert.equal(stats.queuedMessages, 100);
    assert.equal(stats.droppedMessages, 9900);
    await waitFor(() => a.unreachable.length > 0, 2000, 'onUnreachable');
    await new Promise((r) => setTimeout(r, 50));
    assert.deepEqual(a.unreachable, [4], 'reported once for the whole episode');
  });

  void test('a peer that stops reading cannot make the queue grow past its bound', async () => {
    // A receiver that accepts the stream and then never reads: HTTP/2 flow control pushes back.
    const stalled = new grpc.Server();
    servers.push(stalled);
    const paused: grpc.ServerReadableStream<unknown, unknown>[] = [];
    stalled.addService(loadProtos().grpcObject.shoal.v1.Raft.service, {
      Stream: (call: grpc.ServerReadableStream<unknown, unknown>) => {
        call.on('error', () => {});
        call.sendMetadata(new grpc.Metadata());
        call.pause();
        paused.push(call);
      },
    });
    const port = await startServer(stalled);
    const a = await startNode(5, { queueMessagesMax: 2000 });
    nodes.push(a);
    a.transport.setPeer(6, `127.0.0.1:${port}`);
    const entry = { term: 1, index: 1, kind: 'normal' as const, data: new Uint8Array(4096) };
    for (let round = 0; round < 200; round++) {
      const batch: Message[] = [];
      for (let i = 0; i < 100; i++) batch.push({ ...heartbeat(5, 6, round * 100 + i), type: 'append', entries: [entry] });
      a.transport.send(batch);
      const s = a.transport.stats(6)!.main;
      assert.ok(s.queuedMessages <= 2000, `queue at ${s.queuedMessages}`);
      await new Promise((r) => setImmediate(r));
    }
    const s = a.transport.stats(6)!.main;
    assert.ok(s.droppedMessages > 0, 'the stalled peer caused drops');
    assert.ok(s.sentMessages < 20_000, 'not everything was handed to the stream');
    await waitFor(() => a.unreachable.includes(6), 2000, 'onUnreachable for the stalled peer');
  });

  void test('malformed batches are refused without harming the server', async () => {
    const b = await startNode(8);
    nodes.push(b);
    const method = loadProtos().packageDefinition['shoal.v1.Raft'] as unknown as Record<string, grpc.MethodDefinition<unknown, unknown>>;
    const streamDef = method['Stream']!;
    const raw = new grpc.Client(b.addr, grpc.credentials.createInsecure());
    clients.push(raw);
    const sendRaw = (payload: Buffer): Promise<grpc.ServiceError | null> =>
      new Promise((resolve) => {
        const call = raw.makeClientStreamRequest(streamDef.path, (x: Buffer) => x, streamDef.responseDeserialize, (err) => resolve(err));
        call.on('error', () => {});
        call.write(payload);
        call.end();
      });
    const serialize = (batch: unknown): Buffer => streamDef.requestSerialize(batch);

    // Bytes that are not a protobuf message at all.
    const garbage = await sendRaw(Buffer.from([0xff, 0xff, 0xff, 0xff, 0x0f, 0x01]));
    assert.notEqual(garbage, null);
    // Well-formed protobuf, but an unknown message type.
    const unknownType = await sendRaw(serialize({ messages: [{ ...heartbeat(9, 8, 1), type: 99 }] }));
    assert.equal(unknownType?.code, grpc.status.INVALID_ARGUMENT);
    assert.match(unknownType.details, /unknown Raft message type/);
    // A good first message does not rescue a bad second one: the whole batch is dropped.
    const wrongNode = await sendRaw(serialize({ messages: [heartbeat(9, 8, 1), heartbeat(9, 77, 2)] }));
    assert.equal(wrongNode?.code, grpc.status.INVALID_ARGUMENT);
    // A term beyond 2^53-1 cannot be represented exactly: refused, not rounded.
    const huge = await sendRaw(serialize({ messages: [{ ...heartbeat(9, 8, 1), term: '18446744073709551615' }] }));
    assert.equal(huge?.code, grpc.status.INVALID_ARGUMENT);
    assert.equal(b.received.length, 0, 'nothing malformed reached the core');

    // The server still serves well-behaved peers.
    const a = await startNode(9);
    nodes.push(a);
    a.transport.setPeer(8, b.addr);
    a.transport.send([heartbeat(9, 8, 42)]);
    await waitFor(() => b.received.length === 1, 5000, 'a good message after the bad ones');
    assert.equal(b.received[0]!.commit, 42);
  });

  void test('1 MiB snapshot chunks pass on their own lane while heartbeats flow', async () => {
    const a = await startNode(10);
    const b = await startNode(11);
    nodes.push(a, b);
    a.transport.setPeer(11, b.addr);
    const chunkBytes = 1024 * 1024;
    const chunks = 8;
    const snapshot = randomBytes(chunkBytes * chunks);
    const messages: Message[] = [];
    for (let i = 0; i < chunks; i++) {
      messages.push(snapshotChunk(10, 11, i * chunkBytes, snapshot.subarray(i * chunkBytes, (i + 1) * chunkBytes), snapshot.length));
      messages.push(heartbeat(10, 11, i + 1));
    }
    a.transport.send(messages);
    await waitFor(() => b.received.length === 2 * chunks, 20_000, 'all chunks and heartbeats');
    const got = b.received.filter((m) => m.type === 'snapshot');
    assert.equal(got.length, chunks);
    const rebuilt = Buffer.alloc(snapshot.length);
    for (const m of got) Buffer.from(m.snapshot!.data).copy(rebuilt, m.snapshot!.offset);
    assert.ok(rebuilt.equals(snapshot), 'snapshot bytes arrive intact');
    assert.deepEqual(got[0]!.snapshot!.meta, { index: 500, term: 3, conf: { voters: [1, 2, 3], learners: [] } });
    assert.equal(got.at(-1)!.snapshot!.done, true);
    const hb = b.received.filter((m) => m.type === 'heartbeat').map((m) => m.commit);
    assert.deepEqual(hb, [1, 2, 3, 4, 5, 6, 7, 8]);
    const stats = a.transport.stats(11)!;
    assert.equal(stats.snapshot.sentMessages, chunks);
    assert.equal(stats.main.sentMessages, chunks);
  });
});
