// Measures Raft messages per second over one transport stream on loopback:
// node 1 sends N small append messages (one 64-byte entry each) to node 2,
// paced by its queue as the Raft loop would be; the clock stops when node 2
// has received them all. Usage: node dist/bench/transport.js [N]
import * as grpc from '@grpc/grpc-js';
import { loadProtos } from '../src/proto/load.js';
import type { Message } from '../src/raft/core/types.js';
import { insecureTransport } from '../src/raft/transport/credentials.js';
import { GrpcRaftTransport } from '../src/raft/transport/grpc-transport.js';
import { raftServerOptions } from '../src/raft/transport/limits.js';

const total = Number(process.argv[2] ?? 200_000);
const queueMessagesMax = 4096;

function append(seq: number): Message {
  return {
    type: 'append', from: 1, to: 2, term: 3, logIndex: seq - 1, logTerm: 3,
    entries: [{ term: 3, index: seq, kind: 'normal', data: new Uint8Array(64) }],
    commit: seq - 1, reject: false, index: 0, rejectHint: 0, snapshot: null, context: new Uint8Array(0),
  };
}

async function main(): Promise<void> {
  let received = 0;
  let done: () => void = () => {};
  const finished = new Promise<void>((r) => (done = r));
  const receiver = new GrpcRaftTransport({
    selfId: 2, security: insecureTransport(), onUnreachable: () => {},
    onMessages: (batch) => {
      received += batch.length;
      if (received >= total) done();
    },
  });
  const server = new grpc.Server(raftServerOptions());
  server.addService(loadProtos().grpcObject.shoal.v1.Raft.service, receiver.handlers());
  const port = await new Promise<number>((resolve, reject) =>
    server.bindAsync('127.0.0.1:0', grpc.ServerCredentials.createInsecure(), (e, p) => (e === null ? resolve(p) : reject(e))),
  );
  const sender = new GrpcRaftTransport({ selfId: 1, security: insecureTransport(), onMessages: () => {}, onUnreachable: () => {}, queueMessagesMax });
  sender.setPeer(2, `127.0.0.1:${port}`);

  const start = process.hrtime.bigint();
  for (let seq = 1; seq <= total; ) {
    if (sender.stats(2)!.main.queuedMessages < queueMessagesMax / 2) {
      const batch: Message[] = [];
      for (let i = 0; i < 256 && seq <= total; i++) batch.push(append(seq++));
      sender.send(batch);
    }
    await new Promise((r) => setImmediate(r));
  }
  await finished;
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  const dropped = sender.stats(2)!.main.droppedMessages;
  console.log(`transport: ${total} messages in ${seconds.toFixed(2)} s = ${Math.round(total / seconds)} msgs/s over one stream (dropped ${dropped})`);
  await sender.close();
  await receiver.close();
  server.forceShutdown();
}

await main();
