/**
 * init's certificates (src/manager/first-pki.ts): the job begun before the node has an identity
 * (in a worker thread, and in this thread when no worker file is found) gives a root CA and the
 * node's key and certificate that belong together: the certificate names the node, its role and
 * its cluster, is signed by that CA, and carries the node's key. A cancelled job ends its worker;
 * the worker's failure is reported by `finish` with its message, not lost.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { X509Certificate, createPrivateKey } from 'node:crypto';
import { firstPkiHere, startFirstPki, type FirstPki } from '../../src/manager/first-pki.js';
import { certificateDigest, certificateInfo, verifiedBy } from '../../src/security/pki.js';

const REQUEST = { nodeId: 'node1abc', clusterId: 'cluster9xyz', validityMs: 3_600_000 * 24 };

function check(pki: FirstPki): void {
  const info = certificateInfo(pki.certPem);
  assert.equal(info.commonName, REQUEST.nodeId);
  assert.equal(info.role, 'manager');
  assert.equal(info.organization, REQUEST.clusterId);
  assert.ok(verifiedBy(pki.certPem, pki.ca.certPem), 'the node certificate is signed by the new root');
  assert.ok(new X509Certificate(pki.certPem).checkPrivateKey(createPrivateKey(pki.keyPem)), 'the node key belongs to its certificate');
  assert.ok(new X509Certificate(pki.ca.certPem).checkPrivateKey(createPrivateKey(pki.ca.keyPem)), 'the CA key belongs to the root');
  assert.equal(pki.ca.digest, certificateDigest(pki.ca.certPem));
}

test('the worker thread and this thread both make a matching root, key and node certificate', async () => {
  const worker = startFirstPki();
  const here = firstPkiHere();
  const [a, b] = await Promise.all([worker.finish(REQUEST), here.finish(REQUEST)]);
  check(a);
  check(b);
  assert.notEqual(a.ca.certPem, b.ca.certPem, 'each job makes its own root');
});

test('a cancelled job ends its worker; finish then fails with a clear error', async () => {
  const job = startFirstPki();
  job.cancel();
  await assert.rejects(job.finish(REQUEST), /certificate worker exited/);
});

test('a request the worker cannot serve fails finish with the reason', async () => {
  const job = startFirstPki();
  // A name a certificate subject cannot hold (the daemon's own IDs always can): the CA's check, relayed.
  await assert.rejects(job.finish({ ...REQUEST, nodeId: 'not a name!' }), /making the cluster's certificates failed: "not a name!" cannot be a certificate name/);
});
