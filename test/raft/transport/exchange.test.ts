// Proves that transports deliver every message, in order per sender, while
// all peers are up: 2 and 3 nodes over loopback, each sending 100,000
// heartbeats (numbered in the commit field) to every peer at once.
import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { NodeId } from '../../../src/raft/core/types.js';
import { sendPaced, startNode, stopNode, waitFor, type Node } from './helpers.js';

const messagesPerPeer = 100_000;

function assertInOrder(receiver: Node, from: NodeId): void {
  const seqs = receiver.received.filter((m) => m.from === from).map((m) => m.commit);
  assert.equal(seqs.length, messagesPerPeer, `node ${receiver.id} got ${seqs.length} messages from ${from}`);
  for (let i = 0; i < seqs.length; i++) {
    if (seqs[i] !== i + 1) assert.fail(`node ${receiver.id}: message ${i} from ${from} has seq ${seqs[i]}, expected ${i + 1}`);
  }
}

async function exchange(count: number): Promise<Node[]> {
  const nodes: Node[] = [];
  for (let id = 1; id <= count; id++) nodes.push(await startNode(id, { queueMessagesMax: 4096 }));
  for (const a of nodes) for (const b of nodes) if (a !== b) a.transport.setPeer(b.id, b.addr);
  const sends: Promise<void>[] = [];
  for (const a of nodes) for (const b of nodes) if (a !== b) sends.push(sendPaced(a, b.id, messagesPerPeer));
  await Promise.all(sends);
  const expected = messagesPerPeer * (count - 1);
  await waitFor(() => nodes.every((n) => n.received.length >= expected), 60_000, 'all messages');
  return nodes;
}

void describe('transport exchange', () => {
  const started: Node[] = [];
  after(async () => {
    for (const n of started) await stopNode(n);
  });

  void test('two transports exchange 100,000 messages each way, in order, without loss', async () => {
    const nodes = await exchange(2);
    started.push(...nodes);
    for (const a of nodes) {
      for (const b of nodes) {
        if (a === b) continue;
        assertInOrder(b, a.id);
        const stats = a.transport.stats(b.id)!;
        assert.equal(stats.main.droppedMessages, 0);
        assert.equal(stats.main.streamsOpened, 1, 'one long-lived stream per peer');
      }
      assert.deepEqual(a.unreachable, []);
    }
  });

  void test('three transports exchange 100,000 messages per peer, in order, without loss', async () => {
    const nodes = await exchange(3);
    started.push(...nodes);
    for (const a of nodes) {
      for (const b of nodes) if (a !== b) assertInOrder(b, a.id);
      assert.deepEqual(a.unreachable, []);
    }
  });
});
