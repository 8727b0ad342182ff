/**
 * Mutual TLS and authorization on a real in-process cluster (3 managers, real
 * gRPC on loopback): who may call what on the TCP port, joins refused for each
 * kind of bad token with nothing written, removal enforced at once.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import * as grpc from '@grpc/grpc-js';
import { execFile } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { loadProtos, SHOAL_SERVICE_NAMES } from '../../src/proto/load.js';
import { joinCluster, nodeSecurity } from '../../src/manager/daemon.js';
import { silentLogger } from '../../src/manager/logger.js';
import { Agent } from '../../src/worker/agent.js';
import { listNodes } from '../../src/manager/store/queries.js';
import { listServices } from '../../src/manager/store/service-queries.js';
import { readRootCA } from '../../src/manager/store/security-store.js';
import { attachmentById, containerById } from '../../src/manager/store/network-queries.js';
import { deriveJoinToken } from '../../src/manager/tokens.js';
import { readNodeMaterial, type NodeMaterial } from '../../src/security/node-material.js';
import { certificateInfo, createKeyAndCsr, createRootCA, MANAGER_SERVER_NAME } from '../../src/security/pki.js';
import { freePort, startCluster, waitFor, type TestCluster } from '../helpers/in-process-cluster.js';
import { encodeMessage } from '../../src/raft/transport/codec.js';
import type { Message } from '../../src/raft/core/types.js';

const v1 = (): ReturnType<typeof loadProtos>['grpcObject']['shoal']['v1'] => loadProtos().grpcObject.shoal.v1;
const OPTIONS: grpc.ChannelOptions = { 'grpc.ssl_target_name_override': MANAGER_SERVER_NAME };

/** TLS credentials trusting the cluster's root, presenting `m`'s certificate (or none). */
function creds(caPem: string, m: { certPem: string; keyPem: string } | null): grpc.ChannelCredentials {
  return grpc.credentials.createSsl(Buffer.from(caPem), m ? Buffer.from(m.keyPem) : null, m ? Buffer.from(m.certPem) : null);
}

/** Opens a Dispatcher.Connect session as `nodeId`; resolves with the status code (0 = the session opened). */
function connectCode(addr: string, c: grpc.ChannelCredentials, nodeId: string): Promise<{ code: number; details: string }> {
  const client = new (loadProtos().grpcObject.shoal.v1.Dispatcher)(addr, c, OPTIONS);
  return new Promise((resolve) => {
    const call = client.Connect({ deadline: Date.now() + 10_000 });
    const done = (code: number, details: string): void => {
      call.removeAllListeners('error');
      call.on('error', () => undefined);
      call.cancel();
      client.close();
      resolve({ code, details });
    };
    call.on('data', () => done(0, ''));
    call.on('error', (err: grpc.ServiceError) => done(err.code, err.details));
    call.write({ open: { nodeId, description: { hostname: 'probe' } } });
  });
}

/** Calls `method` of `service` with an empty request through a generic client; resolves with the status code (0 = OK). */
function callCode(addr: string, c: grpc.ChannelCredentials, service: string, method: string, request: unknown = {}): Promise<{ code: number; details: string; res?: unknown }> {
  const def = (loadProtos().packageDefinition[service] ?? {}) as grpc.ServiceDefinition;
  const m = def[method];
  assert.ok(m, `${service}/${method} exists`);
  const client = new grpc.Client(addr, c, OPTIONS);
  return new Promise((resolve) => {
    const done = (code: number, details: string, res?: unknown): void => {
      client.close();
      resolve({ code, details, res });
    };
    const deadline = Date.now() + 10_000;
    if (m.requestStream) {
      const call = client.makeClientStreamRequest(m.path, m.requestSerialize, m.responseDeserialize, new grpc.Metadata(), { deadline }, (err) => done(err ? err.code : 0, err?.details ?? ''));
      call.end();
    } else if (m.responseStream) {
      const call = client.makeServerStreamRequest(m.path, m.requestSerialize, m.responseDeserialize, request, new grpc.Metadata(), { deadline });
      call.on('data', () => {
        call.cancel();
        done(0, '');
      });
      call.on('error', (err: grpc.ServiceError) => done(err.code === grpc.status.CANCELLED ? 0 : err.code, err.details));
      call.on('end', () => done(0, ''));
    } else {
      client.makeUnaryRequest(m.path, m.requestSerialize, m.responseDeserialize, request, new grpc.Metadata(), { deadline }, (err, res) => done(err ? err.code : 0, err?.details ?? '', res));
    }
  });
}

