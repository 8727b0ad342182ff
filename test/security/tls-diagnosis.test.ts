/**
 * What the CLI says when its client certificate is refused (bin/tls-diagnosis.ts), against a real
 * TLS listener presenting a manager's chain. Proves: a certificate from a root the cluster rotated
 * out is named as such, with the rotation's start and the command to run; a certificate of another
 * cluster is named as that; an expired one is named with its date; a handshake detail from grpc-js
 * is recognised as a TLS failure.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:tls';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import { CertificateCallError, explainCertificateFailure, tlsHandshakeProblem } from '../../bin/tls-diagnosis.js';
import { TLS_DIR_ENV } from '../../bin/tls.js';
import { createKeyAndCsr, createRootCA, issueCertificate, joinPem, type RootCA } from '../../src/security/pki.js';

const HOUR_MS = 3_600_000;
const dir = mkdtempSync(join(tmpdir(), 'shoal-tls-diag-'));
let server: Server;
let addr = '';
let oldRoot: RootCA;
const rotationStartedAt = Date.UTC(2026, 11, 7, 12, 0, 0);

/** A client directory as `shoal ca client-cert` writes it, for `root` and cluster `clusterId`. */
async function clientDir(name: string, root: RootCA, clusterId: string, opts: { validityMs?: number; now?: number } = {}): Promise<string> {
  const out = join(dir, name);
  const { keyPem, csrPem } = await createKeyAndCsr();
  const cert = await issueCertificate(root, { csrPem, commonName: name, role: 'admin', clusterId, validityMs: opts.validityMs ?? HOUR_MS, ...(opts.now === undefined ? {} : { now: opts.now }) });
  mkdirSync(out, { mode: 0o700 });
  writeFileSync(join(out, 'ca.pem'), root.certPem);
  writeFileSync(join(out, 'cert.pem'), cert);
  writeFileSync(join(out, 'key.pem'), keyPem);
  return out;
}

before(async () => {
  oldRoot = await createRootCA();
  // The cluster's root after a rotation that started at rotationStartedAt (named as Shoal names it).
  const newRoot = await createRootCA(rotationStartedAt, rotationStartedAt.toString(36));
  const { keyPem, csrPem } = await createKeyAndCsr();
  const leaf = await issueCertificate(newRoot, { csrPem, commonName: 'm1', role: 'manager', clusterId: 'cluster1', validityMs: HOUR_MS });
  server = createServer({ cert: joinPem(leaf, newRoot.certPem), key: keyPem, ALPNProtocols: ['h2'] }, (s) => s.end());
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  addr = `127.0.0.1:${(server.address() as AddressInfo).port}`;
});

after(() => {
  server.close();
  delete process.env[TLS_DIR_ENV];
  rmSync(dir, { recursive: true, force: true });
});

test('grpc-js handshake details are recognised as TLS failures', () => {
  assert.equal(tlsHandshakeProblem('No connection established. Last error: Error: self-signed certificate in certificate chain. Resolution note: '), 'self-signed certificate in certificate chain');
  assert.equal(tlsHandshakeProblem('No connection established. Last error: Error: connect ECONNREFUSED 127.0.0.1:1'), null);
});

test('a client certificate from a rotated-out root is named, with the rotation date and the command', async () => {
  process.env[TLS_DIR_ENV] = await clientDir('alice', oldRoot, 'cluster1');
  const msg = await explainCertificateFailure(new CertificateCallError('UNAVAILABLE', 'handshake failed', addr));
  assert.match(msg, /the client certificate in .*alice was issued by a CA root that was rotated on 2026-12-07T12:00:00\.000Z \(`shoal ca rotate`: root [0-9a-z]{12}… replaced by [0-9a-z]{12}…\).*run `shoal ca client-cert --out DIR` again/);
});

test('a client certificate of another cluster, and an expired one, are named as such', async () => {
  process.env[TLS_DIR_ENV] = await clientDir('bob', await createRootCA(), 'cluster2');
  assert.match(await explainCertificateFailure(new CertificateCallError('UNAVAILABLE', 'x', addr)), /belongs to cluster cluster1, but the certificate in .*bob is for cluster cluster2/);
  process.env[TLS_DIR_ENV] = await clientDir('carol', oldRoot, 'cluster1', { validityMs: 1_000, now: Date.now() - 2 * HOUR_MS });
  assert.match(await explainCertificateFailure(new CertificateCallError('UNAUTHENTICATED', 'x', addr)), /the client certificate in .*carol expired on \S+; on a manager run `shoal ca client-cert --out DIR` again/);
});
