import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import * as http2 from 'node:http2';
import { connect as netConnect } from 'node:net';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { bootstrapCluster, runManager } from '../../src/manager/daemon.js';
import type { Manager } from '../../src/manager/manager.js';
import type { Logger } from '../../src/node/logger.js';
import { loadProtos } from '../../src/proto/load.js';
import type { SessionMessage__Output } from '../../src/generated/shoal/v1/SessionMessage.js';
import type { SessionStreamRequest } from '../../src/generated/shoal/v1/SessionStreamRequest.js';
import { freePort, waitFor } from '../helpers/in-process-cluster.js';

const HEARTBEAT_MS = 500;
/** The leader marks a node down after 3 periods without a heartbeat (dispatcher.ts). */
const DOWN_AFTER_MS = 3 * HEARTBEAT_MS;

/**
 * A worker's Connect session over a raw HTTP/2 connection, so the test decides when PINGs go out
 * (a grpc-js channel pings on its own schedule): it sends the `open` message and nothing else.
 */
class RawSession {
  readonly messages: SessionMessage__Output[] = [];
  status: string | null = null;
  private readonly conn: http2.ClientHttp2Session;
  private pinger: NodeJS.Timeout | null = null;

  constructor(socketPath: string, nodeId: string) {
    const method = loadProtos().grpcObject.shoal.v1.Dispatcher.service.Connect;
    this.conn = http2.connect('http://localhost', { createConnection: () => netConnect(socketPath) });
    this.conn.on('error', () => undefined);
    const stream = this.conn.request({ ':method': 'POST', ':path': '/shoal.v1.Dispatcher/Connect', 'content-type': 'application/grpc', te: 'trailers' });
    stream.on('error', () => undefined);
    let buffered = Buffer.alloc(0);
    stream.on('data', (chunk: Buffer) => {
      buffered = Buffer.concat([buffered, chunk]);
      // gRPC framing: 1 byte compressed flag, 4 bytes length, the message.
      while (buffered.length >= 5 && buffered.length >= 5 + buffered.readUInt32BE(1)) {
        const len = buffered.readUInt32BE(1);
        const msg: SessionMessage__Output = method.responseDeserialize(buffered.subarray(5, 5 + len));
        this.messages.push(msg);
        buffered = buffered.subarray(5 + len);
      }
    });
    stream.on('trailers', (t: http2.IncomingHttpHeaders) => (this.status = `${String(t['grpc-status'])} ${String(t['grpc-message'] ?? '')}`));
    const open: SessionStreamRequest = { open: { nodeId, description: { hostname: nodeId, platform: { os: 'linux', arch: 'x64' }, resources: { nanoCpus: 1e9, memoryBytes: 1e9 } } } };
    const body = method.requestSerialize(open);
    const frame = Buffer.alloc(5);
    frame.writeUInt32BE(body.length, 1);
    stream.write(Buffer.concat([frame, body]));
  }

  startPings(everyMs: number): void {
    this.pinger = setInterval(() => this.conn.ping(() => undefined), everyMs);
  }

  stopPings(): void {
    if (this.pinger) clearInterval(this.pinger);
    this.pinger = null;
  }

  /** The connection breaks (the worker's process died): no goodbye. */
  destroy(): void {
    this.stopPings();
    this.conn.destroy();
  }
}

const dir = mkdtempSync(join(tmpdir(), 'shoal-pings-'));
let manager: Manager | null = null;
const sessions: RawSession[] = [];
after(async () => {
  for (const s of sessions) s.destroy();
  await manager?.close();
  rmSync(dir, { recursive: true, force: true });
});

const downs: { nodeId: string; why: string }[] = [];
const log: Logger = {
  info: (event, fields) => {
    if (event === 'node-marked-down') downs.push({ nodeId: String(fields?.['nodeId']), why: String(fields?.['why']) });
  },
  warn: () => undefined,
  error: () => undefined,
};

