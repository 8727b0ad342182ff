import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as grpc from '@grpc/grpc-js';
import { X509Certificate } from 'node:crypto';
import { authorize, allowedFor, CALLER_ID_KEY, CALLER_ROLE_KEY } from '../../src/security/authz.js';
import { certificateDigest, certificateInfo, createKeyAndCsr, createRootCA, issueCertificate, verifiedBy, BACKDATE_MS } from '../../src/security/pki.js';
import { renewalTime } from '../../src/security/renewer.js';
import { deriveJoinToken, tokenCaDigest, validateTokenSyntax } from '../../src/manager/tokens.js';

// Proves the CA decides the subject (CN = node ID, OU = role, O = cluster), not the CSR; the
// certificate is backdated an hour, verifies against the root with node:crypto, and not against another root.
test('node certificates carry the identity the CA gives them and verify only against their root', async () => {
  const ca = await createRootCA();
  const other = await createRootCA();
  const { csrPem } = await createKeyAndCsr();
  const before = Date.now();
  const pem = await issueCertificate(ca, { csrPem, commonName: 'node1', role: 'worker', clusterId: 'cluster1', validityMs: 3_600_000 });
  const info = certificateInfo(pem);
  assert.deepEqual([info.commonName, info.role, info.organization], ['node1', 'worker', 'cluster1']);
  assert.ok(info.notBefore <= before - BACKDATE_MS + 1_000 && info.notBefore >= before - BACKDATE_MS - 2_000, 'backdated by an hour');
  assert.ok(verifiedBy(pem, ca.certPem));
  assert.ok(!verifiedBy(pem, other.certPem));
  assert.equal(new X509Certificate(ca.certPem).ca, true);
  assert.equal(new X509Certificate(pem).ca, false);
  assert.equal(ca.digest, certificateDigest(ca.certPem));
  assert.equal(ca.digest.length, 50);
});

