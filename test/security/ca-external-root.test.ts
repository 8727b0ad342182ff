/**
 * `shoal ca rotate --cert/--key`: rotating to a root the operator brings.
 * Proves the checks on the offered root (each problem refused with its own
 * message, a SEC1 key taken and stored as PKCS#8), that a manager starts the
 * rotation to exactly that root (it signs from it at once, cross-signed by the
 * current root), and that a root named like the current one is refused before
 * anything is written.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as grpc from '@grpc/grpc-js';
import { createPrivateKey } from 'node:crypto';
import { caTarget } from '../../src/manager/ca-service.js';
import { readRotation } from '../../src/manager/store/ca-rotation.js';
import { readRootCA } from '../../src/manager/store/security-store.js';
import { loadProtos } from '../../src/proto/load.js';
import type { RotateCAResponse__Output } from '../../src/generated/shoal/v1/RotateCAResponse.js';
import type { RotateCARequest } from '../../src/generated/shoal/v1/RotateCARequest.js';
import { createKeyAndCsr, createRootCA, crossSignRoot, externalRootCA, issueCertificate, joinPem, verifiedBy } from '../../src/security/pki.js';
import { startCluster } from '../helpers/in-process-cluster.js';

const HOUR_MS = 3_600_000;

// Proves what an external root must be: one self-signed P-256 CA certificate, valid long enough,
// with its own key; the key may be SEC1 and is stored as PKCS#8.
test('an external root is checked: one self-signed P-256 CA certificate with its key', async () => {
  const root = await createRootCA(Date.now(), 'ext');
  const sec1 = createPrivateKey(root.keyPem).export({ type: 'sec1', format: 'pem' }).toString();
  assert.match(sec1, /BEGIN EC PRIVATE KEY/);
  const taken = externalRootCA(root.certPem, sec1, HOUR_MS);
  assert.equal(taken.digest, root.digest);
  assert.match(taken.keyPem, /^-----BEGIN PRIVATE KEY-----/);
  const { csrPem } = await createKeyAndCsr();
  assert.ok(verifiedBy(await issueCertificate(taken, { csrPem, commonName: 'n', role: 'worker', clusterId: 'c', validityMs: HOUR_MS }), root.certPem));

  const other = await createRootCA();
  assert.throws(() => externalRootCA(root.certPem, other.keyPem, HOUR_MS), /the new root key does not belong to the new root certificate/);
  assert.throws(() => externalRootCA(root.certPem, 'not a key', HOUR_MS), /not an unencrypted PEM private key/);
  assert.throws(() => externalRootCA(joinPem(root.certPem, other.certPem), root.keyPem, HOUR_MS), /exactly one PEM certificate \(it holds 2\)/);
  assert.throws(() => externalRootCA('hello', root.keyPem, HOUR_MS), /exactly one PEM certificate \(it holds 0\)/);
  const leaf = await issueCertificate(root, { csrPem, commonName: 'n', role: 'worker', clusterId: 'c', validityMs: HOUR_MS });
  assert.throws(() => externalRootCA(leaf, root.keyPem, HOUR_MS), /is not a CA certificate/);
  const crossSigned = await crossSignRoot(other, root.certPem);
  assert.throws(() => externalRootCA(crossSigned, root.keyPem, HOUR_MS), /is not self-signed/);
  assert.throws(() => externalRootCA(root.certPem, root.keyPem, 30 * 365 * 24 * HOUR_MS), /expires on .*before certificates it would issue now/);
});

// Proves a certificate is accepted by a node whose clock runs up to an hour behind (the backdate), and not beyond.
test('certificates are backdated an hour: a node up to an hour behind accepts a new one', async () => {
  const ca = await createRootCA();
  const { csrPem } = await createKeyAndCsr();
  const now = Date.now();
  const pem = await issueCertificate(ca, { csrPem, commonName: 'n', role: 'worker', clusterId: 'c', validityMs: HOUR_MS, now });
  assert.ok(verifiedBy(pem, ca.certPem, now - 59 * 60_000), 'a clock 59 minutes behind');
  assert.ok(!verifiedBy(pem, ca.certPem, now - 61 * 60_000), 'a clock 61 minutes behind');
  assert.ok(!verifiedBy(pem, ca.certPem, now + HOUR_MS + 1_000), 'after expiry');
});

// Proves RotateCA with an external root starts the rotation to that root on a real manager (signing
// from it at once), and refuses a root with the current root's subject, or a certificate without key.
test('RotateCA with an external root rotates to it; a root named like the current one is refused', async () => {
  const c = await startCluster(1);
  const client = new (loadProtos().grpcObject.shoal.v1.CertificateAuthority)(`unix://${c.managers[0]!.socketPath}`, grpc.credentials.createInsecure());
  const rotate = (req: RotateCARequest): Promise<RotateCAResponse__Output> =>
    new Promise((resolve, reject) => client.RotateCA(req, { deadline: Date.now() + 20_000 }, (err, res) => (err || !res ? reject(err ?? new Error('empty')) : resolve(res))));
  try {
    const db = c.leader().store.db;
    const sameName = await createRootCA(); // CN=shoal-ca, as the cluster's own root
    await assert.rejects(rotate({ caCertPem: sameName.certPem, caKeyPem: sameName.keyPem }), (e: grpc.ServiceError) => {
      assert.equal(e.code, grpc.status.INVALID_ARGUMENT);
      assert.match(e.details, /same subject as the current root \(CN=shoal-ca\): give it another name/);
      return true;
    });
    await assert.rejects(rotate({ caCertPem: sameName.certPem }), /needs both its certificate \(--cert\) and its private key \(--key\)/);
    assert.equal(readRotation(db), null, 'nothing was written');

    const external = await createRootCA(Date.now(), 'corp');
    const res = await rotate({ requestId: 'ext-1', caCertPem: external.certPem, caKeyPem: createPrivateKey(external.keyPem).export({ type: 'sec1', format: 'pem' }).toString() });
    assert.equal(res.digest, external.digest);
    const oldRoot = readRootCA(db)!;
    assert.deepEqual(caTarget(db), { signingDigest: external.digest, trustDigests: [oldRoot.digest, external.digest] });
    assert.ok(verifiedBy(readRotation(db)!.crossPem, oldRoot.certPem), 'the external root is cross-signed by the current root');
  } finally {
    client.close();
    await c.close();
  }
});
