import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { ClientDuplexStream } from '@grpc/grpc-js';
import { loadProtos } from '../../src/proto/load.js';
import type { DispatcherClient } from '../../src/generated/shoal/v1/Dispatcher.js';
import type { SessionMessage__Output } from '../../src/generated/shoal/v1/SessionMessage.js';
import type { SessionStreamRequest } from '../../src/generated/shoal/v1/SessionStreamRequest.js';
import { nodeSecurity } from '../../src/manager/daemon.js';
import { getCluster, listNodes } from '../../src/manager/store/queries.js';
import { waitFor } from '../helpers/in-process-cluster.js';
import { WorkerCluster, type WorkerHandle } from './harness.js';

/**
 * Heartbeats every 3 s, so a node is marked down by missed heartbeats only after 9 s: anything
 * sooner is the broken-stream path (grace 1 s, the default), and its status message says which.
 */
const HEARTBEAT_MS = 3_000;

type ConnectStream = ClientDuplexStream<SessionStreamRequest, SessionMessage__Output>;

describe('a worker whose session stream breaks', () => {
  let cluster: WorkerCluster;
  let w: WorkerHandle;
  let client: DispatcherClient;
  /** Every status the node was seen in, in order, polled every 25 ms (a down between two polls of ready would be missed only if shorter than that). */
  const seen: string[] = [];
  let poller: NodeJS.Timeout | null = null;
  const status = (): { status: string; message: string } => {
    const n = listNodes(cluster.manager.store.db).find((x) => x.id === w.nodeId)!;
    return { status: n.status, message: n.statusMessage };
  };
  const sample = (): void => {
    const s = status().status;
    if (seen[seen.length - 1] !== s) seen.push(s);
  };
  /** Down-transitions seen so far (sampled once more now, so a change the poller has not seen yet counts). */
  const downs = (): number => {
    sample();
    return seen.filter((s, i) => s === 'down' && seen[i - 1] !== 'down').length;
  };

  before(async () => {
    cluster = await WorkerCluster.start(1, HEARTBEAT_MS);
    w = cluster.workers[0]!;
    const security = nodeSecurity(w.dir, getCluster(cluster.manager.store.db).id);
    client = new (loadProtos().grpcObject.shoal.v1.Dispatcher)(cluster.addr, security.channelCredentials());
    poller = setInterval(sample, 25);
  });
  after(async () => {
    if (poller) clearInterval(poller);
    client?.close();
    await cluster?.close();
  });

  /** Opens a session on Connect as the worker's node, the way its agent does; resolves once the manager answered. */
  const connect = async (): Promise<ConnectStream> => {
    const stream = client.Connect();
    stream.on('error', () => undefined);
    const opened = new Promise<void>((resolve, reject) => {
      stream.once('data', (m: SessionMessage__Output) => (m.sessionId ? resolve() : reject(new Error('no session ID'))));
      stream.once('error', reject);
    });
    stream.write({ open: { nodeId: w.nodeId, description: { hostname: w.name, platform: { os: 'linux', arch: 'x64' }, resources: { nanoCpus: 1e9, memoryBytes: 1e9 } } } });
    await opened;
    return stream;
  };

  // Proves an agent that stops on purpose says goodbye (half-close) and is not taken for dead:
  // 3 s after its agent closed, the node is still ready (the broken-stream path would have marked
  // it down after the 1 s grace; missed heartbeats take 9 s).
  test('an agent that closes on purpose is not marked down as if it had died', async () => {
    await w.agent.close();
    await new Promise((r) => setTimeout(r, 3_000));
    assert.equal(status().status, 'ready');
    assert.equal(downs(), 0, `statuses seen: ${seen.join(' → ')}`);
  });

  // Proves a stream that breaks (cancelled without goodbye, as when the process dies) does not
  // mark the node down when the node opens a new session within the grace.
  test('a new session within the grace keeps the node up', async () => {
    const first = await connect();
    first.cancel();
    const second = await connect();
    await new Promise((r) => setTimeout(r, 3_000));
    assert.equal(status().status, 'ready');
    assert.equal(downs(), 0, `statuses seen: ${seen.join(' → ')}`);
    second.cancel();
  });

  // Proves a stream that breaks without a new session marks the node down after the grace, long
  // before three missed heartbeats (9 s), and says why.
  test('a broken stream without a new session marks the node down after the grace', async () => {
    // The previous test's cancel started the grace; open and break a fresh one to time it here.
    const stream = await connect();
    await waitFor(() => status().status === 'ready', 10_000, 'the node to be ready');
    const t0 = Date.now();
    stream.cancel();
    await waitFor(() => status().status === 'down', 15_000, 'the node to be marked down');
    const tookMs = Date.now() - t0;
    assert.match(status().message, /session stream broke/);
    // The grace is 1 s; the bound leaves room for a loaded machine but stays under the 9 s heartbeat timeout.
    assert.ok(tookMs < 8_000, `marked down after ${tookMs} ms`);
    assert.equal(downs(), 1, `statuses seen: ${seen.join(' → ')}`);
  });
});
