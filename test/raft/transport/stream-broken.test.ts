// Proves the transport tells the shell when a peer's stream breaks because the
// peer's process died (kill -9 closes its connections at once), and only
// then: a stopped (SIGSTOP) peer keeps its connection, so nothing is reported
// while it is frozen. This is the signal behind the fast election on a
// killed leader (reportLeaderLost, docs/design/raft-core.md).
import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import type { NodeId } from '../../../src/raft/core/types.js';
import { startNode, stopNode, waitFor, type Node } from './helpers.js';

const CHILD = fileURLToPath(new URL('./sender-child.js', import.meta.url));

async function startSender(self: NodeId, to: Node): Promise<ChildProcess> {
  const child = spawn(process.execPath, [CHILD, String(self), String(to.id), to.addr], { stdio: ['ignore', 'pipe', 'inherit'] });
  let out = '';
  child.stdout.on('data', (b: Buffer) => (out += b.toString()));
  await waitFor(() => out.includes('ready') || child.exitCode !== null, 20_000, 'the sender process to start');
  assert.equal(child.exitCode, null, 'sender process exited early');
  return child;
}

void describe('broken peer streams', () => {
  const nodes: Node[] = [];
  const children: ChildProcess[] = [];
  after(async () => {
    for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
    for (const n of nodes) await stopNode(n);
  });

  void test('a killed peer is reported at once; a frozen one is not', async () => {
    const broken: { peer: NodeId; at: number }[] = [];
    const receiver = await startNode(1, { onPeerStreamBroken: (peer) => broken.push({ peer, at: Date.now() }) });
    nodes.push(receiver);

    // Frozen: the connection stays open, so no report (the election timer handles freezes).
    const frozen = await startSender(7, receiver);
    children.push(frozen);
    await waitFor(() => receiver.received.some((m) => m.from === 7), 20_000, 'heartbeats from the frozen-to-be sender');
    frozen.kill('SIGSTOP');
    await new Promise((r) => setTimeout(r, 1500));
    assert.equal(broken.length, 0, 'no report while the peer is frozen');
    frozen.kill('SIGCONT');
    await new Promise((r) => setTimeout(r, 200));
    assert.equal(broken.length, 0, 'no report after it resumed');

    // Killed: the kernel closes its sockets, the stream breaks, the peer is named.
    const killedAt = Date.now();
    frozen.kill('SIGKILL');
    await once(frozen, 'exit');
    await waitFor(() => broken.length > 0, 5_000, 'onPeerStreamBroken after kill -9');
    assert.equal(broken[0]!.peer, 7);
    const ms = broken[0]!.at - killedAt;
    console.log(`stream break reported ${ms} ms after kill -9`);
    assert.ok(ms < 2_000, `reported ${ms} ms after the kill (expected at once; bound has slack for a loaded machine)`);
  });
});
