// The failover check of a node's data-path address, run as the last case of network-api.test.ts on
// its 3-manager cluster (it stops the leader). Proves a node's data-path address is replicated: a node reports it when it opens a session with
// the leader; it is then on every manager (nodes.data_path_addr), and after that leader stops,
// the new leader's peer tables (an Assignments stream of another node, through the real gRPC
// API) carry the reported address at once, before the reporting node has opened a session
// with it. Without replication the new leader would serve the host of the node's advertise
// address (127.0.0.1 here), which is why the reported address differs from it.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import type * as grpc from '@grpc/grpc-js';
import { nodeSecurity } from '../../src/manager/daemon.js';
import { getCluster } from '../../src/manager/store/queries.js';
import { storedDataPathAddr } from '../../src/manager/store/dataplane-schema.js';
import { loadProtos } from '../../src/proto/load.js';
import type { DispatcherClient } from '../../src/generated/shoal/v1/Dispatcher.js';
import type { SessionMessage__Output } from '../../src/generated/shoal/v1/SessionMessage.js';
import type { AssignmentsMessage__Output } from '../../src/generated/shoal/v1/AssignmentsMessage.js';
import type { Manager } from '../../src/manager/manager.js';
import * as net from '../../bin/commands/network-api.js';
import { waitFor, type TestCluster } from '../helpers/in-process-cluster.js';

function dispatcherAs(dir: string, m: Manager, target: Manager): DispatcherClient {
  const clusterId = getCluster(m.store.db).id;
  return new (loadProtos().grpcObject.shoal.v1.Dispatcher)(target.config.advertiseAddr, nodeSecurity(dir, clusterId).channelCredentials());
}

function openSession(client: DispatcherClient, nodeId: string, dataPathAddr: string): Promise<{ id: string; stream: grpc.ClientReadableStream<SessionMessage__Output> }> {
  return new Promise((resolve, reject) => {
    const stream = client.Session({ nodeId, description: { hostname: nodeId, platform: { os: 'linux', arch: 'x64' }, resources: { nanoCpus: 1e9, memoryBytes: 1e9 }, dataPathAddr } });
    stream.on('error', () => undefined);
    stream.once('data', (msg: SessionMessage__Output) => resolve({ id: msg.sessionId, stream }));
    setTimeout(() => reject(new Error('no session within 10 s')), 10_000);
  });
}

export async function checkDataPathFailover(c: TestCluster): Promise<void> {
  const streams: grpc.ClientReadableStream<unknown>[] = [];
  const clients: DispatcherClient[] = [];
  try {
    const leader = c.leader();
    const [reporter, other] = c.followers() as [Manager, Manager];
    const dirOf = (m: Manager): string => join(c.dir, `m${c.managers.indexOf(m) + 1}`);
    const api = c.apis[c.managers.indexOf(other)]!;
    await net.createNetwork(api, { name: 'dpfront', attachable: true });
    for (const [m, name] of [[reporter, 'on-reporter'], [other, 'on-other']] as const) {
      await net.createContainer(api, { name, nodeId: m.config.nodeId, command: 'sleep', networks: [{ network: 'dpfront' }] }, name);
    }

    // The reporter opens a session with the current leader and reports an address of its own.
    const toLeader = dispatcherAs(dirOf(reporter), leader, leader);
    clients.push(toLeader);
    streams.push((await openSession(toLeader, reporter.config.nodeId, '10.77.0.2')).stream);
    await waitFor(() => c.managers.every((m) => storedDataPathAddr(m.store.db, reporter.config.nodeId) === '10.77.0.2'), 10_000, 'the address on every manager');

    await leader.close();
    await waitFor(() => reporter.shell.isLeader || other.shell.isLeader, 15_000, 'a new leader');
    const next = reporter.shell.isLeader ? reporter : other;

    // Another node's session with the new leader: its COMPLETE set carries the reporter's endpoint.
    const toNext = dispatcherAs(dirOf(other), next, next);
    clients.push(toNext);
    const s = await openSession(toNext, other.config.nodeId, '10.77.0.3');
    streams.push(s.stream);
    const first = await new Promise<AssignmentsMessage__Output>((resolve, reject) => {
      const a = toNext.Assignments({ sessionId: s.id });
      streams.push(a);
      a.on('error', (e) => reject(e));
      a.once('data', (m: AssignmentsMessage__Output) => resolve(m));
    });
    assert.equal(first.type, 'ASSIGNMENTS_TYPE_COMPLETE');
    const peers = first.changes.filter((ch) => ch.peer).map((ch) => [ch.peer!.nodeId, ch.peer!.dataPathAddr]);
    assert.deepEqual(peers, [[reporter.config.nodeId, '10.77.0.2']], 'the reporter\'s endpoint at its reported data-path address');
    const inspect = await net.getNetwork(api, 'dpfront');
    assert.equal(inspect.endpoints.find((e) => e.nodeId === reporter.config.nodeId)?.dataPathAddr, '10.77.0.2', 'network inspect shows it too');
  } finally {
    for (const st of streams) st.cancel();
    for (const cl of clients) cl.close();
  }
}
