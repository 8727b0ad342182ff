/**
 * connectionOf (src/node/grpc-connection.ts) reads grpc-js internals to find a server call's HTTP/2
 * session; the authorization cache and the PING heartbeats depend on it. Proves, on a real grpc-js
 * server, that it finds the session from both shapes it is given — an interceptor's call (the
 * credentials' interceptor, as authz.ts has it) and a handler's call behind a server interceptor (as
 * the dispatcher has it) — that both name the same connection, that it is a live HTTP/2 session, and
 * that two channels get two connections. If a grpc-js upgrade moves the fields, this fails.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as grpc from '@grpc/grpc-js';
import { connectionOf } from '../../src/node/grpc-connection.js';

const PATH = '/test.Echo/Echo';
const identity = (b: Buffer): Buffer => b;

test("connectionOf finds a call's HTTP/2 session from an interceptor's call and from a handler's call", async () => {
  const fromInterceptor: (object | null)[] = [];
  const fromHandler: (object | null)[] = [];
  const credentialsInterceptor: grpc.ServerInterceptor = (_method, call) => {
    fromInterceptor.push(connectionOf(call));
    return new grpc.ServerInterceptingCall(call);
  };
  // A server-level interceptor too, so the handler's call reaches the stream through a chain of wrappers.
  const passThrough: grpc.ServerInterceptor = (_method, call) => new grpc.ServerInterceptingCall(call);
  const srv = new grpc.Server({ interceptors: [passThrough] });
  srv.addService(
    { Echo: { path: PATH, requestStream: false, responseStream: false, requestSerialize: identity, requestDeserialize: identity, responseSerialize: identity, responseDeserialize: identity } },
    {
      Echo: (call: grpc.ServerUnaryCall<Buffer, Buffer>, cb: grpc.sendUnaryData<Buffer>) => {
        fromHandler.push(connectionOf(call));
        cb(null, call.request);
      },
    },
  );
  const creds = grpc.experimental.createServerCredentialsWithInterceptors(grpc.ServerCredentials.createInsecure(), [credentialsInterceptor]);
  const port = await new Promise<number>((resolve, reject) => srv.bindAsync('127.0.0.1:0', creds, (e, p) => (e ? reject(e) : resolve(p))));
  const client = (): grpc.Client => new grpc.Client(`127.0.0.1:${port}`, grpc.credentials.createInsecure(), { 'grpc.use_local_subchannel_pool': 1 });
  const echo = (c: grpc.Client): Promise<void> =>
    new Promise((resolve, reject) => c.makeUnaryRequest(PATH, identity, identity, Buffer.from('x'), (e) => (e ? reject(e) : resolve())));
  const a = client();
  const b = client();
  try {
    await echo(a);
    await echo(a);
    await echo(b);
    assert.equal(fromInterceptor.length, 3);
    assert.equal(fromHandler.length, 3);
    const [a1, a2, b1] = fromInterceptor;
    assert.ok(a1, "the interceptor's call leads to its HTTP/2 session (grpc-js: BaseServerInterceptingCall.stream.session)");
    assert.ok(fromHandler[0], "the handler's call leads to it too (grpc-js: .call, then .nextCall*, then .stream.session)");
    assert.deepEqual(fromHandler, fromInterceptor, 'both shapes name the same connection for each call');
    assert.equal(a1, a2, 'two calls on one channel share the connection');
    assert.notEqual(b1, a1, 'another channel has its own connection');
    const session = connectionOf(a1 === null ? {} : { stream: { session: a1 } });
    assert.equal(typeof session?.socket.bytesRead, 'number', 'a live HTTP/2 session: its socket counts bytes (the PING heartbeats read it)');
    assert.equal(connectionOf({}), null, 'an object without the fields: null, not a throw');
  } finally {
    a.close();
    b.close();
    srv.forceShutdown();
  }
});
