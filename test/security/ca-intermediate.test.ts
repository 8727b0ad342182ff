/**
 * `shoal ca rotate --cert BUNDLE --key KEY` with an external CA given as an intermediate: the bundle
 * holds the intermediate, then its issuers up to the root; the key is the intermediate's. Proves each
 * problem with a bundle is refused with its own INVALID_ARGUMENT message (order and signatures, CA:TRUE,
 * keyCertSign, the key, expiry) before anything is written; and on real daemons (one manager, one
 * worker) that the rotation completes with every node reissued by the intermediate (the leaf sent
 * with the intermediate, the bundle's root as the only trust anchor), that `ca inspect` shows the
 * chain, that a node joining with the new token works over mutual TLS, and that a certificate from
 * an unrelated CA (itself a root + intermediate, naming the cluster) is refused.
 */
import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import * as grpc from '@grpc/grpc-js';
import 'reflect-metadata';
import * as x509 from '@peculiar/x509';
import { execFile } from 'node:child_process';
import { X509Certificate, webcrypto } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { freePort, waitFor } from '../helpers/in-process-cluster.js';
import { isAlive } from '../../src/process-info.js';
import { readNodeConfig } from '../../src/manager/node-config.js';
import { loadProtos } from '../../src/proto/load.js';
import { certDir, type NodeMaterial } from '../../src/security/node-material.js';
import { certificateDigest, externalCA, joinPem, MANAGER_SERVER_NAME, splitPem, verifiedBy } from '../../src/security/pki.js';

x509.cryptoProvider.set(webcrypto as unknown as Parameters<typeof x509.cryptoProvider.set>[0]);

const run = promisify(execFile);
const CLI = join(dirname(fileURLToPath(import.meta.url)), '../../bin/cli.js');
const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;
const EC = { name: 'ECDSA', namedCurve: 'P-256' } as const;
const SIGN = { name: 'ECDSA', hash: 'SHA-256' } as const;

interface Issued {
  readonly cert: x509.X509Certificate;
  readonly keys: webcrypto.CryptoKeyPair;
  readonly pem: string;
  readonly keyPem: string;
}

async function keyPem(k: webcrypto.CryptoKey): Promise<string> {
  const der = Buffer.from(await webcrypto.subtle.exportKey('pkcs8', k));
  return `-----BEGIN PRIVATE KEY-----\n${der.toString('base64').replace(/(.{64})/g, '$1\n').replace(/\n$/, '')}\n-----END PRIVATE KEY-----\n`;
}

/** A root of "someone else's PKI", made here with @peculiar/x509 as an operator's tool would. */
async function makeRoot(name: string): Promise<Issued> {
  const keys = await webcrypto.subtle.generateKey(EC, true, ['sign', 'verify']);
  const cert = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: '01',
    name: `CN=${name}, O=Example PKI`,
    notBefore: new Date(Date.now() - HOUR_MS),
    notAfter: new Date(Date.now() + 3650 * DAY_MS),
    signingAlgorithm: SIGN,
    keys,
    extensions: [new x509.BasicConstraintsExtension(true, undefined, true), new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign, true)],
  });
  return { cert, keys, pem: cert.toString('pem'), keyPem: await keyPem(keys.privateKey) };
}

/** A certificate issued by `issuer`; a CA with keyCertSign unless told otherwise. */
async function issue(issuer: Issued, name: string, opts: { ca?: boolean; keyCertSign?: boolean; notAfterMs?: number } = {}): Promise<Issued> {
  const keys = await webcrypto.subtle.generateKey(EC, true, ['sign', 'verify']);
  const ca = opts.ca ?? true;
  const usage = ca && opts.keyCertSign !== false ? x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign : x509.KeyUsageFlags.digitalSignature;
  const cert = await x509.X509CertificateGenerator.create({
    serialNumber: '02',
    subject: name,
    issuer: issuer.cert.subject,
    notBefore: new Date(Date.now() - HOUR_MS),
    notAfter: new Date(opts.notAfterMs ?? Date.now() + 365 * DAY_MS),
    signingAlgorithm: SIGN,
    publicKey: keys.publicKey,
    signingKey: issuer.keys.privateKey,
    extensions: [
      new x509.BasicConstraintsExtension(ca, ca ? 0 : undefined, true),
      new x509.KeyUsagesExtension(usage, true),
      ...(ca ? [] : [new x509.ExtendedKeyUsageExtension([x509.ExtendedKeyUsage.serverAuth, x509.ExtendedKeyUsage.clientAuth])]),
      await x509.AuthorityKeyIdentifierExtension.create(issuer.cert),
      await x509.SubjectKeyIdentifierExtension.create(keys.publicKey),
    ],
  });
  return { cert, keys, pem: cert.toString('pem'), keyPem: await keyPem(keys.privateKey) };
}

