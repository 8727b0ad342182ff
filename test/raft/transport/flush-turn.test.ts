// Proves that what the node shell sends in one synchronous run reaches the peer's stream before
// the event loop takes its next turn (a microtask, not a setImmediate), still as one batch per
// stream, and that flushNow and close cancel the queued flush without sending twice or after close.
// The next turn's poll phase is where a loaded leader decodes and handles every client call that
// arrived meanwhile; an append that waits for it waits for all of them (docs/benchmarks.md,
// "The Raft transport flushes in the same turn").
import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { heartbeat, startNode, stopNode, waitFor, type Node } from './helpers.js';

void describe('transport flush timing', () => {
  const started: Node[] = [];
  after(async () => {
    for (const n of started) await stopNode(n);
  });

  void test('messages sent in one run are handed to the stream before the next turn, as one batch', async () => {
    const a = await startNode(1);
    const b = await startNode(2);
    started.push(a, b);
    a.transport.setPeer(2, b.addr);
    // Three sends in one synchronous run, as the shell does for several Readies in one loop.
    a.transport.send([heartbeat(1, 2, 1)]);
    a.transport.send([heartbeat(1, 2, 2), heartbeat(1, 2, 3)]);
    assert.equal(a.transport.stats(2)?.main.sentMessages, 0, 'nothing is written while the caller still runs');
    // Awaiting a resolved promise lets the microtasks queued so far run, and nothing else: no
    // immediate, timer or I/O callback (the next turn of the event loop has not begun).
    await Promise.resolve();
    assert.equal(a.transport.stats(2)?.main.sentMessages, 3, 'all three messages were handed to the stream before the next turn');
    assert.equal(a.transport.stats(2)?.main.streamsOpened, 1);
    await waitFor(() => b.received.length === 3, 10_000, 'delivery of the three messages');
    assert.deepEqual(b.received.map((m) => m.commit), [1, 2, 3]);
  });

  void test('flushNow writes at once and the queued microtask then sends nothing twice', async () => {
    const a = await startNode(3);
    const b = await startNode(4);
    started.push(a, b);
    a.transport.setPeer(4, b.addr);
    a.transport.send([heartbeat(3, 4, 1)]);
    a.transport.flushNow();
    assert.equal(a.transport.stats(4)?.main.sentMessages, 1, 'flushNow wrote synchronously');
    await new Promise((r) => setImmediate(r));
    assert.equal(a.transport.stats(4)?.main.sentMessages, 1);
    await waitFor(() => b.received.length === 1, 10_000, 'delivery');
    await new Promise((r) => setTimeout(r, 50));
    assert.equal(b.received.length, 1, 'the message arrived once');
  });

  void test('a transport closed in the same run as a send writes nothing', async () => {
    const a = await startNode(5);
    const b = await startNode(6);
    started.push(b);
    a.transport.setPeer(6, b.addr);
    a.transport.send([heartbeat(5, 6, 1)]);
    await a.transport.close();
    a.server.forceShutdown();
    await new Promise((r) => setTimeout(r, 100));
    assert.equal(b.received.length, 0);
  });
});
