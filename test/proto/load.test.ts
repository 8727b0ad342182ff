// Proves the protos load together with the shared options: every service is
// present and servable (health and reflection included), the generator script
// uses the same options, and a RaftMessage survives encode/decode on the real
// wire path with every field intact, including uint64 up to 2^53-1 and bytes.
import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as grpc from '@grpc/grpc-js';
import { addHealthAndReflection } from '../../src/proto/health.js';
import { loadProtos, SHOAL_SERVICE_NAMES } from '../../src/proto/load.js';
import { PROTO_DIR, PROTO_FILES, PROTO_LOADER_OPTIONS } from '../../src/proto/options.js';
import type { RaftMessage } from '../../src/generated/shoal/v1/RaftMessage.js';

const max = Number.MAX_SAFE_INTEGER;

void describe('proto loading', () => {
  const server = new grpc.Server();
  const clients: grpc.Client[] = [];
  after(() => {
    for (const c of clients) c.close();
    server.forceShutdown();
  });

  void test('every service loads with its methods', () => {
    const { grpcObject, packageDefinition } = loadProtos();
    const v1 = grpcObject.shoal.v1;
    const services = { Control: v1.Control, Watch: v1.Watch, ResourceAllocator: v1.ResourceAllocator, Dispatcher: v1.Dispatcher, Raft: v1.Raft, Backup: v1.Backup, CertificateAuthority: v1.CertificateAuthority, Logs: v1.Logs };
    for (const [name, ctor] of Object.entries(services)) {
      assert.ok(Object.keys(ctor.service).length > 0, `${name} has methods`);
      assert.ok(`shoal.v1.${name}` in packageDefinition);
    }
    assert.deepEqual(Object.keys(v1.Raft.service).sort(), ['Join', 'Leave', 'ListMembers', 'Stream']);
    assert.ok(v1.Control.service.GetClusterInfo.requestStream === false);
    assert.ok(v1.Watch.service.Watch.responseStream);
    assert.ok(v1.Dispatcher.service.Assignments.responseStream);
    assert.ok(v1.Backup.service.Save.responseStream);
    assert.ok(v1.Logs.service.SubscribeLogs.responseStream && v1.Logs.service.PublishLogs.requestStream);
    assert.ok(Object.keys(grpcObject.grpc.health.v1.Health.service).includes('Check'));
    assert.deepEqual([...SHOAL_SERVICE_NAMES].sort(), Object.keys(services).map((n) => `shoal.v1.${n}`).sort());
  });

  void test('all services, health and reflection can be served together', async () => {
    const v1 = loadProtos().grpcObject.shoal.v1;
    for (const svc of [v1.Control, v1.Watch, v1.ResourceAllocator, v1.Dispatcher, v1.Raft, v1.Backup, v1.CertificateAuthority, v1.Logs]) server.addService(svc.service, {});
    const health = addHealthAndReflection(server, SHOAL_SERVICE_NAMES);
    const port = await new Promise<number>((resolve, reject) =>
      server.bindAsync('127.0.0.1:0', grpc.ServerCredentials.createInsecure(), (err, p) => (err === null ? resolve(p) : reject(err))),
    );
    const Health = loadProtos().grpcObject.grpc.health.v1.Health;
    const client = new Health(`127.0.0.1:${port}`, grpc.credentials.createInsecure());
    clients.push(client);
    const check = (service: string) =>
      new Promise<{ err: grpc.ServiceError | null; status: string | undefined }>((resolve) =>
        client.Check({ service }, (err, res) => resolve({ err, status: res?.status })),
      );
    assert.equal((await check('shoal.v1.Control')).status, 'SERVING');
    assert.equal((await check('')).status, 'SERVING');
    assert.equal((await check('no.such.Service')).err?.code, grpc.status.NOT_FOUND);
    health.setStatus('shoal.v1.Raft', 'NOT_SERVING');
    assert.equal((await check('shoal.v1.Raft')).status, 'NOT_SERVING');
    health.shutdown();
  });

  void test('scripts/gen-proto.sh uses the same options and files as the runtime loader', () => {
    const script = readFileSync(join(PROTO_DIR, '..', 'scripts', 'gen-proto.sh'), 'utf8');
    assert.equal(PROTO_LOADER_OPTIONS.keepCase, false);
    assert.doesNotMatch(script, /--keepCase/);
    assert.equal(PROTO_LOADER_OPTIONS.longs, Number);
    assert.match(script, /--longs=Number/);
    assert.equal(PROTO_LOADER_OPTIONS.enums, String);
    assert.match(script, /--enums=String/);
    assert.equal(PROTO_LOADER_OPTIONS.defaults, true);
    assert.match(script, /--defaults/);
    assert.equal(PROTO_LOADER_OPTIONS.oneofs, true);
    assert.match(script, /--oneofs/);
    assert.doesNotMatch(script, /--bytes/);
    for (const f of PROTO_FILES) assert.ok(script.includes(f), `gen-proto.sh generates ${f}`);
  });

  void test('a RaftMessage round-trips through the wire with every field, uint64 up to 2^53-1 and bytes', () => {
    const stream = loadProtos().grpcObject.shoal.v1.Raft.service.Stream;
    const message: RaftMessage = {
      type: 'RAFT_MESSAGE_TYPE_SNAPSHOT',
      from: max,
      to: 2,
      term: max - 1,
      logIndex: 2 ** 40 + 3,
      logTerm: 2 ** 33,
      entries: [
        { term: max, index: max, kind: 'RAFT_ENTRY_KIND_CONF_CHANGE', data: Buffer.from([0, 1, 2, 255]) },
        { term: 1, index: 2, kind: 'RAFT_ENTRY_KIND_NORMAL', data: Buffer.alloc(0) },
      ],
      commit: max,
      reject: true,
      index: 2 ** 52 + 1,
      rejectHint: 4,
      snapshot: {
        meta: { index: max, term: 9, conf: { voters: [1, max], learners: [2 ** 50] } },
        offset: 2 ** 45,
        data: Buffer.from('chunk bytes \u0000\u00ff'),
        totalBytes: max,
        done: true,
      },
      context: Buffer.from([9, 8, 7]),
    };
    const wire = stream.requestSerialize({ messages: [message] });
    const back = stream.requestDeserialize(wire);
    assert.equal(back.messages.length, 1);
    const m = back.messages[0]!;
    assert.deepEqual(
      { ...m, entries: m.entries.map((e) => ({ ...e, data: [...e.data] })), snapshot: { ...m.snapshot!, data: [...m.snapshot!.data] }, context: [...m.context] },
      {
        ...message,
        entries: message.entries!.map((e) => ({ ...e, data: [...(e.data as Buffer)] })),
        snapshot: { ...message.snapshot!, data: [...(message.snapshot!.data as Buffer)] },
        context: [9, 8, 7],
      },
    );
  });

  void test('an empty RaftMessage decodes with every default present', () => {
    const stream = loadProtos().grpcObject.shoal.v1.Raft.service.Stream;
    const back = stream.requestDeserialize(stream.requestSerialize({ messages: [{}] }));
    const m = back.messages[0]!;
    assert.equal(m.type, 'RAFT_MESSAGE_TYPE_UNSPECIFIED');
    assert.equal(m.term, 0);
    assert.deepEqual(m.entries, []);
    assert.equal(m.snapshot, null);
    assert.equal(m.context.length, 0);
  });
});
