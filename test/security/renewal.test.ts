/**
 * Certificate lifetime: renewal on a short --cert-expiry with the cluster
 * working throughout, a manager whose certificate expired while it was off,
 * a worker's expired certificate (message, then renewal with a token), and
 * the owner-only check on secret material.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { joinCluster, runManager } from '../../src/manager/daemon.js';
import { silentLogger } from '../../src/manager/logger.js';
import { readRootCA } from '../../src/manager/store/security-store.js';
import { getCluster } from '../../src/manager/store/queries.js';
import { readNodeMaterial, writeNodeMaterial } from '../../src/security/node-material.js';
import { JOIN_TOKEN_ENV, workerSecurity } from '../../src/security/node-renewal.js';
import { certificateInfo, createKeyAndCsr, issueCertificate } from '../../src/security/pki.js';
import { freePort, startCluster, waitFor } from '../helpers/in-process-cluster.js';

// Proves managers renew on their own (6 s certificates: renewal at 3-4.8 s) and the cluster keeps
// serving writes through a follower across renewals; then that a manager restarted with an expired
// certificate renews it at start and rejoins the quorum.
test('managers renew short-lived certificates and keep working; an expired one is renewed at start', async () => {
  const c = await startCluster(3, { certExpiryMs: 6_000 });
  try {
    const serials = c.managers.map((m) => certificateInfo(readNodeMaterial(m.opts.dataDir).certPem).serial);
    const deadline = Date.now() + 25_000;
    let writes = 0;
    while (Date.now() < deadline) {
      await c.apis[1]!.updateNode({ ref: c.managers[0]!.config.nodeId, labelAdd: { n: String(writes) } });
      writes++;
      const now = c.managers.map((m) => certificateInfo(readNodeMaterial(m.opts.dataDir).certPem).serial);
      if (now.every((s, i) => s !== serials[i])) break;
      await new Promise((r) => setTimeout(r, 300));
    }
    const renewed = c.managers.map((m) => certificateInfo(readNodeMaterial(m.opts.dataDir).certPem));
    renewed.forEach((info, i) => assert.notEqual(info.serial, serials[i], `manager ${i + 1} renewed`));
    // Past the first certificates' expiry: new connections need the renewed ones.
    await new Promise((r) => setTimeout(r, 1_000));
    await c.apis[2]!.updateNode({ ref: c.managers[0]!.config.nodeId, labelAdd: { after: 'renewal' } });

    // Stop a follower, give it an expired certificate, start it: it renews from its own replica of the CA.
    const f = c.followers()[0]!;
    const i = c.managers.indexOf(f);
    const dir = f.opts.dataDir;
    await f.close();
    const ca = readRootCA(c.leader().store.db)!;
    const { keyPem, csrPem } = await createKeyAndCsr();
    const expired = await issueCertificate(ca, { csrPem, commonName: f.config.nodeId, role: 'manager', clusterId: getCluster(c.leader().store.db).id, validityMs: 1, now: Date.now() - 3_600_000 });
    writeNodeMaterial(dir, { caPem: ca.certPem, certPem: expired, keyPem });
    assert.ok(certificateInfo(expired).notAfter < Date.now());
    c.managers[i] = await runManager(dir, silentLogger);
    await waitFor(() => certificateInfo(readNodeMaterial(dir).certPem).notAfter > Date.now(), 10_000, 'the expired certificate to be renewed');
    await waitFor(() => c.managers[i]!.shell.leaderId !== 0, 10_000, 'the restarted manager to hear the leader');
    await c.apis[0]!.updateNode({ ref: c.managers[0]!.config.nodeId, labelAdd: { back: 'yes' } });
  } finally {
    await c.close();
  }
});

// Proves a worker whose certificate expired while it was off is told exactly what to run, and that
// with a current worker token the start renews it through the token path.
test("a worker's expired certificate: the message names the command; with a token it is renewed", async () => {
  const c = await startCluster(1);
  const saved = process.env[JOIN_TOKEN_ENV];
  try {
    const token = (await c.apis[0]!.joinTokens()).worker;
    const leader = c.leader();
    const dir = join(c.dir, 'w1');
    const { config } = await joinCluster({ dataDir: dir, token, managerAddr: leader.config.advertiseAddr, listenAddr: `127.0.0.1:${await freePort()}`, hostname: 'w1' });
    const ca = readRootCA(leader.store.db)!;
    const { keyPem, csrPem } = await createKeyAndCsr();
    const expired = await issueCertificate(ca, { csrPem, commonName: config.nodeId, role: 'worker', clusterId: config.clusterId, validityMs: 1, now: Date.now() - 3_600_000 });
    writeNodeMaterial(dir, { caPem: ca.certPem, certPem: expired, keyPem });
    delete process.env[JOIN_TOKEN_ENV];
    await assert.rejects(workerSecurity(dir, config.nodeId, config.clusterId, [leader.config.advertiseAddr], silentLogger), /expired on .* while it was off; on a manager run `shoal join-token worker -q`, then here `shoal start --token <that token>`/);
    process.env[JOIN_TOKEN_ENV] = 'SWMTKN-1-' + '0'.repeat(50) + '-' + '0'.repeat(25);
    await assert.rejects(workerSecurity(dir, config.nodeId, config.clusterId, [leader.config.advertiseAddr], silentLogger), /invalid or was rotated/);
    process.env[JOIN_TOKEN_ENV] = token;
    const s = await workerSecurity(dir, config.nodeId, config.clusterId, [leader.config.advertiseAddr], silentLogger);
    assert.ok(s.identity.notAfter > Date.now());
    assert.equal(s.identity.nodeId, config.nodeId);
    assert.equal(certificateInfo(readNodeMaterial(dir).certPem).notAfter, s.identity.notAfter);
  } finally {
    if (saved === undefined) delete process.env[JOIN_TOKEN_ENV];
    else process.env[JOIN_TOKEN_ENV] = saved;
    await c.close();
  }
});

// Proves secret material open to other users is refused at start with the chmod that fixes it.
test('secret material readable by others is refused with a clear error', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'shoal-perm-'));
  try {
    const { keyPem } = await createKeyAndCsr();
    writeNodeMaterial(dir, { caPem: 'ca', certPem: 'cert', keyPem });
    chmodSync(join(dir, 'certificates', 'node.key'), 0o644);
    assert.throws(() => readNodeMaterial(dir), /node\.key is accessible to other users \(mode 0644\).*run `chmod 600 .*node\.key`/);
    chmodSync(join(dir, 'certificates', 'node.key'), 0o600);
    chmodSync(dir, 0o755);
    assert.throws(() => readNodeMaterial(dir), /accessible to other users \(mode 0755\).*chmod 700/);
    chmodSync(dir, 0o700);
    assert.equal(readNodeMaterial(dir).keyPem, keyPem);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
