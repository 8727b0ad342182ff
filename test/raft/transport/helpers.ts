// Shared fixtures for the transport tests: a manager-like gRPC server around a
// GrpcRaftTransport, message builders, and bounded waiting.
import * as grpc from '@grpc/grpc-js';
import type { Message, NodeId } from '../../../src/raft/core/types.js';
import { loadProtos } from '../../../src/proto/load.js';
import { insecureTransport } from '../../../src/raft/transport/credentials.js';
import { GrpcRaftTransport, type GrpcRaftTransportOptions } from '../../../src/raft/transport/grpc-transport.js';
import { raftServerOptions } from '../../../src/raft/transport/limits.js';

export interface Node {
  readonly id: NodeId;
  readonly transport: GrpcRaftTransport;
  readonly server: grpc.Server;
  readonly addr: string;
  readonly received: Message[];
  readonly unreachable: NodeId[];
}

/** A seeded source in [0, 1) (mulberry32), so backoff jitter is reproducible. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export async function startServer(server: grpc.Server, port = 0): Promise<number> {
  return new Promise((resolve, reject) => {
    server.bindAsync(`127.0.0.1:${port}`, grpc.ServerCredentials.createInsecure(), (err, bound) => (err === null ? resolve(bound) : reject(err)));
  });
}

/** Starts a transport with a server on `port` (0 = any free port). */
export async function startNode(
  id: NodeId,
  extra: Partial<Omit<GrpcRaftTransportOptions, 'selfId' | 'security'>> = {},
  port = 0,
): Promise<Node> {
  const received: Message[] = [];
  const unreachable: NodeId[] = [];
  const transport = new GrpcRaftTransport({
    selfId: id,
    security: insecureTransport(),
    onMessages: (batch) => {
      for (const m of batch) received.push(m);
    },
    onUnreachable: (peer) => unreachable.push(peer),
    random: seededRandom(id),
    backoffMsMin: 20,
    backoffMsMax: 200,
    ...extra,
  });
  const server = new grpc.Server(raftServerOptions());
  server.addService(loadProtos().grpcObject.shoal.v1.Raft.service, transport.handlers());
  const bound = await startServer(server, port);
  return { id, transport, server, addr: `127.0.0.1:${bound}`, received, unreachable };
}

export async function stopNode(node: Node): Promise<void> {
  await node.transport.close();
  node.server.forceShutdown();
}

/** A heartbeat whose commit field carries a sequence number. */
export function heartbeat(from: NodeId, to: NodeId, seq: number): Message {
  return {
    type: 'heartbeat',
    from,
    to,
    term: 7,
    logIndex: 0,
    logTerm: 0,
    entries: [],
    commit: seq,
    reject: false,
    index: 0,
    rejectHint: 0,
    snapshot: null,
    context: new Uint8Array(0),
  };
}

/** Waits until `cond` holds, polling each 5 ms; fails after `timeoutMs` with `what`. */
export async function waitFor(cond: () => boolean, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!cond()) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

/**
 * Sends `count` heartbeats from `from` to `to`, numbered 1..count, pacing
 * itself by the lane's queue (as the Raft loop's own pace would) so that
 * nothing is dropped while the peer keeps up.
 */
export async function sendPaced(from: Node, to: NodeId, count: number, chunk = 500): Promise<void> {
  const queueLimit = 1000;
  for (let seq = 1; seq <= count; ) {
    const stats = from.transport.stats(to);
    if (stats !== null && stats.main.queuedMessages > queueLimit) {
      await new Promise((r) => setImmediate(r));
      continue;
    }
    const batch: Message[] = [];
    for (let i = 0; i < chunk && seq <= count; i++, seq++) batch.push(heartbeat(from.id, to, seq));
    from.transport.send(batch);
    await new Promise((r) => setImmediate(r));
  }
}