async function startManager(): Promise<Manager> {
  const dataDir = join(dir, 'm1');
  await bootstrapCluster({ dataDir, listenAddr: `127.0.0.1:${await freePort()}`, hostname: 'm1', defaultAddrPools: ['10.0.0.0/8'], defaultAddrPoolMaskLength: 24, dispatcherHeartbeatMs: HEARTBEAT_MS });
  const m = await runManager(dataDir, log);
  manager = m;
  await waitFor(() => m.shell.isLeader, 20_000, 'the manager to lead');
  return m;
}

async function joinWorker(m: Manager, id: string): Promise<void> {
  const { worker_token_hash: tokenHash } = m.store.db.prepare('SELECT worker_token_hash FROM cluster').get() as { worker_token_hash: string };
  await m.write({ op: 'node.join', at: Date.now(), id, hostname: id, role: 'worker', addr: '127.0.0.2:10000', tokenHash });
}

function statusOf(m: Manager, id: string): string {
  return (m.store.db.prepare('SELECT status FROM nodes WHERE id = ?').get(id) as { status: string }).status;
}

// Proves that HTTP/2 PINGs are heartbeats: a session that sends no heartbeat message at all but pings
// each period stays ready for many periods; when its PINGs stop while the connection stays open (a
// frozen worker), the node is marked down for missed heartbeats; and a pinging session whose
// connection breaks is handled like any broken session stream (down after the session-loss grace).
test('PINGs keep a Connect session alive; stopped PINGs and a broken connection mark the node down', { timeout: 60_000 }, async () => {
  const m = await startManager();
  await joinWorker(m, 'pinger0000000000000000001');
  await joinWorker(m, 'pinger0000000000000000002');

  const frozen = new RawSession(m.socketPath, 'pinger0000000000000000001');
  sessions.push(frozen);
  frozen.startPings(HEARTBEAT_MS / 2);
  await waitFor(() => frozen.messages.length > 0 && statusOf(m, 'pinger0000000000000000001') === 'ready', 20_000, 'the session to open and the node to be ready');
  assert.equal(frozen.messages[0]!.heartbeatPings, true, 'the manager offers PING heartbeats on Connect');
  assert.ok(frozen.messages[0]!.sessionId !== '');

  // Eight periods without a heartbeat message: the PINGs alone keep the node ready.
  await new Promise((r) => setTimeout(r, 8 * HEARTBEAT_MS));
  assert.equal(statusOf(m, 'pinger0000000000000000001'), 'ready');
  assert.equal(frozen.status, null, 'the session is still open');
  // Unasked, the leader sends only what changed: here the facts a first answer carries, once.
  assert.ok(frozen.messages.length <= 2, `messages without a heartbeat message asking: ${frozen.messages.length}`);
  assert.equal(downs.length, 0, `no node marked down: ${JSON.stringify(downs)}`);

  // The worker freezes: no PING, no message, the connection open.
  const stoppedAt = Date.now();
  frozen.stopPings();
  await waitFor(() => statusOf(m, 'pinger0000000000000000001') === 'down', 20_000, 'the frozen node to be marked down');
  assert.ok(Date.now() - stoppedAt >= DOWN_AFTER_MS - 100, 'not before three periods without a heartbeat');
  assert.match(downs.find((d) => d.nodeId === 'pinger0000000000000000001')?.why ?? '', /no heartbeat/);
  await waitFor(() => frozen.status !== null, 10_000, 'the expired session to end');
  assert.match(frozen.status ?? '', /^5 .*expired/);

  // A pinging session whose connection breaks (the process died): the broken-stream path.
  const lost = new RawSession(m.socketPath, 'pinger0000000000000000002');
  sessions.push(lost);
  lost.startPings(HEARTBEAT_MS / 2);
  await waitFor(() => lost.messages.length > 0 && statusOf(m, 'pinger0000000000000000002') === 'ready', 20_000, 'the second session to open');
  lost.destroy();
  await waitFor(() => statusOf(m, 'pinger0000000000000000002') === 'down', 20_000, 'the node whose connection broke to be marked down');
  assert.match(downs.find((d) => d.nodeId === 'pinger0000000000000000002')?.why ?? '', /session stream broke/);
  assert.equal(downs.length, 2, 'exactly the two lost nodes were marked down');
});