// Proves a CSR whose signature does not match its key, or that is not a CSR, is refused with a message.
test('a tampered or garbled CSR is refused', async () => {
  const ca = await createRootCA();
  const { csrPem } = await createKeyAndCsr();
  const b64 = csrPem.replace(/-----[A-Z ]+-----/g, '').replace(/\s+/g, '');
  const der = Buffer.from(b64, 'base64');
  der[der.length - 5] = (der[der.length - 5] ?? 0) ^ 0xff; // inside the signature
  const tampered = `-----BEGIN CERTIFICATE REQUEST-----\n${der.toString('base64')}\n-----END CERTIFICATE REQUEST-----\n`;
  const issue = (csr: string): Promise<string> => issueCertificate(ca, { csrPem: csr, commonName: 'n', role: 'worker', clusterId: 'c', validityMs: 3_600_000 });
  await assert.rejects(issue(tampered), /csr: (the certificate signing request has an invalid signature|not a PEM)/);
  await assert.rejects(issue('hello'), /csr: not a PEM-encoded PKCS#10/);
  await assert.rejects(issueCertificate(ca, { csrPem, commonName: 'x, OU=manager', role: 'worker', clusterId: 'c', validityMs: 1 }), /cannot be a certificate name/);
});

// Proves tokens carry the CA's digest, and the syntax check names what is wrong.
test('join tokens carry the CA digest; garbled tokens get the syntax message', async () => {
  const ca = await createRootCA();
  const token = deriveJoinToken(ca.digest, 'ab'.repeat(32), 'worker', 1);
  assert.match(token, /^SWMTKN-1-[0-9a-z]{50}-[0-9a-z]{25}$/);
  assert.equal(tokenCaDigest(token), ca.digest);
  assert.equal(validateTokenSyntax(token), null);
  for (const bad of ['SWMTKN-1-abc', token.slice(0, -1), token.replace('SWMTKN-1', 'SWMTKN-2'), `${token}x`]) {
    assert.match(validateTokenSyntax(bad) ?? '', /malformed/);
  }
});

// Proves renewal falls between 50 % and 80 % of the lifetime counted from issuance (not from the backdated start).
test('renewal time is 50-80 % into the certificate life', async () => {
  const ca = await createRootCA();
  const { csrPem } = await createKeyAndCsr();
  const pem = await issueCertificate(ca, { csrPem, commonName: 'n', role: 'worker', clusterId: 'c', validityMs: 100_000 });
  const { notBefore, notAfter } = certificateInfo(pem);
  const issued = notBefore + BACKDATE_MS;
  assert.equal(renewalTime(pem, () => 0), issued + (notAfter - issued) * 0.5);
  assert.equal(renewalTime(pem, () => 0.999999), issued + (notAfter - issued) * (0.5 + 0.3 * 0.999999));
});

// Proves the authorization table: roles per service, token-only methods, other clusters, the deny
// list, and that caller metadata is honoured only when the direct peer is a manager.
test('authorize: roles per RPC, deny list, forwarded identity only from managers', () => {
  const ctx = { clusterId: 'c1', isDenied: (id: string) => id === 'gone' };
  const md = (extra: Record<string, string> = {}): grpc.Metadata => {
    const m = new grpc.Metadata();
    for (const [k, v] of Object.entries(extra)) m.set(k, v);
    return m;
  };
  const cert = (CN: string, OU: string, O = 'c1') => ({ CN, OU, O });
  const code = (d: ReturnType<typeof authorize>): number => (d.ok ? 0 : d.code);
  for (const path of ['/shoal.v1.Control/CreateService', '/shoal.v1.Raft/Stream', '/shoal.v1.Dispatcher/Session', '/shoal.v1.Watch/Watch', '/grpc.health.v1.Health/Check']) {
    assert.equal(code(authorize(path, null, md(), ctx)), grpc.status.UNAUTHENTICATED, path);
  }
  assert.equal(code(authorize('/shoal.v1.Raft/Join', null, md(), ctx)), 0);
  assert.equal(code(authorize('/shoal.v1.Control/CreateService', cert('w', 'worker'), md(), ctx)), grpc.status.PERMISSION_DENIED);
  assert.equal(code(authorize('/shoal.v1.Control/CreateService', cert('a', 'admin'), md(), ctx)), 0);
  assert.equal(code(authorize('/shoal.v1.Raft/Stream', cert('a', 'admin'), md(), ctx)), grpc.status.PERMISSION_DENIED);
  assert.equal(code(authorize('/shoal.v1.Dispatcher/Session', cert('a', 'admin'), md(), ctx)), grpc.status.PERMISSION_DENIED);
  assert.equal(code(authorize('/shoal.v1.Dispatcher/Session', cert('w', 'worker'), md(), ctx)), 0);
  assert.equal(code(authorize('/shoal.v1.Control/RemoveNetwork', cert('w', 'worker'), md(), ctx)), grpc.status.PERMISSION_DENIED);
  // Logs: node agents listen and publish; admins and managers read (a worker reads only its own node's
  // containers, which the handler checks: logs.test.ts).
  assert.equal(code(authorize('/shoal.v1.Logs/PublishLogs', cert('w', 'worker'), md(), ctx)), 0);
  assert.equal(code(authorize('/shoal.v1.Logs/PublishLogs', cert('a', 'admin'), md(), ctx)), grpc.status.PERMISSION_DENIED);
  assert.equal(code(authorize('/shoal.v1.Logs/ListenLogSubscriptions', cert('a', 'admin'), md(), ctx)), grpc.status.PERMISSION_DENIED);
  assert.equal(code(authorize('/shoal.v1.Logs/SubscribeLogs', null, md(), ctx)), grpc.status.UNAUTHENTICATED);
  assert.equal(code(authorize('/shoal.v1.Logs/SubscribeLogs', cert('a', 'admin'), md(), ctx)), 0);
  assert.equal(code(authorize('/shoal.v1.Control/ListNodes', cert('m', 'manager', 'c2'), md(), ctx)), grpc.status.UNAUTHENTICATED);
  assert.equal(code(authorize('/shoal.v1.Control/ListNodes', cert('gone', 'manager'), md(), ctx)), grpc.status.PERMISSION_DENIED);
  assert.equal(allowedFor('/shoal.v1.Unknown/X').toString(), 'manager');
  // A worker claiming to forward for a manager is taken as itself.
  const forged = md({ [CALLER_ID_KEY]: 'm', [CALLER_ROLE_KEY]: 'manager' });
  assert.equal(code(authorize('/shoal.v1.Control/CreateService', cert('w', 'worker'), forged, ctx)), grpc.status.PERMISSION_DENIED);
  // A manager forwarding for a worker: the worker's rights apply.
  const viaManager = md({ [CALLER_ID_KEY]: 'w', [CALLER_ROLE_KEY]: 'worker' });
  assert.equal(code(authorize('/shoal.v1.Control/CreateService', cert('m', 'manager'), viaManager, ctx)), grpc.status.PERMISSION_DENIED);
  const d = authorize('/shoal.v1.Control/CreateService', cert('m', 'manager'), md({ [CALLER_ID_KEY]: 'a', [CALLER_ROLE_KEY]: 'admin' }), ctx);
  assert.deepEqual(d, { ok: true, caller: { id: 'a', role: 'admin' } });
});
