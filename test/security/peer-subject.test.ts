/**
 * The authorization interceptor reads the peer certificate once per connection (authz.ts
 * peerSubject). Proves, on a real grpc-js server over mutual TLS, that the connection handle is
 * found (so the cache is really used, not the per-call fallback), that two calls on one connection
 * share it, and that another connection with another certificate gets its own subject, not the
 * first one's; and that a connection without a certificate is anonymous.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as grpc from '@grpc/grpc-js';
import { peerSubject, type PeerSubject } from '../../src/security/authz.js';
import { connectionOf } from '../../src/node/grpc-connection.js';
import { MtlsSecurity } from '../../src/security/mtls.js';
import { createKeyAndCsr, createRootCA, issueCertificate, MANAGER_SERVER_NAME, type CertRole } from '../../src/security/pki.js';

const PATH = '/test.Echo/Echo';
const identity = (b: Buffer): Buffer => b;

test('the peer subject is parsed once per connection and never shared between connections', async () => {
  const ca = await createRootCA();
  const material = async (cn: string, role: CertRole): Promise<{ cert: Buffer; key: Buffer }> => {
    const { keyPem, csrPem } = await createKeyAndCsr();
    const cert = await issueCertificate(ca, { csrPem, commonName: cn, role, clusterId: 'c1', validityMs: 3_600_000 });
    return { cert: Buffer.from(cert), key: Buffer.from(keyPem) };
  };
  const server = await material('server', 'manager');
  const alice = await material('alice', 'manager');
  const bob = await material('bob', 'worker');

  const seen: { connection: object | null; subject: PeerSubject | null }[] = [];
  const interceptor: grpc.ServerInterceptor = (_method, call) => {
    seen.push({ connection: connectionOf(call), subject: peerSubject(call) });
    return new grpc.ServerInterceptingCall(call);
  };
  const srv = new grpc.Server();
  srv.addService(
    { Echo: { path: PATH, requestStream: false, responseStream: false, requestSerialize: identity, requestDeserialize: identity, responseSerialize: identity, responseDeserialize: identity } },
    { Echo: (call: grpc.ServerUnaryCall<Buffer, Buffer>, cb: grpc.sendUnaryData<Buffer>) => cb(null, call.request) },
  );
  // The managers' own server credentials (certificate providers; a client certificate is asked for, not required).
  const security = new MtlsSecurity({ caPem: ca.certPem, certPem: server.cert.toString(), keyPem: server.key.toString() }, 'c1');
  const creds = grpc.experimental.createServerCredentialsWithInterceptors(security.serverCredentials(), [interceptor]);
  const port = await new Promise<number>((resolve, reject) => srv.bindAsync('127.0.0.1:0', creds, (e, p) => (e ? reject(e) : resolve(p))));
  const clientFor = (m: { cert: Buffer; key: Buffer } | null): grpc.Client =>
    new grpc.Client(`127.0.0.1:${port}`, grpc.credentials.createSsl(Buffer.from(ca.certPem), m?.key ?? null, m?.cert ?? null), {
      'grpc.ssl_target_name_override': MANAGER_SERVER_NAME,
      'grpc.use_local_subchannel_pool': 1,
    });
  const echo = (c: grpc.Client): Promise<void> =>
    new Promise((resolve, reject) => c.makeUnaryRequest(PATH, identity, identity, Buffer.from('x'), (e) => (e ? reject(e) : resolve())));
  const a = clientFor(alice);
  const b = clientFor(bob);
  const anon = clientFor(null);
  try {
    await echo(a);
    await echo(a);
    await echo(b);
    await echo(anon);
    assert.equal(seen.length, 4);
    const [a1, a2, b1, n1] = seen as [(typeof seen)[0], (typeof seen)[0], (typeof seen)[0], (typeof seen)[0]];
    assert.ok(a1.connection !== null, 'the HTTP/2 session of a call is found (the cache is used)');
    assert.equal(a1.connection, a2.connection, 'two calls on one channel share the connection');
    assert.notEqual(b1.connection, a1.connection);
    assert.deepEqual([a1.subject?.CN, a1.subject?.OU, a2.subject?.CN], ['alice', 'manager', 'alice']);
    assert.deepEqual([b1.subject?.CN, b1.subject?.OU], ['bob', 'worker'], "another connection's certificate, not the first one's");
    assert.equal(n1.subject, null, 'no certificate: anonymous');
  } finally {
    a.close();
    b.close();
    anon.close();
    srv.forceShutdown();
  }
});