// Proves an intermediate bundle is taken as the signer with the bundle's root as anchor, and that each
// problem gets its own message.
test('an external intermediate bundle is checked: order and signatures, CA:TRUE, keyCertSign, key, expiry', async () => {
  const root = await makeRoot('Example Root');
  const inter = await issue(root, 'CN=Example Issuing CA, O=Example PKI');
  const ca = await externalCA(joinPem(inter.pem, root.pem), inter.keyPem, HOUR_MS);
  assert.equal(ca.digest, certificateDigest(root.pem), 'join tokens name the root');
  assert.equal(new X509Certificate(ca.certPem).subject, new X509Certificate(root.pem).subject);
  assert.deepEqual(splitPem(ca.chainPem).map((p) => new X509Certificate(p).fingerprint256), [new X509Certificate(inter.pem).fingerprint256]);

  const refused = (p: Promise<unknown>, re: RegExp): Promise<void> =>
    assert.rejects(p, (e: Error & { code?: string }) => {
      assert.equal(e.code, 'INVALID_ARGUMENT');
      assert.match(e.message, re);
      return true;
    });
  await refused(externalCA(joinPem(root.pem, inter.pem), inter.keyPem, HOUR_MS), /starts with a self-signed root/);
  const other = await makeRoot('Other Root');
  await refused(externalCA(joinPem(inter.pem, other.pem), inter.keyPem, HOUR_MS), /certificate 1 \(CN=Example Issuing CA.*\) is not signed by certificate 2 \(CN=Other Root/);
  await refused(externalCA(joinPem(inter.pem, (await issue(root, 'CN=Sibling CA')).pem, root.pem), inter.keyPem, HOUR_MS), /is out of order or broken/);
  await refused(externalCA(inter.pem, inter.keyPem, HOUR_MS), /is not self-signed: give a root, or an intermediate followed by its issuers/);
  await refused(externalCA(joinPem(inter.pem, (await issue(root, 'CN=Not Root')).pem), inter.keyPem, HOUR_MS), /must end with its root.*certificate 2 \(CN=Not Root\) is not self-signed/);
  const notCa = await issue(root, 'CN=Not A CA', { ca: false });
  await refused(externalCA(joinPem(notCa.pem, root.pem), notCa.keyPem, HOUR_MS), /certificate 1 \(CN=Not A CA\), which is not a CA certificate/);
  const noSign = await issue(root, 'CN=No Cert Sign', { keyCertSign: false });
  await refused(externalCA(joinPem(noSign.pem, root.pem), noSign.keyPem, HOUR_MS), /no key usage keyCertSign/);
  await refused(externalCA(joinPem(inter.pem, root.pem), root.keyPem, HOUR_MS), /the --key does not belong to the intermediate, certificate 1/);
  await refused(externalCA(joinPem(inter.pem, root.pem), 'garbage', HOUR_MS), /the --key is not an unencrypted PEM private key/);
  const shortLived = await issue(root, 'CN=Short Lived', { notAfterMs: Date.now() + DAY_MS });
  await refused(externalCA(joinPem(shortLived.pem, root.pem), shortLived.keyPem, 90 * DAY_MS), /certificate 1 \(CN=Short Lived\), which expires on .* before certificates issued now/);
  await refused(externalCA(joinPem('-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n', root.pem), inter.keyPem, HOUR_MS), /invalid X.509 certificate \(certificate 1\)/);
});

describe('shoal ca rotate to an external intermediate: 1 manager + 1 worker (real processes)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'shoal-ca-inter-'));
  const nodes = ['m1', 'w1', 'w2'];
  const shoal = async (node: string, ...args: string[]): Promise<string> =>
    (await run(process.execPath, [CLI, '--data-dir', join(dir, node), ...args], { timeout: 90_000 })).stdout;
  const pidOf = (node: string): number => Number(readFileSync(join(dir, node, 'shoal.pid'), 'utf8').split('\n')[0]);

  after(async () => {
    await Promise.all(nodes.map((n) => shoal(n, 'stop').catch(() => undefined)));
    for (const n of nodes) {
      try {
        const pid = pidOf(n);
        if (pid > 0 && isAlive(pid)) process.kill(pid, 'SIGKILL');
      } catch {
        // never started
      }
    }
    rmSync(dir, { recursive: true, force: true });
  });

  test('nodes are reissued by the intermediate, new joins work, a certificate of an unrelated CA is refused', async (t) => {
    const managerAddr = `127.0.0.1:${await freePort()}`;
    await shoal('m1', 'init', '--listen-addr', managerAddr, '--hostname', 'm1', '--dispatcher-heartbeat', '300ms');
    const joinAs = async (node: string, token: string): Promise<string> =>
      shoal(node, 'join', '--token', token, '--listen-addr', `127.0.0.1:${await freePort()}`, '--hostname', node, managerAddr);
    await joinAs('w1', (await shoal('m1', 'join-token', 'worker', '-q')).trim());

    const root = await makeRoot('Corp Root');
    const inter = await issue(root, 'CN=Corp Shoal Issuing CA, O=Example PKI');
    writeFileSync(join(dir, 'bundle.pem'), joinPem(inter.pem, root.pem));
    writeFileSync(join(dir, 'inter.key'), inter.keyPem, { mode: 0o600 });
    // Waits until every node holds a certificate from the new CA and the rotation completed.
    await shoal('m1', 'ca', 'rotate', '--cert', join(dir, 'bundle.pem'), '--key', join(dir, 'inter.key'));

    const interFp = new X509Certificate(inter.pem).fingerprint256;
    for (const node of ['m1', 'w1']) {
      // After completion, nodes switch to a certificate without the cross-signed root and drop the old
      // root from their trust; the files are switched one by one: wait for the whole switch.
      await waitFor(
        () => {
          const m = readMaterial(join(dir, node));
          return splitPem(m.caPem).length === 1 && splitPem(m.certPem).length === 2;
        },
        30_000,
        `${node} to hold [leaf, intermediate] and trust only the new root`,
      );
      const m = readMaterial(join(dir, node));
      const chain = splitPem(m.certPem).map((p) => new X509Certificate(p));
      assert.ok(chain[0]!.checkIssued(new X509Certificate(inter.pem)), `${node}'s certificate is issued by the intermediate`);
      assert.equal(chain[1]?.fingerprint256, interFp, `${node} sends the intermediate with its certificate`);
      assert.deepEqual(splitPem(m.caPem).map((p) => certificateDigest(p)), [certificateDigest(root.pem)], `${node} trusts the bundle's root only`);
      assert.ok(verifiedBy(m.certPem, root.pem), `${node}'s chain verifies against the root`);
    }
    const inspected = JSON.parse(await shoal('m1', 'ca', 'inspect', '--format', 'json')) as { digest: string; signingChain?: { subject: string }[] };
    assert.equal(inspected.digest, certificateDigest(root.pem));
    assert.deepEqual(inspected.signingChain?.map((c) => c.subject), ['CN=Corp Shoal Issuing CA, O=Example PKI']);

    // A new worker joins with the new token (its digest is the root's) and calls over mutual TLS.
    const token = (await shoal('m1', 'join-token', 'worker', '-q')).trim();
    assert.ok(token.includes(certificateDigest(root.pem)), 'the token names the new root');
    await joinAs('w2', token);
    const w2 = readMaterial(join(dir, 'w2'));
    assert.equal(await clusterInfoAs(managerAddr, w2), null, 'the new worker is served over mutual TLS');

    // An unrelated CA (a root and intermediate of its own) issuing a manager certificate that names this cluster.
    const clusterId = readNodeConfig(join(dir, 'm1'))!.clusterId;
    const strangerRoot = await makeRoot('Corp Root'); // the same name as the real root, another key
    const strangerInter = await issue(strangerRoot, 'CN=Corp Shoal Issuing CA, O=Example PKI');
    const forged = await issue(strangerInter, `CN=${readNodeConfig(join(dir, 'm1'))!.nodeId}, OU=manager, O=${clusterId}`, { ca: false });
    const refusal = await clusterInfoAs(managerAddr, { caPem: root.pem, certPem: joinPem(forged.pem, strangerInter.pem), keyPem: forged.keyPem });
    // Depending on when the server's verification lands against the client's first frames (TLS 1.3
    // verifies the client certificate after the client has sent), the refusal arrives as UNAUTHENTICATED
    // (the call reached the interceptor as anonymous), UNAVAILABLE (no connection) or INTERNAL (the
    // connection was closed under the call). The same call with w2's certificate succeeded above.
    // The exact answer is logged: INTERNAL is not understood yet (docs/design/security.md).
    t.diagnostic(`forged certificate refused with: ${String(refusal)}`);
    assert.ok(refusal !== null && /^(16|14|13) /.test(refusal), `the forged certificate is refused: ${refusal}`);
  });
});

/** GetClusterInfo over mutual TLS with `m`; null on success, else "code details". */
async function clusterInfoAs(addr: string, m: NodeMaterial): Promise<string | null> {
  const creds = grpc.credentials.createSsl(Buffer.from(m.caPem), Buffer.from(m.keyPem), Buffer.from(m.certPem));
  const client = new (loadProtos().grpcObject.shoal.v1.Control)(addr, creds, { 'grpc.ssl_target_name_override': MANAGER_SERVER_NAME });
  try {
    return await new Promise<string | null>((resolve) =>
      client.GetClusterInfo({}, { deadline: Date.now() + 15_000 }, (err) => resolve(err ? `${err.code} ${err.details}` : null)),
    );
  } finally {
    client.close();
  }
}

function readMaterial(dataDir: string): NodeMaterial {
  const read = (f: string): string => readFileSync(join(certDir(dataDir), f), 'utf8');
  return { caPem: read('ca.pem'), certPem: read('node.pem'), keyPem: read('node.key') };
}
