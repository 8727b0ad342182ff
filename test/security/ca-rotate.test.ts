/**
 * `shoal ca rotate` with real daemons started by the CLI: one manager and two
 * workers, one of them offline while the rotation runs. Proves the rotation
 * is named as pending on the offline node (and waits for it), survives kill -9
 * of the manager, admits a node joining mid-rotation with the old token, that a write
 * load over mutual TLS from a worker's certificate never fails during it,
 * that every node ends with a certificate from the new root only, that the
 * old root is no longer trusted, and that the old join token is refused.
 */
import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import * as grpc from '@grpc/grpc-js';
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { freePort, waitFor } from '../helpers/in-process-cluster.js';
import { killStoredTasks } from '../helpers/task-cleanup.js';
import { isAlive } from '../../src/process-info.js';
import { readNodeConfig } from '../../src/manager/node-config.js';
import { loadProtos } from '../../src/proto/load.js';
import { certDir, type NodeMaterial } from '../../src/security/node-material.js';
import { certificateDigest, MANAGER_SERVER_NAME, splitPem, verifiedBy } from '../../src/security/pki.js';
import { tokenCaDigest } from '../../src/manager/tokens.js';
import { SOCKET_FILE } from '../../src/manager/manager.js';
import { Api } from '../../bin/client.js';
import type { InspectCAResponse__Output } from '../../src/generated/shoal/v1/InspectCAResponse.js';

const run = promisify(execFile);
const CLI = join(dirname(fileURLToPath(import.meta.url)), '../../bin/cli.js');
/** Bound on any convergence waited for (generous: a loaded 2-core machine). */
const CONVERGE_MS = 30_000;
const LOAD_PERIOD_MS = 250;

interface CaRecord {
  digest: string;
  retiredDigest?: string;
  rotation: { inProgress: boolean; digest?: string; done?: number; pending?: string[] };
}

