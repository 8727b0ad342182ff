/**
 * CA rotation in the replicated store, command by command (no network): what
 * each of ca.rotate.start / node / complete may change, what they refuse, how
 * certificates are signed during and after a rotation, when a node's
 * material counts as outdated, and a forced restart of a rotation.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { StoreHarness } from '../network/store-harness.js';
import { getCluster } from '../../src/manager/store/queries.js';
import { readRootCA } from '../../src/manager/store/security-store.js';
import { lastRetiredDigest, lastRetiredRoot, pendingRotationNodes, readRotation, retiredAt } from '../../src/manager/store/ca-rotation.js';
import { rotatedRootHint } from '../../src/manager/security-hooks.js';
import { caTarget, signNodeCertificate } from '../../src/manager/ca-service.js';
import { deriveJoinToken, tokenMatches } from '../../src/manager/tokens.js';
import { materialOutdated, materialRootDigest } from '../../src/security/ca-follower.js';
import { DEFAULT_CERT_EXPIRY_MS, createKeyAndCsr, createRootCA, crossSignRoot, joinPem, verifiedBy } from '../../src/security/pki.js';

const NODE = 'node00000000000000000000001'; // StoreHarness's manager

async function harnessWithCa(): Promise<{ h: StoreHarness; oldRoot: Awaited<ReturnType<typeof createRootCA>> }> {
  const h = StoreHarness.open();
  const oldRoot = await createRootCA();
  // The harness's cluster has no CA; give it one as `cluster.init` would.
  h.db.prepare('INSERT INTO ca_root (singleton, cert_pem, key_pem, digest, created_at) VALUES (1, ?, ?, ?, 1)').run(oldRoot.certPem, oldRoot.keyPem, oldRoot.digest);
  // Tokens derived with the root's digest, as after an `init` with a CA.
  h.applyOk({ op: 'token.rotate', at: 2, role: 'worker' });
  h.applyOk({ op: 'token.rotate', at: 2, role: 'manager' });
  return { h, oldRoot };
}

// Proves the whole life of a rotation in apply: start (a second start refused), a report for another
// root ignored, completion refused while a node is pending and changing nothing, then completion
// replacing the root, retiring the old one and re-deriving the join tokens with the new digest.
test('ca.rotate.start / node / complete: refusals, pending nodes, root and token switch', async () => {
  const { h, oldRoot } = await harnessWithCa();
  try {
    const nodeId = (h.db.prepare('SELECT id FROM nodes').get() as { id: string }).id;
    const newRoot = await createRootCA(Date.now(), 'r1');
    const crossPem = await crossSignRoot(oldRoot, newRoot.certPem);
    const cluster = getCluster(h.db);
    const oldWorkerToken = deriveJoinToken(oldRoot.digest, cluster.tokenKey, 'worker', cluster.workerTokenGen);

    h.applyOk({ op: 'ca.rotate.start', at: 10, certPem: newRoot.certPem, keyPem: newRoot.keyPem, digest: newRoot.digest, crossPem });
    assert.equal(readRotation(h.db)?.digest, newRoot.digest);
    assert.deepEqual(caTarget(h.db), { signingDigest: newRoot.digest, trustDigests: [oldRoot.digest, newRoot.digest] });
    const again = h.apply({ op: 'ca.rotate.start', at: 11, certPem: newRoot.certPem, keyPem: newRoot.keyPem, digest: newRoot.digest, crossPem });
    assert.ok(!again.ok && again.error.code === 'FAILED_PRECONDITION' && /already in progress/.test(again.error.message));

    assert.deepEqual(pendingRotationNodes(h.db).map((n) => n.id), [nodeId]);
    const early = h.apply({ op: 'ca.rotate.complete', at: 12, digest: newRoot.digest });
    assert.ok(!early.ok && /1 node\(s\) do not hold a certificate from the new root/.test(early.error.message));
    assert.equal(readRootCA(h.db)?.digest, oldRoot.digest, 'a refused completion changes nothing');

    h.applyOk({ op: 'ca.rotate.node', at: 13, nodeIds: [nodeId], digest: oldRoot.digest }); // another root: ignored
    assert.equal(pendingRotationNodes(h.db).length, 1);
    h.applyOk({ op: 'ca.rotate.node', at: 14, nodeIds: [nodeId, 'no-such-node'], digest: newRoot.digest });
    assert.equal(pendingRotationNodes(h.db).length, 0);

    assert.ok(tokenMatches(oldWorkerToken, getCluster(h.db).workerTokenHash), 'the old token works until completion');
    h.applyOk({ op: 'ca.rotate.complete', at: 15, digest: newRoot.digest });
    assert.equal(readRotation(h.db), null);
    assert.equal(readRootCA(h.db)?.digest, newRoot.digest);
    assert.equal(readRootCA(h.db)?.keyPem, newRoot.keyPem);
    assert.equal(retiredAt(h.db, oldRoot.digest), 15);
    assert.equal(lastRetiredDigest(h.db), oldRoot.digest);
    const after = getCluster(h.db);
    assert.ok(!tokenMatches(oldWorkerToken, after.workerTokenHash), 'the old token is refused after completion');
    assert.ok(tokenMatches(deriveJoinToken(newRoot.digest, after.tokenKey, 'worker', after.workerTokenGen), after.workerTokenHash));
    assert.ok(tokenMatches(deriveJoinToken(newRoot.digest, after.tokenKey, 'manager', after.managerTokenGen), after.managerTokenHash));
    h.applyOk({ op: 'ca.rotate.complete', at: 16, digest: newRoot.digest }); // a repeat is a no-op
    assert.equal(retiredAt(h.db, oldRoot.digest), 15);
  } finally {
    h.close();
  }
});

// Proves certificates signed during a rotation come from the new root, carry the cross-signed
// root so a node trusting only the old root verifies them, and that a node's material is
// "outdated" exactly when its certificate's root or its trusted roots differ from the cluster's.
test('signing during and after a rotation; when a node must renew', async () => {
  const { h, oldRoot } = await harnessWithCa();
  try {
    const { keyPem, csrPem } = await createKeyAndCsr();
    const before = await signNodeCertificate(h.db, csrPem, NODE, 'worker');
    const beforeMaterial = { certPem: before.certificate, caPem: before.caCertificate, keyPem };
    assert.equal(materialRootDigest(beforeMaterial), oldRoot.digest);
    assert.equal(materialOutdated(beforeMaterial, oldRoot.digest, [oldRoot.digest]), false);

    const newRoot = await createRootCA(Date.now(), 'r2');
    h.applyOk({ op: 'ca.rotate.start', at: 10, certPem: newRoot.certPem, keyPem: newRoot.keyPem, digest: newRoot.digest, crossPem: await crossSignRoot(oldRoot, newRoot.certPem) });
    const target = caTarget(h.db)!;
    assert.equal(materialOutdated(beforeMaterial, target.signingDigest, target.trustDigests), true);
    const during = await signNodeCertificate(h.db, csrPem, NODE, 'worker');
    assert.ok(verifiedBy(during.certificate, oldRoot.certPem), 'leaf + cross-signed root verify against the old root alone');
    assert.ok(verifiedBy(during.certificate, newRoot.certPem));
    assert.equal(during.caCertificate, joinPem(oldRoot.certPem, newRoot.certPem));
    const duringMaterial = { certPem: during.certificate, caPem: during.caCertificate, keyPem };
    assert.equal(materialRootDigest(duringMaterial), newRoot.digest, 'what the node reports: the root that signed its leaf');
    assert.equal(materialOutdated(duringMaterial, target.signingDigest, target.trustDigests), false);

    h.applyOk({ op: 'ca.rotate.node', at: 11, nodeIds: [(h.db.prepare('SELECT id FROM nodes').get() as { id: string }).id], digest: newRoot.digest });
    h.applyOk({ op: 'ca.rotate.complete', at: 12, digest: newRoot.digest });
    const after = await signNodeCertificate(h.db, csrPem, NODE, 'worker');
    assert.ok(!verifiedBy(after.certificate, oldRoot.certPem), 'after completion the old root verifies nothing new');
    assert.ok(verifiedBy(after.certificate, newRoot.certPem));
    assert.equal(after.caCertificate, newRoot.certPem);
    const t = caTarget(h.db)!;
    assert.equal(materialOutdated(duringMaterial, t.signingDigest, t.trustDigests), true, 'still trusting the old root: renew');
    assert.equal(materialOutdated({ certPem: after.certificate, caPem: after.caCertificate, keyPem }, t.signingDigest, t.trustDigests), false);
  } finally {
    h.close();
  }
});

// Proves `ca rotate --force` in apply: without force a second start is refused (naming --force);
// with it the new root replaces the rotation's, every node counts as pending again, reports and a
// completion for the abandoned root change nothing (a lagging manager or a late heartbeat may still
// send them), certificates from the abandoned root keep verifying through the old root while the
// replacement runs, and the replacement completes to its own root with the original root retired.
test('ca.rotate.start with force replaces a rotation in progress', async () => {
  const { h, oldRoot } = await harnessWithCa();
  try {
    const nodeId = (h.db.prepare('SELECT id FROM nodes').get() as { id: string }).id;
    const first = await createRootCA(Date.now(), 'f1');
    const start = async (root: typeof first, force?: boolean): Promise<ReturnType<StoreHarness['apply']>> =>
      h.apply({ op: 'ca.rotate.start', at: 20, certPem: root.certPem, keyPem: root.keyPem, digest: root.digest, crossPem: await crossSignRoot(oldRoot, root.certPem), ...(force === undefined ? {} : { force }) });
    const r1 = await start(first, true); // force with nothing in progress: an ordinary start
    assert.ok(r1.ok);
    assert.deepEqual(r1.value, { digest: first.digest, replaced: '' });
    const { keyPem, csrPem } = await createKeyAndCsr();
    const fromFirst = await signNodeCertificate(h.db, csrPem, NODE, 'worker');
    h.applyOk({ op: 'ca.rotate.node', at: 21, nodeIds: [nodeId], digest: first.digest });
    assert.equal(pendingRotationNodes(h.db).length, 0);

    const second = await createRootCA(Date.now(), 'f2');
    const refused = await start(second);
    assert.ok(!refused.ok && refused.error.code === 'FAILED_PRECONDITION' && /already in progress.*`shoal ca rotate --force`/.test(refused.error.message), JSON.stringify(refused));
    const same = await start(first, true);
    assert.ok(!same.ok && /root of the rotation in progress/.test(same.error.message));
    const r2 = await start(second, true);
    assert.ok(r2.ok);
    assert.deepEqual(r2.value, { digest: second.digest, replaced: first.digest });
    assert.equal(readRotation(h.db)?.digest, second.digest);
    assert.equal(readRootCA(h.db)?.digest, oldRoot.digest, 'the cluster root does not change at a forced start');
    assert.deepEqual(pendingRotationNodes(h.db).map((n) => n.id), [nodeId], 'reissued from the abandoned root = pending again');

    // What a manager that has not applied the forced start yet may still propose: ignored now.
    h.applyOk({ op: 'ca.rotate.node', at: 22, nodeIds: [nodeId], digest: first.digest });
    assert.equal(pendingRotationNodes(h.db).length, 1);
    h.applyOk({ op: 'ca.rotate.complete', at: 23, digest: first.digest });
    assert.equal(readRotation(h.db)?.digest, second.digest);

    const target = caTarget(h.db)!;
    assert.deepEqual(target, { signingDigest: second.digest, trustDigests: [oldRoot.digest, second.digest] });
    const trust = joinPem(oldRoot.certPem, second.certPem);
    assert.ok(verifiedBy(fromFirst.certificate, trust), 'an abandoned-root certificate verifies through its cross-signature by the old root');
    const firstMaterial = { certPem: fromFirst.certificate, caPem: fromFirst.caCertificate, keyPem };
    assert.equal(materialOutdated(firstMaterial, target.signingDigest, target.trustDigests), true, 'its holder renews');
    const fromSecond = await signNodeCertificate(h.db, csrPem, NODE, 'worker');
    assert.equal(materialRootDigest({ certPem: fromSecond.certificate, caPem: fromSecond.caCertificate, keyPem }), second.digest);
    assert.ok(verifiedBy(fromSecond.certificate, fromFirst.caCertificate), 'a node still trusting old + abandoned roots verifies the new certificates');

    h.applyOk({ op: 'ca.rotate.node', at: 24, nodeIds: [nodeId], digest: second.digest });
    h.applyOk({ op: 'ca.rotate.complete', at: 25, digest: second.digest });
    assert.equal(readRootCA(h.db)?.digest, second.digest);
    assert.deepEqual(lastRetiredRoot(h.db), { digest: oldRoot.digest, retiredAt: 25 });
    assert.ok(!verifiedBy(fromFirst.certificate, second.certPem), 'after completion the abandoned root verifies nothing');

    // A caller without a verified certificate hears about the rotation, for one certificate lifetime.
    assert.match(rotatedRootHint(h.db, 26), /issued by the CA root that was rotated on 1970-01-01T00:00:00\.025Z .*run `shoal ca client-cert --out DIR` again/);
    assert.equal(rotatedRootHint(h.db, 25 + DEFAULT_CERT_EXPIRY_MS + 1), '');
  } finally {
    h.close();
  }
});