/** Sends one Raft batch holding `msg` on a Raft.Stream with credentials `c`; resolves with the stream's status. */
function raftStream(addr: string, c: grpc.ChannelCredentials, msg: Message): Promise<{ code: number; details: string }> {
  const client = new (v1().Raft)(addr, c, OPTIONS);
  return new Promise((resolve) => {
    const call = client.Stream({ deadline: Date.now() + 10_000 }, (err) => {
      client.close();
      resolve({ code: err ? err.code : 0, details: err?.details ?? '' });
    });
    call.write({ messages: [encodeMessage(msg)] });
    call.end();
  });
}

function heartbeatResp(from: number, to: number, term: number): Message {
  return { type: 'heartbeat-resp', from, to, term, logIndex: 0, logTerm: 0, entries: [], commit: 0, reject: false, index: 0, rejectHint: 0, snapshot: null, context: new Uint8Array() };
}

describe('mutual TLS on a 3-manager cluster', () => {
  let c: TestCluster;
  let caPem: string;
  let leaderAddr: string;
  let followerAddr: string;
  let worker: { dir: string; nodeId: string; material: NodeMaterial };

  before(async () => {
    c = await startCluster(3);
    const leader = c.leader();
    caPem = readRootCA(leader.store.db)!.certPem;
    leaderAddr = leader.config.advertiseAddr;
    followerAddr = c.followers()[0]!.config.advertiseAddr;
    const token = (await c.apis[0]!.joinTokens()).worker;
    const dir = join(c.dir, 'w1');
    const { config } = await joinCluster({ dataDir: dir, token, managerAddr: followerAddr, listenAddr: `127.0.0.1:${await freePort()}`, hostname: 'w1' });
    worker = { dir, nodeId: config.nodeId, material: readNodeMaterial(dir) };
  });
  after(async () => {
    await c.close();
  });

  // Proves a client with no certificate is refused on every service (UNAUTHENTICATED), a
  // plaintext client cannot talk at all, and CreateService never reaches the store.
  test('no certificate: every service refuses; CreateService writes nothing', async () => {
    const services = Object.keys(loadProtos().packageDefinition).filter((k) => SHOAL_SERVICE_NAMES.includes(k) || k === 'grpc.health.v1.Health');
    assert.ok(services.length >= 7);
    const open = new Set(['shoal.v1.Raft/Join', 'shoal.v1.CertificateAuthority/RenewNodeCertificate']);
    for (const service of services) {
      const def = loadProtos().packageDefinition[service] as grpc.ServiceDefinition;
      for (const method of Object.keys(def)) {
        if (open.has(`${service}/${method}`)) continue;
        const r = await callCode(followerAddr, creds(caPem, null), service, method);
        assert.equal(r.code, grpc.status.UNAUTHENTICATED, `${service}/${method}: ${r.details}`);
      }
    }
    const create = await callCode(leaderAddr, creds(caPem, null), 'shoal.v1.Control', 'CreateService', { spec: { name: 'intruder', task: { command: '/usr/bin/id' } } });
    assert.equal(create.code, grpc.status.UNAUTHENTICATED);
    assert.match(create.details, /client certificate/);
    const plain = await callCode(leaderAddr, grpc.credentials.createInsecure(), 'shoal.v1.Control', 'CreateService', { spec: { name: 'intruder' } });
    assert.equal(plain.code, grpc.status.UNAVAILABLE);
    for (const m of c.managers) assert.equal(listServices(m.store.db).length, 0);
    // The join and renewal calls answer without a certificate, but only to a valid token.
    const join = await callCode(leaderAddr, creds(caPem, null), 'shoal.v1.Raft', 'Join', { token: 'SWMTKN-1-x-y' });
    assert.equal(join.code, grpc.status.UNAUTHENTICATED);
    assert.match(join.details, /malformed/);
  });

  // Proves an external client built from the .proto contract alone (Python grpcio, no certificate)
  // is refused too. Skipped, with the reason, where python3-grpcio is not installed.
  test('an external client (Python grpcio) without a certificate is refused', async (t) => {
    const python = ['/usr/bin/python3', 'python3'].find((p) => p === 'python3' || existsSync(p)) ?? 'python3';
    const script = `
import grpc, sys
ca = sys.stdin.buffer.read()
ch = grpc.secure_channel(sys.argv[1], grpc.ssl_channel_credentials(root_certificates=ca), options=[('grpc.ssl_target_name_override', 'shoal-manager')])
call = ch.unary_unary('/shoal.v1.Control/CreateService', request_serializer=None, response_deserializer=None)
try:
    call(b'', timeout=10)
    print('OK')
except grpc.RpcError as e:
    print(e.code().name)
`;
    const out = await new Promise<{ code: number; stdout: string; stderr: string }>((resolve) => {
      const child = execFile(python, ['-c', script, leaderAddr], { timeout: 30_000 }, (err, stdout, stderr) => resolve({ code: err ? 1 : 0, stdout, stderr }));
      child.stdin?.end(caPem);
    });
    if (/No module named 'grpc'|ENOENT/.test(out.stderr)) {
      t.skip('python3-grpcio is not installed (apt-get install python3-grpcio)');
      return;
    }
    assert.equal(out.stdout.trim(), 'UNAUTHENTICATED', out.stderr);
    for (const m of c.managers) assert.equal(listServices(m.store.db).length, 0);
  });

  // Proves a worker's certificate is refused on Control writes, Raft and Watch (PERMISSION_DENIED),
  // and that a worker cannot open a dispatcher session as another node, only as itself.
  test('a worker certificate: no Control writes, no Raft, sessions only as itself', async () => {
    const w = creds(caPem, worker.material);
    const create = await callCode(leaderAddr, w, 'shoal.v1.Control', 'CreateService', { spec: { name: 'sneaky' } });
    assert.equal(create.code, grpc.status.PERMISSION_DENIED, create.details);
    assert.match(create.details, /worker certificate may not call/);
    assert.equal((await callCode(leaderAddr, w, 'shoal.v1.Raft', 'ListMembers')).code, grpc.status.PERMISSION_DENIED);
    assert.equal((await callCode(leaderAddr, w, 'shoal.v1.Watch', 'Watch')).code, grpc.status.PERMISSION_DENIED);
    const leaderNode = c.leader().config.nodeId;
    const asOther = await callCode(leaderAddr, w, 'shoal.v1.Dispatcher', 'Session', { nodeId: leaderNode });
    assert.equal(asOther.code, grpc.status.PERMISSION_DENIED);
    assert.match(asOther.details, new RegExp(`cannot act as node ${leaderNode}`));
    const asSelf = await callCode(leaderAddr, w, 'shoal.v1.Dispatcher', 'Session', { nodeId: worker.nodeId });
    assert.equal(asSelf.code, 0, asSelf.details);
    // The same on Connect, where the node is named in the first message's `open`.
    const connectAsOther = await connectCode(leaderAddr, w, leaderNode);
    assert.equal(connectAsOther.code, grpc.status.PERMISSION_DENIED);
    assert.match(connectAsOther.details, new RegExp(`cannot act as node ${leaderNode}`));
    assert.equal((await connectCode(leaderAddr, w, worker.nodeId)).code, 0);
    assert.equal(listServices(c.leader().store.db).length, 0);
  });

  // Proves an admin client certificate (from the local socket) may use Control through a
  // follower (forwarded with its identity) but not Raft or the Dispatcher.
  test('an admin client certificate: Control and Watch, nothing else', async () => {
    const follower = c.followers()[0]!;
    const { keyPem, csrPem } = await createKeyAndCsr();
    const local = new (v1().CertificateAuthority)(`unix://${follower.socketPath}`, grpc.credentials.createInsecure());
    const issued = await new Promise<{ certificate: string; caCertificate: string }>((resolve, reject) =>
      local.IssueClientCertificate({ csr: csrPem, name: 'ops' }, (err, r) => (err || !r ? reject(err ?? new Error('empty')) : resolve(r))),
    );
    local.close();
    assert.equal(certificateInfo(issued.certificate).role, 'admin');
    const admin = creds(issued.caCertificate, { certPem: issued.certificate, keyPem });
    const created = await callCode(followerAddr, admin, 'shoal.v1.Control', 'CreateNetwork', { name: 'adminnet' });
    assert.equal(created.code, 0, created.details);
    assert.equal((await callCode(followerAddr, admin, 'shoal.v1.Control', 'ListNodes')).code, 0);
    assert.equal((await callCode(followerAddr, admin, 'shoal.v1.Raft', 'ListMembers')).code, grpc.status.PERMISSION_DENIED);
    assert.equal((await callCode(followerAddr, admin, 'shoal.v1.Dispatcher', 'Session', { nodeId: 'ops' })).code, grpc.status.PERMISSION_DENIED);
    assert.equal((await callCode(followerAddr, admin, 'shoal.v1.CertificateAuthority', 'IssueClientCertificate', { csr: csrPem })).code, grpc.status.PERMISSION_DENIED);
  });

  // Proves the three kinds of bad token are refused each with its own message, and nothing is
  // written: no node in the store, no identity or certificate in the joiner's data dir.
  test('wrong-digest, rotated and garbled tokens: own messages, nothing written', async () => {
    const nodesBefore = listNodes(c.leader().store.db).length;
    const attempt = async (name: string, token: string): Promise<string> => {
      const dir = join(c.dir, name);
      const err = await joinCluster({ dataDir: dir, token, managerAddr: leaderAddr, listenAddr: `127.0.0.1:${await freePort()}`, hostname: name }).then(
        () => assert.fail('the join succeeded'),
        (e: unknown) => (e instanceof Error ? e.message : String(e)),
      );
      assert.ok(!existsSync(join(dir, 'node.json')) && !existsSync(join(dir, 'certificates')), `nothing written in ${dir}: ${existsSync(dir) ? readdirSync(dir).join(',') : ''}`);
      return err;
    };
    const other = await createRootCA();
    const good = (await c.apis[0]!.joinTokens()).worker;
    const wrongDigest = deriveJoinToken(other.digest, 'cd'.repeat(32), 'worker', 1);
    assert.match(await attempt('x1', wrongDigest), /certificate authority of the manager at .* does not match the join token.*nothing was sent/);
    const rotated = (await c.apis[0]!.rotateJoinToken({ role: 'NODE_ROLE_WORKER' })).token;
    assert.notEqual(rotated, good);
    assert.match(await attempt('x2', good), /invalid or was rotated/);
    assert.match(await attempt('x3', `${good.slice(0, 30)}`), /malformed/);
    assert.match(await attempt('x4', good.replace(/.$/, (ch) => (ch === 'a' ? 'b' : 'a')).replace(/-[0-9a-z]{50}-/, `-${other.digest}-`)), /does not match the join token/);
    assert.equal(listNodes(c.leader().store.db).length, nodesBefore);
  });

  // Proves a worker certificate may stop and detach only containers recorded on its own node:
  // UpdateContainer and DetachNetwork on another node's container are PERMISSION_DENIED (naming the
  // object and its node), directly at the leader and forwarded by a follower, and change nothing;
  // the same calls on the worker's own container succeed.
  test("a worker certificate acts only on its own node's containers and attachments", async () => {
    const leader = c.leader();
    const sock = `unix://${leader.socketPath}`;
    const plain = grpc.credentials.createInsecure();
    const net = await callCode(sock, plain, 'shoal.v1.Control', 'CreateNetwork', { name: 'ownnet', attachable: true });
    assert.equal(net.code, 0, net.details);
    const make = async (addr: string, cr: grpc.ChannelCredentials, name: string, nodeId: string): Promise<{ containerId: string; attachmentId: string }> => {
      const containerId = `${name}-id`;
      const att = await callCode(addr, cr, 'shoal.v1.ResourceAllocator', 'AttachNetwork', { network: 'ownnet', containerId, nodeId });
      assert.equal(att.code, 0, att.details);
      const attachmentId = (att.res as { attachment: { id: string } }).attachment.id;
      const made = await callCode(addr, cr, 'shoal.v1.Control', 'CreateContainer', { name, nodeId, command: '/bin/true', attachmentIds: [attachmentId] });
      assert.equal(made.code, 0, made.details);
      assert.equal((made.res as { container: { id: string } }).container.id, containerId);
      return { containerId, attachmentId };
    };
    const w = creds(caPem, worker.material);
    const theirs = await make(sock, plain, 'theirs', leader.config.nodeId);
    const mine = await make(leaderAddr, w, 'mine', worker.nodeId);
    for (const addr of [leaderAddr, followerAddr]) {
      const stop = await callCode(addr, w, 'shoal.v1.Control', 'UpdateContainer', { ref: theirs.containerId, state: 'CONTAINER_STATE_EXITED' });
      assert.equal(stop.code, grpc.status.PERMISSION_DENIED, stop.details);
      assert.match(stop.details, new RegExp(`container theirs \\(${theirs.containerId}\\) runs on node ${leader.config.nodeId}.*node ${worker.nodeId}`));
      const detach = await callCode(addr, w, 'shoal.v1.ResourceAllocator', 'DetachNetwork', { attachmentId: theirs.attachmentId });
      assert.equal(detach.code, grpc.status.PERMISSION_DENIED, detach.details);
      assert.match(detach.details, new RegExp(`attachment ${theirs.attachmentId} .*is on node ${leader.config.nodeId}`));
    }
    const db = c.leader().store.db;
    assert.equal(containerById(db, theirs.containerId)?.state, 'created');
    assert.ok(attachmentById(db, theirs.attachmentId), 'the other node\'s attachment is still held');
    const ownStop = await callCode(followerAddr, w, 'shoal.v1.Control', 'UpdateContainer', { ref: mine.containerId, state: 'CONTAINER_STATE_EXITED' });
    assert.equal(ownStop.code, 0, ownStop.details);
    const ownDetach = await callCode(followerAddr, w, 'shoal.v1.ResourceAllocator', 'DetachNetwork', { attachmentId: mine.attachmentId });
    assert.equal(ownDetach.code, 0, ownDetach.details);
    assert.equal(attachmentById(c.leader().store.db, mine.attachmentId), null);
    // A manager (here through the local socket) may still act on any node's container.
    assert.equal((await callCode(sock, plain, 'shoal.v1.Control', 'UpdateContainer', { ref: theirs.containerId, state: 'CONTAINER_STATE_EXITED' })).code, 0);
  });

  // Proves a Raft stream must come from the manager certificate of the member its messages claim:
  // a worker certificate is refused, and a follower's manager certificate sending as the other
  // follower's Raft ID is refused with a message naming both; the cluster keeps working.
  test("Raft streams: only the member's own manager certificate may speak as it", async () => {
    const leader = c.leader();
    const [f1, f2] = c.followers();
    assert.ok(f1 && f2);
    const term = leader.shell.status().term;
    const asWorker = await raftStream(leaderAddr, creds(caPem, worker.material), heartbeatResp(f1.config.raftId, leader.config.raftId, term));
    assert.equal(asWorker.code, grpc.status.PERMISSION_DENIED, asWorker.details);
    const f1Material = readNodeMaterial(f1.opts.dataDir);
    const asOther = await raftStream(leaderAddr, creds(caPem, f1Material), heartbeatResp(f2.config.raftId, leader.config.raftId, term));
    assert.equal(asOther.code, grpc.status.PERMISSION_DENIED, asOther.details);
    assert.match(asOther.details, new RegExp(`certificate of node ${f1.config.nodeId} cannot send Raft messages as member ${f2.config.raftId} \\(that member is node ${f2.config.nodeId}\\)`));
    const net = await callCode(`unix://${leader.socketPath}`, grpc.credentials.createInsecure(), 'shoal.v1.Control', 'CreateNetwork', { name: 'after-raft-refusals' });
    assert.equal(net.code, 0, net.details);
  });

  // Proves a removed node's certificate is refused on its very next call, on every manager,
  // and that the node's agent (holding a session over mTLS) stops.
  test("a removed node's certificate is refused at once, and its agent stops", async () => {
    const w = creds(caPem, worker.material);
    assert.equal((await callCode(followerAddr, w, 'shoal.v1.Control', 'GetClusterInfo')).code, 0);
    const agent = new Agent({ dataDir: worker.dir, nodeId: worker.nodeId, hostname: 'w1', managers: [followerAddr, leaderAddr], security: nodeSecurity(worker.dir, c.leader().config.clusterId), log: silentLogger, stopGraceMs: 200 });
    try {
      await agent.start();
      await waitFor(() => agent.state === 'connected', 15_000, 'the agent to hold a session over mTLS');
      await c.apis[0]!.removeNode({ ref: worker.nodeId, force: true });
      await waitFor(() => c.managers.every((m) => !listNodes(m.store.db).some((n) => n.id === worker.nodeId)), 10_000, 'the removal everywhere');
      for (const m of c.managers) {
        const r = await callCode(m.config.advertiseAddr, w, 'shoal.v1.Dispatcher', 'Session', { nodeId: worker.nodeId });
        assert.equal(r.code, grpc.status.PERMISSION_DENIED);
        assert.match(r.details, /removed from the cluster/);
      }
      await waitFor(() => agent.state === 'removed', 15_000, 'the agent to stop');
    } finally {
      await agent.close();
    }
  });
});