describe('shoal ca rotate: 1 manager + 2 workers (real processes)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'shoal-ca-rotate-'));
  const nodes = ['m1', 'w1', 'w2', 'w3'];
  const shoal = async (node: string, ...args: string[]): Promise<string> =>
    (await run(process.execPath, [CLI, '--data-dir', join(dir, node), ...args], { timeout: 60_000 })).stdout;
  const shoalFails = async (node: string, ...args: string[]): Promise<string> =>
    run(process.execPath, [CLI, '--data-dir', join(dir, node), ...args], { timeout: 60_000 }).then(
      (r) => assert.fail(`shoal ${args.join(' ')} succeeded: ${r.stdout}`),
      (e: { stderr?: string }) => e.stderr ?? '',
    );
  /** InspectCA over m1's socket (the CLI costs a second or more per call on a loaded machine); `ca inspect` is checked once below. */
  const inspect = async (): Promise<CaRecord> => {
    const client = new (loadProtos().grpcObject.shoal.v1.CertificateAuthority)(`unix://${join(dir, 'm1', SOCKET_FILE)}`, grpc.credentials.createInsecure());
    try {
      const r = await new Promise<InspectCAResponse__Output>((resolve, reject) =>
        client.InspectCA({}, { deadline: Date.now() + 10_000 }, (err, res) => (err || !res ? reject(err ?? new Error('empty')) : resolve(res))),
      );
      return {
        digest: r.digest,
        retiredDigest: r.retiredDigest,
        rotation: { inProgress: r.rotationDigest !== '', digest: r.rotationDigest, done: r.rotationDone, pending: r.rotationPending },
      };
    } finally {
      client.close();
    }
  };
  const t0 = Date.now();
  const mark = (what: string): void => void process.stderr.write(`# ${Date.now() - t0} ms: ${what}\n`);
  const pidOf = (node: string): number => Number(readFileSync(join(dir, node, 'shoal.pid'), 'utf8').split('\n')[0]);

  after(async () => {
    await Promise.all(nodes.map((n) => shoal(n, 'stop').catch(() => undefined)));
    for (const n of nodes) {
      killStoredTasks(join(dir, n));
      try {
        const pid = pidOf(n);
        if (pid > 0 && isAlive(pid)) process.kill(pid, 'SIGKILL');
      } catch {
        // never started
      }
    }
    rmSync(dir, { recursive: true, force: true });
  });

  test('rotation reaches every node, waits for the offline one, keeps writes working, retires the old root and token', async () => {
    const port = await freePort();
    const managerAddr = `127.0.0.1:${port}`;
    await shoal('m1', 'init', '--listen-addr', managerAddr, '--hostname', 'm1', '--dispatcher-heartbeat', '300ms');
    const oldToken = (await shoal('m1', 'join-token', 'worker', '-q')).trim();
    const joinAs = async (node: string, token: string): Promise<string> =>
      shoal(node, 'join', '--token', token, '--listen-addr', `127.0.0.1:${await freePort()}`, '--hostname', node, managerAddr);
    await Promise.all([joinAs('w1', oldToken), joinAs('w2', oldToken)]);
    mark('joined');
    const before = await inspect();
    assert.equal(before.rotation.inProgress, false);
    const oldRoot = readMaterial(join(dir, 'm1')).caPem;
    assert.equal(certificateDigest(oldRoot), before.digest);

    // w2 is offline for the rotation.
    await shoal('w2', 'stop');

    // A write load from w1's certificate over mutual TLS: standalone containers on w1, each call with
    // the material on w1's disk at that moment (what w1's own CLI would use).
    const w1Id = readNodeConfig(join(dir, 'w1'))?.nodeId ?? '';
    let writes = 0;
    const failures: string[] = [];
    let loading = true;
    let paused = false; // while the only manager is down (kill -9 below), there is nobody to write to
    const load = (async (): Promise<void> => {
      for (let i = 0; loading; i++) {
        if (paused) {
          await new Promise((r) => setTimeout(r, LOAD_PERIOD_MS));
          continue;
        }
        const req = { name: `load-${i}`, nodeId: w1Id, command: '/bin/true' };
        const used = readMaterial(join(dir, 'w1'));
        let err = await createContainerAs(managerAddr, used, req);
        const now = readMaterial(join(dir, 'w1'));
        // Read in the middle of w1's switch to a new certificate (key and certificate are two files):
        // a client re-reads its files and tries again, as the CLI would on its next run.
        if (err && (now.keyPem !== used.keyPem || now.certPem !== used.certPem)) err = await createContainerAs(managerAddr, now, req);
        if (err) failures.push(err);
        else writes++;
        await new Promise((r) => setTimeout(r, LOAD_PERIOD_MS));
      }
    })();

    mark('w2 stopped');
    const started = await shoal('m1', 'ca', 'rotate', '--detach');
    mark('rotation started');
    const match = /Rotating to root CA ([0-9a-z]{50}): 3 node\(s\) to reissue/.exec(started);
    assert.ok(match, started);
    const newDigest = match[1]!;
    // m1 and w1 are reissued; w2, offline, is named as pending and holds the rotation open.
    let rec = before;
    const poll = async (cond: () => boolean, what: string): Promise<void> => {
      const deadline = Date.now() + CONVERGE_MS;
      for (;;) {
        rec = await inspect().catch(() => rec); // m1 may be restarting
        if (cond()) return;
        if (Date.now() > deadline) assert.fail(`${what}; last inspect: ${JSON.stringify(rec.rotation)}`);
        await new Promise((r) => setTimeout(r, 300));
      }
    };
    await poll(() => rec.rotation.done === 2, 'm1 and w1 to hold certificates from the new root');
    mark('m1 and w1 reissued');
    const w2Id = readNodeConfig(join(dir, 'w2'))?.nodeId ?? '';
    assert.equal(rec.rotation.inProgress, true);
    assert.equal(rec.rotation.digest, newDigest);
    assert.deepEqual(rec.rotation.pending, [`w2 (${w2Id}, worker)`]);
    // In parallel (each CLI process costs seconds on a loaded machine): the text view, the current
    // token, and a node joining mid-rotation with the old token, which names the root still in
    // charge; it gets a certificate from the new root at once.
    const [text, tokenNow, w3Out] = await Promise.all([shoal('m1', 'ca', 'inspect'), shoal('m1', 'join-token', 'worker', '-q'), joinAs('w3', oldToken)]);
    assert.match(text, new RegExp(`Rotation: +to ${newDigest} since .*: [23] node\\(s\\) reissued, [12] pending\\n(.*\\n)* +pending: +w2 \\(${w2Id}, worker\\)`));
    assert.equal(tokenCaDigest(tokenNow.trim()), before.digest, 'the token is unchanged while the rotation is open');
    assert.match(w3Out, /joined a cluster as a worker/);
    await poll(() => rec.rotation.done === 3, 'w3, joined mid-rotation, to count as reissued');
    assert.deepEqual(rec.rotation.pending, [`w2 (${w2Id}, worker)`]);
    mark('w3 joined mid-rotation');

    // The rotation is replicated state: it survives kill -9 of the manager (the only one here), and
    // the restarted manager carries on with it.
    paused = true;
    await new Promise((r) => setTimeout(r, 2 * LOAD_PERIOD_MS)); // a call in flight finishes
    const m1Pid = pidOf('m1');
    process.kill(m1Pid, 'SIGKILL');
    await waitFor(() => !isAlive(m1Pid), CONVERGE_MS, 'm1 to die');
    await shoal('m1', 'start');
    rec = before;
    await poll(() => rec.rotation.inProgress && rec.rotation.done === 3, 'the restarted m1 to report the rotation in progress');
    paused = false;
    assert.deepEqual(rec.rotation.pending, [`w2 (${w2Id}, worker)`]);
    mark('m1 killed and restarted');

    // w2 comes back with its old certificate: trusted during the rotation, reissued, and then the rotation completes.
    await shoal('w2', 'start');
    mark('w2 started');
    await poll(() => !rec.rotation.inProgress, 'the rotation to complete once w2 is back');
    mark('completed');
    assert.equal(rec.digest, newDigest);
    assert.equal(rec.retiredDigest, before.digest);
    loading = false;
    await load;
    assert.deepEqual(failures, [], `writes from w1's certificate failed during the rotation (${writes} succeeded)`);
    assert.ok(writes >= 3, `only ${writes} writes ran during the rotation`);

    // Every node ends with a certificate from the new root and trusts the new root only.
    // (The files are switched one by one: wait for the whole switch, not just the first file.)
    const onNewRootOnly = (n: string): boolean => {
      const m = readMaterial(join(dir, n));
      return splitPem(m.caPem).length === 1 && certificateDigest(m.caPem) === newDigest && verifiedBy(m.certPem, m.caPem) && !verifiedBy(m.certPem, oldRoot);
    };
    for (const n of nodes) await waitFor(() => onNewRootOnly(n), CONVERGE_MS, `${n} to hold a certificate from the new root and trust only it`);
    mark('all nodes on the new root only');
    // Every node holds its session, and a fresh mutual-TLS connection with w1's new certificate and
    // new-root-only trust (the manager trusts the new root only too) writes.
    const nodeStatuses = async (): Promise<string[]> => {
      const api = new Api(`unix://${join(dir, 'm1', SOCKET_FILE)}`);
      try {
        return (await api.listNodes()).nodes.map((n) => `${n.hostname}:${String(n.status)}`);
      } finally {
        api.close();
      }
    };
    const statuses = await nodeStatuses();
    assert.equal(statuses.length, 4);
    assert.ok(statuses.every((st) => st.endsWith(':NODE_STATUS_READY')), statuses.join(', '));
    assert.equal(await createContainerAs(managerAddr, readMaterial(join(dir, 'w1')), { name: 'after-rotation', nodeId: w1Id, command: '/bin/true' }), null);

    mark('nodes ready after the switch');
    // Join tokens changed digest; the old one is refused with a message that says why.
    const newToken = (await shoal('m1', 'join-token', 'worker', '-q')).trim();
    assert.equal(tokenCaDigest(newToken), newDigest);
    assert.notEqual(newToken, oldToken);
    const refused = await shoalFails('w4', 'join', '--token', oldToken, '--listen-addr', `127.0.0.1:${await freePort()}`, '--hostname', 'w4', managerAddr);
    assert.match(refused, /does not match the join token.*CA was rotated/);
  });
});

/** Control.CreateContainer over mutual TLS with material `m`; null on success, else the error. */
async function createContainerAs(addr: string, m: NodeMaterial, req: { name: string; nodeId: string; command: string }): Promise<string | null> {
  const creds = grpc.credentials.createSsl(Buffer.from(m.caPem), Buffer.from(m.keyPem), Buffer.from(m.certPem));
  const client = new (loadProtos().grpcObject.shoal.v1.Control)(addr, creds, { 'grpc.ssl_target_name_override': MANAGER_SERVER_NAME });
  try {
    return await new Promise<string | null>((resolve) =>
      client.CreateContainer(req, { deadline: Date.now() + 10_000 }, (err) => resolve(err ? `${req.name}: ${err.code} ${err.details}` : null)),
    );
  } finally {
    client.close();
  }
}

/**
 * A node's material as its files are now, read without side effects (readNodeMaterial completes a
 * half-done switch itself, which would race the daemon's own writes).
 */
function readMaterial(dataDir: string): NodeMaterial {
  const read = (f: string): string => readFileSync(join(certDir(dataDir), f), 'utf8');
  return { caPem: read('ca.pem'), certPem: read('node.pem'), keyPem: read('node.key') };
}
