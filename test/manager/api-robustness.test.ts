import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import * as grpc from '@grpc/grpc-js';
import { startCluster, type TestCluster } from '../helpers/in-process-cluster.js';

/** A client that sends raw bytes to any method, so tests can send what no generated client would. */
function rawCall(target: string, path: string, body: Buffer): Promise<{ code: number; details: string }> {
  const def: grpc.ServiceDefinition = {
    Call: {
      path,
      requestStream: false,
      responseStream: false,
      requestSerialize: (b: Buffer) => b,
      requestDeserialize: (b: Buffer) => b,
      responseSerialize: (b: Buffer) => b,
      responseDeserialize: (b: Buffer) => b,
    },
  };
  const Ctor = grpc.makeGenericClientConstructor(def, 'Raw');
  const client = new Ctor(target, grpc.credentials.createInsecure(), { 'grpc.max_send_message_length': 64 * 1024 * 1024 }) as unknown as grpc.Client & {
    Call: (req: Buffer, md: grpc.Metadata, opts: grpc.CallOptions, cb: (e: grpc.ServiceError | null) => void) => void;
  };
  return new Promise((resolve) => {
    client.Call(body, new grpc.Metadata(), { deadline: Date.now() + 10_000 }, (e) => {
      client.close();
      resolve(e ? { code: e.code, details: e.details } : { code: grpc.status.OK, details: '' });
    });
  });
}

// Bad bytes on the wire must get a clear status and leave the manager serving: malformed
// protobuf, an oversize message, a field of the wrong type, an unknown method.
describe('API robustness against malformed and oversize messages', () => {
  let c: TestCluster;
  before(async () => {
    c = await startCluster(1);
  });
  after(async () => {
    await c.close();
  });

  test('garbage, oversize and unknown calls are refused and the manager keeps serving', async () => {
    const target = c.apis[0]!.target;
    const garbage = await rawCall(target, '/shoal.v1.Control/GetNode', Buffer.from([0xff, 0xff, 0xff, 0xff, 0x0f, 0x01]));
    assert.notEqual(garbage.code, grpc.status.OK);
    assert.ok([grpc.status.INTERNAL, grpc.status.INVALID_ARGUMENT].includes(garbage.code), `code ${garbage.code}: ${garbage.details}`);

    const oversize = await rawCall(target, '/shoal.v1.Control/GetNode', Buffer.alloc(40 * 1024 * 1024, 0x41));
    assert.equal(oversize.code, grpc.status.RESOURCE_EXHAUSTED, oversize.details);

    // Field 1 (ref, a string) sent as a varint: the wrong wire type for the field.
    const wrongType = await rawCall(target, '/shoal.v1.Control/GetNode', Buffer.from([0x08, 0x01]));
    assert.notEqual(wrongType.code, grpc.status.OK);

    const unknown = await rawCall(target, '/shoal.v1.Control/NoSuchMethod', Buffer.alloc(0));
    assert.equal(unknown.code, grpc.status.UNIMPLEMENTED);

    // Still serving, with correct answers.
    const nodes = await c.apis[0]!.listNodes();
    assert.equal(nodes.nodes.length, 1);
    await assert.rejects(c.apis[0]!.getNode({ ref: 'no-such-node' }), (e: Error & { code?: string }) => e.code === 'NOT_FOUND' && /node "no-such-node" not found/.test(e.message));
  });
});
